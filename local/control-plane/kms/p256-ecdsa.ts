import { createECDH, createHash, type KeyObject, randomBytes } from 'node:crypto';
import { decodeEcdsaDer, encodeEcdsaDer, P256_ORDER } from '../../../core/verification/index.ts';

/**
 * ECDSA on P-256 over a SHA-256 digest, as KMS does for MessageType DIGEST. node:crypto signs
 * and verifies only messages it hashes itself, so the scalar multiplication k·G is done by
 * node:crypto's ECDH (OpenSSL) and only the arithmetic modulo the group order here (FIPS
 * 186-5, section 6.4). Verification uses the private scalar d, which the local KMS holds:
 * u1·G + u2·Q = (u1 + u2·d)·G, so one multiplication by G decides it.
 */

const n = P256_ORDER;

/** The private scalar d of a P-256 private key. */
export function privateScalar(privateKey: KeyObject): bigint {
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || jwk.d === undefined) throw new Error('not a P-256 private key');
  return toBigInt(Buffer.from(jwk.d, 'base64url'));
}

/** SHA-256 of a RAW message, the digest KMS signs for MessageType RAW. */
export function sha256(message: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(message).digest());
}

/** A DER ECDSA signature of a 32-byte digest, with a fresh random nonce. */
export function signDigest(d: bigint, digest: Uint8Array): Uint8Array {
  const e = toBigInt(digest);
  for (;;) {
    const k = toBigInt(randomBytes(32));
    if (k === 0n || k >= n) continue;
    const r = baseMultipleX(k) % n;
    if (r === 0n) continue;
    const s = (inverse(k) * (e + r * d)) % n;
    if (s === 0n) continue;
    return encodeEcdsaDer({ r, s });
  }
}

/** Whether `signature` (DER) is a valid ECDSA signature of `digest` by the key with scalar d. */
export function verifyDigest(d: bigint, digest: Uint8Array, signature: Uint8Array): boolean {
  const values = decodeEcdsaDer(signature);
  if (values === null) return false;
  const { r, s } = values;
  const w = inverse(s);
  const t = (((toBigInt(digest) * w) % n) + ((r * w) % n) * d) % n;
  // t = 0 would be the point at infinity, which has no x coordinate: never a valid signature.
  return t !== 0n && baseMultipleX(t) % n === r;
}

/** The x coordinate of k·G, computed by OpenSSL through an ECDH key with private value k. */
function baseMultipleX(k: bigint): bigint {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(k.toString(16).padStart(64, '0'), 'hex'));
  // Uncompressed point: 0x04, then 32 bytes of x, then 32 of y.
  return toBigInt(ecdh.getPublicKey().subarray(1, 33));
}

/** a⁻¹ mod n by Fermat's little theorem (n is prime). */
function inverse(a: bigint): bigint {
  let result = 1n;
  let base = a % n;
  let exponent = n - 2n;
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % n;
    base = (base * base) % n;
    exponent >>= 1n;
  }
  return result;
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}
