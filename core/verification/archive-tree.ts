import { EntryPathError, ROOT_PATH, walk } from './entry-path.ts';

export type TreeEntryKind = 'file' | 'directory' | 'symlink' | 'hardlink';

/** Linux gives up after 40 links in one lookup (ELOOP); so do we. */
const MAX_LINK_HOPS = 40;

/**
 * The file tree an archive would extract to, built entry by entry, so that no entry can land
 * somewhere other than its name says: not twice, not through a symlink, not under a file.
 */
// Limitation: memory here grows with the number and length of entry names (at most
// maxEntries x maxPathLength), not with the artifact's size; duplicate and symlink checks need
// every name, and callers want the regular file paths back.
export class ArchiveTree {
  readonly #entries = new Map<string, TreeEntryKind>();
  readonly #impliedDirectories = new Set<string>();
  readonly #symlinks = new Map<string, string>();

  /** Records an entry; throws EntryPathError if it collides with what came before. */
  add(path: string, kind: TreeEntryKind, linkTarget = ''): void {
    if (path === ROOT_PATH) {
      if (this.#entries.has(ROOT_PATH)) throw new EntryPathError('is the archive root, again');
      this.#entries.set(ROOT_PATH, kind);
      return;
    }
    const components = path.split('/');
    for (let depth = 1; depth < components.length; depth += 1) {
      const ancestor = components.slice(0, depth).join('/');
      const ancestorKind = this.#entries.get(ancestor);
      if (ancestorKind === 'symlink') {
        throw new EntryPathError(`lies through the symlink "${ancestor}" of an earlier entry`);
      }
      if (ancestorKind !== undefined && ancestorKind !== 'directory') {
        throw new EntryPathError(`lies under "${ancestor}", which is not a directory`);
      }
      this.#impliedDirectories.add(ancestor);
    }
    if (this.#entries.has(path)) throw new EntryPathError('appears twice in the archive');
    if (kind !== 'directory' && this.#impliedDirectories.has(path)) {
      throw new EntryPathError('replaces a directory that earlier entries lie in');
    }
    this.#entries.set(path, kind);
    if (kind === 'symlink') this.#symlinks.set(path, linkTarget);
  }

  kindOf(path: string): TreeEntryKind | undefined {
    return this.#entries.get(path);
  }

  /**
   * Once every entry is known, follows each symlink's target through the archive's other
   * symlinks, as the kernel will after extraction. Judging each target by name alone is not
   * enough: with `r -> .`, the target `r/..` reads as the root yet resolves to its parent.
   * Returns the first link that escapes or loops, with the reason, or null.
   */
  findEscapingSymlink(): { readonly path: string; readonly reason: string } | null {
    for (const [path, target] of this.#symlinks) {
      const reason = this.#resolutionProblem(path, target);
      if (reason !== null) return { path, reason };
    }
    return null;
  }

  #resolutionProblem(linkPath: string, target: string): string | null {
    let directory = linkPath.split('/').slice(0, -1);
    const pending = target.split('/');
    let hops = 0;
    while (pending.length > 0) {
      const component = pending.shift() ?? '';
      const next = walk(directory, [component]);
      if (next === null) return `is a symlink whose target "${target}" leaves the archive`;
      const followed = this.#symlinks.get(next.join('/'));
      if (followed === undefined || component === '..' || component === '.' || component === '') {
        directory = next;
        continue;
      }
      hops += 1;
      if (hops > MAX_LINK_HOPS) return `is a symlink in a loop of links ("${target}")`;
      pending.unshift(...followed.split('/'));
    }
    return null;
  }
}
