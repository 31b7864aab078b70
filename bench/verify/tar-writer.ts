/**
 * The smallest ustar writer the benchmark needs: regular files and directories with short
 * names, written as GNU tar writes them, so `tar -t` and Signet's scanner both read the result.
 */

const BLOCK = 512;

export type TarEntryType = 'file' | 'directory';

/** A 512-byte ustar header for `name` (at most 99 bytes) with `size` bytes of data. */
export function tarHeader(name: string, type: TarEntryType, size: number): Buffer {
  const header = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 99) throw new Error(`tar name too long for the bench: ${name}`);
  header.write(name, 0, 'utf8');
  writeOctal(header, 100, 8, type === 'directory' ? 0o755 : 0o644);
  writeOctal(header, 108, 8, 1000);
  writeOctal(header, 116, 8, 1000);
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, 1_767_225_600);
  header.write(type === 'directory' ? '5' : '0', 156, 'ascii');
  header.write('ustar\u000000', 257, 'ascii');
  header.write('bench', 265, 'ascii');
  header.write('bench', 297, 'ascii');
  // The checksum is computed with its own field read as eight spaces.
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
  return header;
}

/** Zero bytes that bring `size` bytes of data up to a whole block. */
export function tarPadding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

/** The two zero blocks that end an archive. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, 'ascii');
}
