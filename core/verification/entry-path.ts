import { hasControlCharacter } from './messages.ts';

/**
 * Rules for the names inside an archive. Names are judged as the bytes say, with one
 * normalisation only: a leading './' (what `tar czf x.tgz -C dir .` writes) is dropped. Nothing
 * else is collapsed, so 'a//b' or 'a/./b' is refused rather than read as 'a/b': two readers
 * must never disagree on which file an entry is.
 */

export interface PathLimits {
  readonly maxDepth: number;
  readonly maxPathLength: number;
}

/** A name refused, with the reason to put in the message. */
export class EntryPathError extends Error {
  override readonly name = 'EntryPathError';
}

const DRIVE_LETTER = /^[A-Za-z]:/;

/** NAME_MAX of every Linux file system a host may use (ext4, xfs, tmpfs): tar cannot create more. */
export const MAX_COMPONENT_BYTES = 255;

/**
 * PATH_MAX (4096) counts the final NUL, and tar opens each entry by its name as stored, leading
 * './' included: a longer name cannot be extracted, whatever `maxPathLength` says.
 */
export const MAX_STORED_PATH_BYTES = 4095;

/** The archive root itself, as `tar -C dir .` names it. */
export const ROOT_PATH = '';

/**
 * Normalises an entry's name: '' for the archive root ('./'), otherwise the path without its
 * leading './' and without the trailing '/' a directory may carry. Throws EntryPathError.
 */
export function normaliseEntryName(name: string, isDirectory: boolean, limits: PathLimits): string {
  refuseUnsafeCharacters(name);
  refuseTooLong(name, limits);
  if (isDirectory && (name === '.' || name === './')) return ROOT_PATH;
  let path = name.startsWith('./') ? name.slice(2) : name;
  if (path.endsWith('/')) {
    if (!isDirectory) throw new EntryPathError("ends with '/' but is not a directory");
    path = path.slice(0, -1);
  }
  const components = path.split('/');
  for (const component of components) {
    if (component === '') throw new EntryPathError("has an empty path component ('//')");
    if (component === '.') throw new EntryPathError("has a '.' path component");
    if (component === '..') throw new EntryPathError("has a '..' path component");
  }
  if (components.length > limits.maxDepth) {
    throw new EntryPathError(
      `is ${components.length} levels deep, past the cap of ${limits.maxDepth}`,
    );
  }
  return path;
}

/**
 * Checks a symlink's target and resolves it against the link's own directory, by name alone
 * (links met on the way are followed later, once every link is known). Returns the resolved
 * path ('' for the root). Throws EntryPathError when the target leaves the archive.
 */
export function resolveLinkTarget(linkPath: string, target: string, limits: PathLimits): string {
  if (target === '') throw new EntryPathError('is a symlink with an empty target');
  refuseUnsafeCharacters(target, 'target');
  refuseTooLong(target, limits);
  const directory = linkPath.split('/').slice(0, -1);
  const resolved = walk(directory, target.split('/'));
  if (resolved === null) {
    throw new EntryPathError(`is a symlink whose target "${target}" leaves the archive`);
  }
  return resolved.join('/');
}

/** Applies components to a directory; null when a '..' climbs above the root. */
export function walk(directory: readonly string[], components: readonly string[]): string[] | null {
  const stack = [...directory];
  for (const component of components) {
    if (component === '' || component === '.') continue;
    if (component === '..') {
      if (stack.length === 0) return null;
      stack.pop();
    } else {
      stack.push(component);
    }
  }
  return stack;
}

function refuseUnsafeCharacters(text: string, what: 'name' | 'target' = 'name'): void {
  const subject = what === 'name' ? 'has' : 'has a link target with';
  if (text === '') throw new EntryPathError('has an empty name');
  if (hasControlCharacter(text)) throw new EntryPathError(`${subject} a control character`);
  if (text.includes('\\')) throw new EntryPathError(`${subject} a backslash`);
  if (text.startsWith('/')) throw new EntryPathError(`${subject} an absolute path`);
  if (DRIVE_LETTER.test(text)) throw new EntryPathError(`${subject} a drive letter`);
}

/** Lengths as stored, in UTF-8 bytes: what the host's tar and file system see. */
function refuseTooLong(text: string, limits: PathLimits): void {
  const cap = Math.min(limits.maxPathLength, MAX_STORED_PATH_BYTES);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > cap) throw new EntryPathError(`is ${bytes} bytes long, past the cap of ${cap}`);
  if (bytes <= MAX_COMPONENT_BYTES) return;
  for (const component of text.split('/')) {
    const length = Buffer.byteLength(component, 'utf8');
    if (length > MAX_COMPONENT_BYTES) {
      throw new EntryPathError(
        `has a path component of ${length} bytes, past the cap of ${MAX_COMPONENT_BYTES}`,
      );
    }
  }
}
