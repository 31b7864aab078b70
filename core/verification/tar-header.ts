/**
 * One 512-byte tar header block, decoded as POSIX ustar and GNU tar write it. Field offsets are
 * from POSIX.1-2017 `pax` (ustar interchange format) and the GNU tar manual ("Basic Tar
 * Format"). Decoding never guesses: a field that is not what a tar writer puts there refuses.
 */

export const TAR_BLOCK_SIZE = 512;

/** Thrown for a header no tar writer makes; the scanner turns it into ArchiveInvalid. */
export class TarFormatError extends Error {
  override readonly name = 'TarFormatError';
}

export interface TarHeader {
  /** The name field, or `prefix/name` in POSIX ustar; raw bytes up to the first NUL. */
  readonly name: Uint8Array;
  readonly linkName: Uint8Array;
  /** One character; '\0' is an old-style regular file. */
  readonly typeflag: string;
  readonly mode: number;
  readonly size: number;
}

const NAME = [0, 100] as const;
const MODE = [100, 108] as const;
const UID = [108, 116] as const;
const GID = [116, 124] as const;
const MTIME = [136, 148] as const;
const SIZE = [124, 136] as const;
const CHECKSUM = [148, 156] as const;
const TYPEFLAG = 156;
const LINK_NAME = [157, 257] as const;
const MAGIC = [257, 265] as const;
const PREFIX = [345, 500] as const;

const POSIX_MAGIC = 'ustar\u000000';
const GNU_MAGIC = 'ustar  \u0000';

export function isZeroBlock(block: Uint8Array): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

export function decodeTarHeader(block: Uint8Array): TarHeader {
  verifyChecksum(block);
  const magic = Buffer.from(block.subarray(...MAGIC)).toString('latin1');
  if (magic !== POSIX_MAGIC && magic !== GNU_MAGIC) {
    throw new TarFormatError('header is neither POSIX ustar nor GNU tar (unknown magic)');
  }
  checkNumericField(block.subarray(...UID), 'uid', 0n, MAX_ID);
  checkNumericField(block.subarray(...GID), 'gid', 0n, MAX_ID);
  checkNumericField(block.subarray(...MTIME), 'mtime', MIN_TIME, MAX_TIME);
  const name = cString(block.subarray(...NAME));
  // GNU tar keeps other fields (atime, ctime) where POSIX puts the prefix.
  const prefix = magic === POSIX_MAGIC ? cString(block.subarray(...PREFIX)) : new Uint8Array();
  return {
    name: prefix.length === 0 ? name : Buffer.concat([prefix, Buffer.from('/'), name]),
    linkName: cString(block.subarray(...LINK_NAME)),
    typeflag: String.fromCharCode(block[TYPEFLAG] ?? 0),
    mode: parseOctal(block.subarray(...MODE), 'mode'),
    size: parseSize(block.subarray(...SIZE)),
  };
}

function verifyChecksum(block: Uint8Array): void {
  let unsigned = 0;
  let signed = 0;
  for (let index = 0; index < TAR_BLOCK_SIZE; index += 1) {
    const inField = index >= CHECKSUM[0] && index < CHECKSUM[1];
    const byte = inField ? 0x20 : (block[index] ?? 0);
    unsigned += byte;
    signed += byte > 0x7f ? byte - 0x100 : byte;
  }
  const stored = parseOctal(block.subarray(...CHECKSUM), 'checksum');
  // Old writers summed signed chars; GNU tar accepts either sum, and so do we.
  if (stored !== unsigned && stored !== signed) {
    throw new TarFormatError(`header checksum ${stored} does not match its bytes (${unsigned})`);
  }
}

const MAX_ID = 0xffff_ffffn;
const MIN_TIME = -(2n ** 63n);
const MAX_TIME = 2n ** 63n - 1n;

/**
 * uid, gid and mtime are not used here, but GNU tar fails the whole listing on the host when it
 * cannot read one, so they must be what it reads: all NULs (zero), octal, or base-256 in range.
 */
function checkNumericField(field: Uint8Array, what: string, min: bigint, max: bigint): void {
  const first = field[0] ?? 0;
  let value: bigint;
  if (isZeroBlock(field)) return;
  if (first === 0x80 || first === 0xff) {
    value = BigInt(`0x${Buffer.from(field.subarray(1)).toString('hex')}`);
    if (first === 0xff) value -= 2n ** BigInt(8 * (field.length - 1));
  } else {
    value = BigInt(parseOctal(field, what));
  }
  if (value < min || value > max) {
    throw new TarFormatError(`header ${what} ${value} is out of range (${min} to ${max})`);
  }
}

function cString(field: Uint8Array): Uint8Array {
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end);
}

/** Octal digits, optionally space-padded in front and ended by a NUL or space, as tar writes. */
function parseOctal(field: Uint8Array, what: string): number {
  // A NUL or space ends the digits; read them as spaces so one pattern covers both.
  const text = Buffer.from(field).toString('latin1').replaceAll('\u0000', ' ');
  const match = /^ *([0-7]+) *$/.exec(text);
  if (match?.[1] === undefined) {
    throw new TarFormatError(`header ${what} field ${JSON.stringify(text)} is not octal`);
  }
  return Number.parseInt(match[1], 8);
}

/**
 * Sizes past 8 GiB do not fit 11 octal digits; GNU tar then writes base-256: the first byte's
 * top bit set, the rest a big-endian number. A negative size (first byte 0xff) is refused.
 */
function parseSize(field: Uint8Array): number {
  const first = field[0] ?? 0;
  if ((first & 0x80) === 0) return parseOctal(field, 'size');
  if (first !== 0x80) throw new TarFormatError('header size is negative (base-256)');
  let size = 0;
  for (const byte of field.subarray(1)) {
    size = size * 256 + byte;
    if (!Number.isSafeInteger(size)) throw new TarFormatError('header size is too large');
  }
  return size;
}
