import { ArchiveInvalid, ArtifactTooLarge, UnsafeArchiveEntry } from '../errors.ts';
import { ArchiveTree, type TreeEntryKind } from './archive-tree.ts';
import { EntryPathError, normaliseEntryName, resolveLinkTarget } from './entry-path.ts';
import { quoteName } from './messages.ts';
import { RootFiles } from './root-files.ts';
import type { EntryDataSink, TarEntry, TarEntryHandler } from './tar-entry.ts';
import type { ArchiveLimits } from './types.ts';

/** Typeflags a release may hold, by what they extract to. */
const ALLOWED_TYPEFLAGS: Readonly<Record<string, TreeEntryKind>> = {
  '0': 'file',
  '\u0000': 'file',
  // GNU tar extracts a "contiguous file" as a regular one.
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '5': 'directory',
};

/** Typeflags refused by name, because they could harm the host or hide data. */
const REFUSED_TYPEFLAGS: Readonly<Record<string, string>> = {
  '3': 'is a character device',
  '4': 'is a block device',
  '6': 'is a FIFO',
  S: 'is a sparse file',
};

/** setuid, setgid and sticky: a release never needs them, and setuid root is a way in. */
const SPECIAL_MODE_BITS = 0o7000;

/**
 * The entry rules: judges each tar entry as the scanner reports it and throws the refusal
 * (UnsafeArchiveEntry naming the entry, ArchiveInvalid, or ArtifactTooLarge).
 */
export class ArchivePolicy implements TarEntryHandler {
  readonly #app: string;
  readonly #limits: ArchiveLimits;
  readonly #tree = new ArchiveTree();
  readonly #regularFiles = new Set<string>();
  readonly rootFiles = new RootFiles();
  #entries = 0;
  #declaredBytes = 0;

  constructor(app: string, limits: ArchiveLimits) {
    this.#app = app;
    this.#limits = limits;
  }

  get entries(): number {
    return this.#entries;
  }

  get regularFiles(): ReadonlySet<string> {
    return this.#regularFiles;
  }

  entry(entry: TarEntry): EntryDataSink | undefined {
    this.#entries += 1;
    const refuse = (reason: string) => this.#unsafe(entry.name, reason);
    if (this.#entries > this.#limits.maxEntries) {
      throw refuse(`is entry ${this.#entries}, past the cap of ${this.#limits.maxEntries}`);
    }
    const refusedType = REFUSED_TYPEFLAGS[entry.typeflag];
    if (refusedType !== undefined) throw refuse(refusedType);
    const kind = ALLOWED_TYPEFLAGS[entry.typeflag];
    if (kind === undefined) throw refuse(`has the unsupported tar type '${entry.typeflag}'`);
    const path = this.#guard(entry.name, () =>
      normaliseEntryName(entry.name, kind === 'directory', this.#limits),
    );
    if ((entry.mode & SPECIAL_MODE_BITS) !== 0) {
      throw refuse(
        `has mode ${entry.mode.toString(8)}: setuid, setgid and sticky bits are refused`,
      );
    }
    this.#checkSize(entry, kind);
    this.#guard(entry.name, () => this.#addToTree(path, kind, entry.linkTarget));
    // A hardlink extracts to a regular file, so a hook script may well be one.
    if (kind === 'file' || kind === 'hardlink') this.#regularFiles.add(path);
    return this.rootFiles.capture(path, kind, entry.size);
  }

  /** After the last entry: symlinks that escape only through other symlinks. */
  finish(): void {
    const escaping = this.#tree.findEscapingSymlink();
    if (escaping !== null) throw this.#unsafe(escaping.path, escaping.reason);
  }

  #addToTree(path: string, kind: TreeEntryKind, linkTarget: string): void {
    if (kind === 'symlink') resolveLinkTarget(path, linkTarget, this.#limits);
    if (kind === 'hardlink') {
      let target: string;
      try {
        target = normaliseEntryName(linkTarget, false, this.#limits);
      } catch (error) {
        if (!(error instanceof EntryPathError)) throw error;
        throw new EntryPathError(`is a hardlink whose target "${linkTarget}" ${error.message}`);
      }
      if (this.#tree.kindOf(target) !== 'file') {
        throw new EntryPathError(
          `is a hardlink to "${linkTarget}", which is not an earlier regular file`,
        );
      }
    }
    this.#tree.add(path, kind, linkTarget);
  }

  #checkSize(entry: TarEntry, kind: TreeEntryKind): void {
    if (kind !== 'file' && entry.size !== 0) {
      // Readers disagree on whether data follows such a header; refusing keeps them in step.
      throw new ArchiveInvalid(
        `app ${this.#app}: archive entry ${quoteName(entry.name)} is a ${kind} with ` +
          `${entry.size} bytes of data`,
        { details: { app: this.#app, entry: entry.name } },
      );
    }
    this.#declaredBytes += entry.size;
    if (this.#declaredBytes > this.#limits.maxUnpackedBytes) {
      throw new ArtifactTooLarge(
        `app ${this.#app}: archive entry ${quoteName(entry.name)} takes the unpacked size ` +
          `past the cap of ${this.#limits.maxUnpackedBytes} bytes`,
        {
          details: {
            app: this.#app,
            entry: entry.name,
            maxUnpackedBytes: this.#limits.maxUnpackedBytes,
          },
        },
      );
    }
  }

  #guard<T>(name: string, check: () => T): T {
    try {
      return check();
    } catch (error) {
      if (error instanceof EntryPathError) throw this.#unsafe(name, error.message);
      throw error;
    }
  }

  #unsafe(name: string, reason: string): InstanceType<typeof UnsafeArchiveEntry> {
    return new UnsafeArchiveEntry(`app ${this.#app}: archive entry ${quoteName(name)} ${reason}`, {
      details: { app: this.#app, entry: name },
    });
  }
}
