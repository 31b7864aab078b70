/**
 * ASCII armor of a detached signature (RFC 9580 section 6), decoded here rather than by
 * openpgp because openpgp v6 does not check the CRC24 line: a corrupted `.asc` would then reach
 * the signature check as different bytes instead of being refused as broken armor.
 */

const BEGIN_LINE = '-----BEGIN PGP SIGNATURE-----';
const END_LINE = '-----END PGP SIGNATURE-----';
const ARMOR_HEADER = /^[A-Za-z0-9-]+: /;
const BASE64_LINE = /^[A-Za-z0-9+/=]+$/;
const BASE64_TEXT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const CHECKSUM_LINE = /^=([A-Za-z0-9+/]{4})$/;
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** Thrown for any flaw in the armor; the caller turns it into SignatureMalformed. */
export class ArmorError extends Error {
  override readonly name = 'ArmorError';
}

/** The text after an optional UTF-8 byte order mark and leading whitespace. */
function armorText(bytes: Uint8Array): string {
  const hasBom = UTF8_BOM.every((byte, index) => bytes[index] === byte);
  return Buffer.from(bytes.subarray(hasBom ? UTF8_BOM.length : 0))
    .toString('latin1')
    .trimStart();
}

/** Whether the bytes are armor (`.asc`) rather than binary packets (`.sig`). */
export function isArmored(bytes: Uint8Array): boolean {
  return armorText(bytes.subarray(0, 256)).startsWith('-----BEGIN PGP ');
}

/**
 * Decodes an armored detached signature to its packet bytes. Tolerates CRLF line ends, a BOM,
 * leading whitespace and trailing spaces; refuses anything else that is not exactly one
 * signature block with a matching checksum (when a checksum line is present).
 */
export function dearmorSignature(bytes: Uint8Array): Uint8Array {
  const text = armorText(bytes);
  if (!isPrintableAscii(text)) {
    throw new ArmorError('armor holds bytes that are not printable ASCII');
  }
  const lines = text.split(/\r?\n/).map((line) => line.trimEnd());
  const begin = lines[0] ?? '';
  if (begin !== BEGIN_LINE) {
    throw new ArmorError(`armor starts with "${begin.slice(0, 40)}", not "${BEGIN_LINE}"`);
  }
  let index = 1;
  while (ARMOR_HEADER.test(lines[index] ?? '')) index += 1;
  if (lines[index] !== '') throw new ArmorError('armor headers are not followed by a blank line');
  index += 1;

  const body: string[] = [];
  while (index < lines.length && BASE64_LINE.test(lines[index] ?? '')) {
    if (CHECKSUM_LINE.test(lines[index] ?? '') && body.length > 0) break;
    body.push(lines[index] ?? '');
    index += 1;
  }
  const checksum = CHECKSUM_LINE.exec(lines[index] ?? '')?.[1];
  if (checksum !== undefined) index += 1;
  if (lines[index] !== END_LINE) {
    const atEnd = lines.slice(index).every((line) => line === '');
    throw new ArmorError(
      atEnd
        ? `armor lacks its "${END_LINE}" line`
        : `armor line ${index + 1} is neither base64 nor the armor's end line`,
    );
  }
  if (lines.slice(index + 1).some((line) => line !== '')) {
    throw new ArmorError('text follows the armor end line');
  }

  const base64 = body.join('');
  if (base64 === '' || !BASE64_TEXT.test(base64)) {
    throw new ArmorError('armor body is not valid base64');
  }
  const packets = new Uint8Array(Buffer.from(base64, 'base64'));
  if (checksum !== undefined && crc24Base64(packets) !== checksum) {
    throw new ArmorError('armor checksum does not match its body');
  }
  return packets;
}

function isPrintableAscii(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    const isLineSpace = code === 0x09 || code === 0x0a || code === 0x0d;
    if (!isLineSpace && (code < 0x20 || code > 0x7e)) return false;
  }
  return true;
}

const CRC24_INIT = 0xb704ce;
const CRC24_POLY = 0x1864cfb;

function crc24Base64(data: Uint8Array): string {
  let crc = CRC24_INIT;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let bit = 0; bit < 8; bit += 1) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= CRC24_POLY;
    }
  }
  const value = crc & 0xffffff;
  return Buffer.from([value >> 16, (value >> 8) & 0xff, value & 0xff]).toString('base64');
}
