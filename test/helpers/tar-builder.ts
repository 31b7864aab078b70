/**
 * Hand-made tar bytes for tests, including what GNU tar would never write: pax and GNU
 * long-name headers on demand, devices, setuid modes, links anywhere, wrong checksums, sizes in
 * base-256. Real-world good archives come from `tar czf`; this builds the hostile ones.
 *
 * @example
 * const tar = buildTar([tarEntry({ name: 'a.txt', data: 'hi' }), tarEntry({ name: '../x' })]);
 * const artifact = gzip(tar);
 */
import { gzipSync } from 'node:zlib';

const BLOCK = 512;

const TYPEFLAGS = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  char: '3',
  block: '4',
  directory: '5',
  fifo: '6',
  contiguous: '7',
} as const;

export interface TarEntrySpec {
  readonly name: string | Uint8Array;
  /** Default 'file' ('directory' gets mode 755). */
  readonly type?: keyof typeof TYPEFLAGS;
  /** A raw typeflag, overriding `type` (e.g. 'S', 'D', 'x', 'V'). */
  readonly typeflag?: string;
  readonly data?: Uint8Array | string;
  readonly linkName?: string | Uint8Array;
  /** Default 0o644 for files, 0o755 for directories, 0o777 for symlinks. */
  readonly mode?: number;
  /** The size the header declares; defaults to the data's length. */
  readonly size?: number;
  readonly sizeEncoding?: 'octal' | 'base256';
  /** 'gnu' (GNU tar's default, magic "ustar  ") or 'ustar' (POSIX, with a name prefix field). */
  readonly format?: 'gnu' | 'ustar';
  /** POSIX ustar only: the prefix field, joined to the name with '/'. */
  readonly prefix?: string;
  /** Adds this to the stored checksum, making it wrong. */
  readonly checksumError?: number;
}

const encoder = new TextEncoder();

function bytesOf(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? encoder.encode(value) : value;
}

function writeField(header: Uint8Array, offset: number, length: number, value: Uint8Array): void {
  if (value.length > length) throw new Error(`tar field at ${offset} overflows: ${value.length}`);
  header.set(value, offset);
}

function octal(value: number, width: number): Uint8Array {
  return encoder.encode(`${value.toString(8).padStart(width - 1, '0')}\u0000`);
}

function base256(value: number, width: number): Uint8Array {
  const field = new Uint8Array(width);
  field[0] = 0x80;
  let rest = value;
  for (let index = width - 1; index > 0; index -= 1) {
    field[index] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return field;
}

/** One header block, with a correct checksum unless `checksumError` says otherwise. */
export function tarHeader(spec: TarEntrySpec): Uint8Array {
  const type = spec.type ?? 'file';
  const typeflag = spec.typeflag ?? TYPEFLAGS[type];
  const data = bytesOf(spec.data ?? '');
  const size = spec.size ?? data.length;
  const defaultMode = type === 'directory' ? 0o755 : type === 'symlink' ? 0o777 : 0o644;
  const header = new Uint8Array(BLOCK);
  writeField(header, 0, 100, bytesOf(spec.name));
  writeField(header, 100, 8, octal(spec.mode ?? defaultMode, 8));
  writeField(header, 108, 8, octal(0, 8));
  writeField(header, 116, 8, octal(0, 8));
  const sizeField = spec.sizeEncoding === 'base256' ? base256(size, 12) : octal(size, 12);
  writeField(header, 124, 12, sizeField);
  writeField(header, 136, 12, octal(1_700_000_000, 12));
  header[156] = typeflag.charCodeAt(0);
  writeField(header, 157, 100, bytesOf(spec.linkName ?? ''));
  const magic = spec.format === 'ustar' ? 'ustar\u000000' : 'ustar  \u0000';
  writeField(header, 257, 8, encoder.encode(magic));
  writeField(header, 265, 32, encoder.encode('root'));
  writeField(header, 297, 32, encoder.encode('root'));
  if (spec.prefix !== undefined) writeField(header, 345, 155, encoder.encode(spec.prefix));
  return withChecksum(header, spec.checksumError);
}

/** Rewrites a header's checksum field to match its bytes (plus `error`); returns the header. */
export function withChecksum(header: Uint8Array, error = 0): Uint8Array {
  header.fill(0x20, 148, 156);
  const sum = header.reduce((total, byte) => total + byte, 0) + error;
  writeField(header, 148, 8, encoder.encode(`${sum.toString(8).padStart(6, '0')}\u0000 `));
  return header;
}

/** Header, data and zero padding to the next block. */
export function tarEntry(spec: TarEntrySpec): Uint8Array {
  const data = bytesOf(spec.data ?? '');
  return concat([tarHeader(spec), data, new Uint8Array(padding(data.length))]);
}

/** A pax extended header ('x'), or a global one ('g'), carrying the given records. */
export function paxHeader(
  records: Readonly<Record<string, string>>,
  options: { readonly global?: boolean } = {},
): Uint8Array {
  const body = Object.entries(records)
    .map(([key, value]) => paxRecord(key, value))
    .join('');
  return tarEntry({
    name: options.global ? 'pax_global_header' : 'PaxHeaders/entry',
    typeflag: options.global ? 'g' : 'x',
    data: body,
  });
}

/** `<length> <key>=<value>\n`, where the length counts itself. */
export function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  const restLength = encoder.encode(rest).length;
  let length = restLength + 1;
  while (String(length).length + restLength !== length) length += 1;
  return `${length}${rest}`;
}

/** GNU tar's long-name ('L') or long-link ('K') header before an entry. */
export function gnuLongName(name: string, kind: 'name' | 'link' = 'name'): Uint8Array {
  return tarEntry({
    name: '././@LongLink',
    typeflag: kind === 'name' ? 'L' : 'K',
    data: `${name}\u0000`,
  });
}

/** Two zero blocks: the end-of-archive marker. */
export function endOfArchive(): Uint8Array {
  return new Uint8Array(2 * BLOCK);
}

/** Parts in order, then the end marker (unless `end: false`), then `trailing` bytes. */
export function buildTar(
  parts: readonly Uint8Array[],
  options: { readonly end?: boolean; readonly trailing?: Uint8Array } = {},
): Uint8Array {
  const end = options.end === false ? [] : [endOfArchive()];
  return concat([...parts, ...end, options.trailing ?? new Uint8Array()]);
}

export function gzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(bytes));
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function padding(length: number): number {
  return (BLOCK - (length % BLOCK)) % BLOCK;
}
