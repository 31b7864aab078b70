import { ArchiveInvalid, UnsafeArchiveEntry } from '../errors.ts';
import { quoteName } from './messages.ts';
import { parsePaxRecords } from './pax-records.ts';
import type { TarEntry } from './tar-entry.ts';
import { TarFormatError, type TarHeader } from './tar-header.ts';

/** A pax header holds a few paths and times; 64 KiB leaves room for xattrs without a bomb. */
const PAX_DATA_MAX_BYTES = 64 * 1024;

// ignoreBOM keeps a leading U+FEFF: tar extracts "\uFEFFappspec.yml", not "appspec.yml".
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Headers that describe other headers: pax ('x', 'g') and GNU long names ('L', 'K'). */
export type ExtendedHeaderKind = 'pax' | 'global' | 'longName' | 'longLink';

export const EXTENDED_HEADER_TYPEFLAGS: Readonly<Record<string, ExtendedHeaderKind>> = {
  x: 'pax',
  g: 'global',
  L: 'longName',
  K: 'longLink',
};

/**
 * Gathers the extended headers that precede an entry and applies them to its own header.
 * Each kind may appear once per entry: readers disagree on which of two wins.
 */
export class ExtendedHeaders {
  readonly #app: string;
  readonly #maxPathLength: number;
  #pax: ReadonlyMap<string, string> | undefined;
  #longName: Uint8Array | undefined;
  #longLink: Uint8Array | undefined;

  constructor(app: string, maxPathLength: number) {
    this.#app = app;
    this.#maxPathLength = maxPathLength;
  }

  get pending(): boolean {
    return this.#pax !== undefined || this.#longName !== undefined || this.#longLink !== undefined;
  }

  /** Checks an extended header before its data is read: not repeated, and not too large. */
  begin(kind: ExtendedHeaderKind, size: number, headerName: string, offset: number): void {
    const repeated =
      kind === 'global'
        ? this.pending
        : { pax: this.#pax, longName: this.#longName, longLink: this.#longLink }[kind];
    if (repeated) {
      throw this.#invalid(`header at byte ${offset} repeats or interrupts an extended header`);
    }
    const isPax = kind === 'pax' || kind === 'global';
    const limit = isPax ? PAX_DATA_MAX_BYTES : this.#maxPathLength + 1;
    if (size > limit) {
      const what = isPax ? 'pax header' : 'GNU long name';
      throw this.#unsafe(headerName, `is a ${what} of ${size} bytes, more than ${limit}`);
    }
  }

  /** Takes an extended header's data once it has all arrived. */
  complete(kind: ExtendedHeaderKind, data: Uint8Array, headerName: string): void {
    if (kind === 'longName' || kind === 'longLink') {
      const end = data.indexOf(0);
      const name = data.subarray(0, end < 0 ? data.length : end);
      if (kind === 'longName') this.#longName = name;
      else this.#longLink = name;
      return;
    }
    let records: ReadonlyMap<string, string>;
    try {
      records = parsePaxRecords(data);
    } catch (error) {
      if (!(error instanceof TarFormatError)) throw error;
      throw this.#invalid(error.message);
    }
    if (kind === 'pax') {
      this.#pax = records;
      return;
    }
    const overriding = [...records.keys()].filter(
      (key) => ['path', 'linkpath', 'size'].includes(key) || key.startsWith('GNU.sparse.'),
    );
    if (overriding.length > 0) {
      throw this.#unsafe(
        headerName,
        `is a pax global header that sets ${overriding.join(', ')} for every later entry, ` +
          'which readers apply differently',
      );
    }
  }

  /** The entry as its header and the extended headers before it describe it; then forgets them. */
  apply(header: TarHeader, offset: number): TarEntry {
    const pax = this.#pax;
    const longName = this.#longName;
    const longLink = this.#longLink;
    this.#pax = this.#longName = this.#longLink = undefined;
    if ((pax?.has('path') && longName) || (pax?.has('linkpath') && longLink)) {
      throw this.#invalid(`entry at byte ${offset} has both a pax and a GNU long name`);
    }
    const name = pax?.get('path') ?? this.#decodeName(longName ?? header.name, offset);
    const linkTarget =
      pax?.get('linkpath') ?? this.#decodeName(longLink ?? header.linkName, offset);
    const paxSize = pax?.get('size');
    if (paxSize !== undefined && !/^[0-9]{1,15}$/.test(paxSize)) {
      throw this.#invalid(`entry ${quoteName(name)} has an invalid pax size "${paxSize}"`);
    }
    const risky = riskyPaxReason(pax);
    if (risky !== null) throw this.#unsafe(name, risky);
    const size = paxSize === undefined ? header.size : Number(paxSize);
    return { name, linkTarget, typeflag: header.typeflag, mode: header.mode, size, offset };
  }

  /** Names must be UTF-8: hook paths in appspec.yml are, and a second reading must agree. */
  #decodeName(bytes: Uint8Array, offset: number): string {
    try {
      return strictUtf8.decode(bytes);
    } catch {
      const lossy = lenientUtf8.decode(bytes);
      throw this.#unsafe(lossy, `(header at byte ${offset}) is not valid UTF-8`);
    }
  }

  #unsafe(name: string, reason: string): InstanceType<typeof UnsafeArchiveEntry> {
    return new UnsafeArchiveEntry(`app ${this.#app}: archive entry ${quoteName(name)} ${reason}`, {
      details: { app: this.#app, entry: name },
    });
  }

  #invalid(reason: string): InstanceType<typeof ArchiveInvalid> {
    return new ArchiveInvalid(`app ${this.#app}: ${reason}`, { details: { app: this.#app } });
  }
}

/** Sparse files and file capabilities arrive as pax keys; neither belongs in a release. */
function riskyPaxReason(pax: ReadonlyMap<string, string> | undefined): string | null {
  for (const key of pax?.keys() ?? []) {
    if (key.startsWith('GNU.sparse.')) return 'is a sparse file';
    if (key.endsWith('xattr.security.capability')) {
      return 'carries file capabilities (security.capability), a privilege like setuid';
    }
  }
  return null;
}
