/**
 * ECDSA signatures as KMS returns them: the DER encoding of `ECDSA-Sig-Value ::= SEQUENCE {
 * r INTEGER, s INTEGER }` (RFC 3279 section 2.2.3), here for the P-256 curve only.
 */

/** The order of the P-256 base point (SEC 2, secp256r1 `n`): r and s lie in [1, n - 1]. */
export const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** r and s of a P-256 ECDSA signature. */
export interface EcdsaSignatureValues {
  readonly r: bigint;
  readonly s: bigint;
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
// A P-256 value has at most 32 bytes, 33 with the leading zero DER adds when the top bit is set.
const MAX_INTEGER_BYTES = 33;

/**
 * Reads a DER ECDSA-Sig-Value strictly: one SEQUENCE of two minimally encoded positive
 * INTEGERs in [1, n - 1], short-form lengths, nothing after it. Null when the bytes are
 * anything else, so BER variants and trailing garbage never reach the verifier.
 */
export function decodeEcdsaDer(bytes: Uint8Array): EcdsaSignatureValues | null {
  if (bytes.length < 8 || bytes[0] !== SEQUENCE || bytes[1] !== bytes.length - 2) return null;
  const r = readInteger(bytes, 2);
  if (r === null) return null;
  const s = readInteger(bytes, r.end);
  if (s === null || s.end !== bytes.length) return null;
  return inRange(r.value) && inRange(s.value) ? { r: r.value, s: s.value } : null;
}

/** DER of (r, s): each INTEGER as short as it can be, with a zero byte where the top bit is set. */
export function encodeEcdsaDer({ r, s }: EcdsaSignatureValues): Uint8Array {
  const body = [...integerBytes(r), ...integerBytes(s)];
  return Uint8Array.from([SEQUENCE, body.length, ...body]);
}

function readInteger(bytes: Uint8Array, at: number): { value: bigint; end: number } | null {
  const length = bytes[at + 1] ?? 0;
  const end = at + 2 + length;
  if (bytes[at] !== INTEGER || length < 1 || length > MAX_INTEGER_BYTES || end > bytes.length) {
    return null;
  }
  const content = bytes.subarray(at + 2, end);
  const first = content[0] ?? 0;
  // Negative numbers, and a leading zero that is not needed, are not DER.
  if ((first & 0x80) !== 0) return null;
  if (first === 0 && content.length > 1 && ((content[1] ?? 0) & 0x80) === 0) return null;
  return { value: BigInt(`0x${Buffer.from(content).toString('hex')}`), end };
}

function inRange(value: bigint): boolean {
  return value >= 1n && value < P256_ORDER;
}

function integerBytes(value: bigint): number[] {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const content = [...Buffer.from(hex, 'hex')];
  if (((content[0] ?? 0) & 0x80) !== 0) content.unshift(0);
  return [INTEGER, content.length, ...content];
}
