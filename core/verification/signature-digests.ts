import { createHash, type Hash } from 'node:crypto';
import * as openpgp from 'openpgp';
import { internalsOf } from './openpgp-signature.ts';

const hash = openpgp.enums.hash;

/** Collisions are practical (SHA-1, MD5) or the margin is gone (RIPEMD-160): never trusted. */
export const WEAK_HASHES: ReadonlyMap<number, string> = new Map([
  [hash.md5, 'MD5'],
  [hash.sha1, 'SHA-1'],
  [hash.ripemd, 'RIPEMD-160'],
]);

/** node:crypto's name for each hash openpgp accepts on a message signature. */
const NODE_HASH_NAMES: ReadonlyMap<number, string> = new Map([
  [hash.sha224, 'sha224'],
  [hash.sha256, 'sha256'],
  [hash.sha384, 'sha384'],
  [hash.sha512, 'sha512'],
  [hash.sha3_256, 'sha3-256'],
  [hash.sha3_512, 'sha3-512'],
]);

/** RFC 9580 section 9.5: a v6 signature's salt length is fixed by its hash. */
const V6_SALT_LENGTHS: ReadonlyMap<number, number> = new Map([
  [hash.sha224, 16],
  [hash.sha256, 16],
  [hash.sha384, 24],
  [hash.sha512, 32],
  [hash.sha3_256, 16],
  [hash.sha3_512, 32],
]);

/**
 * Why this packet's digest cannot be computed here, or null when it can: versions 4 and 6
 * (what gpg and RFC 9580 implementations make) with a hash node:crypto provides.
 */
export function digestUnsupportedReason(packet: openpgp.SignaturePacket): string | null {
  const { version, salt } = internalsOf(packet);
  const algorithm = packet.hashAlgorithm ?? -1;
  if (!NODE_HASH_NAMES.has(algorithm)) return `hash algorithm ${algorithm} is not supported`;
  if (version === 4) return null;
  if (version === 6 && salt?.length === V6_SALT_LENGTHS.get(algorithm)) return null;
  if (version === 6) return 'its salt does not have the length its hash requires';
  return `version ${version} signatures are not supported`;
}

/**
 * Computes each signature packet's digest with node:crypto on the artifact's single pass,
 * because openpgp's own streaming hash runs at about a fifth of node:crypto's speed. A packet
 * signs hash(salt || artifact || hashed subpackets || trailer); packets sharing a hash and salt
 * share one running hash, and an unsalted SHA-256 packet reuses the artifact's own SHA-256.
 */
export class SignatureDigests {
  readonly #artifactHash: Hash;
  readonly #running = new Map<string, Hash>();
  readonly #packets: readonly openpgp.SignaturePacket[];

  /** Every packet must have passed digestUnsupportedReason; `artifactHash` must be fresh. */
  constructor(packets: readonly openpgp.SignaturePacket[], artifactHash: Hash) {
    this.#artifactHash = artifactHash;
    this.#packets = packets;
    for (const packet of packets) {
      const key = runningHashKey(packet);
      if (key === ARTIFACT_HASH_KEY || this.#running.has(key)) continue;
      const running = createHash(nodeHashName(packet));
      const salt = internalsOf(packet).salt;
      if (salt !== null) running.update(salt);
      this.#running.set(key, running);
    }
  }

  /** Feeds the next artifact bytes to every running hash except the artifact's own. */
  update(chunk: Uint8Array): void {
    for (const running of this.#running.values()) running.update(chunk);
  }

  /** After the last chunk, and before the artifact hash is finalised: packet -> digest. */
  finish(): ReadonlyMap<openpgp.SignaturePacket, Uint8Array> {
    const digests = new Map<openpgp.SignaturePacket, Uint8Array>();
    for (const packet of this.#packets) {
      const key = runningHashKey(packet);
      const running = key === ARTIFACT_HASH_KEY ? this.#artifactHash : this.#running.get(key);
      if (running === undefined) continue;
      const digest = running.copy().update(signedTrailer(packet)).digest();
      digests.set(packet, new Uint8Array(digest));
    }
    return digests;
  }
}

const ARTIFACT_HASH_KEY = 'sha256:';

function nodeHashName(packet: openpgp.SignaturePacket): string {
  return NODE_HASH_NAMES.get(packet.hashAlgorithm ?? -1) ?? 'unsupported';
}

function runningHashKey(packet: openpgp.SignaturePacket): string {
  const salt = internalsOf(packet).salt;
  return `${nodeHashName(packet)}:${salt === null ? '' : Buffer.from(salt).toString('hex')}`;
}

/** What follows the data in the hash: openpgp's toHash over no data, minus the salt prefix. */
function signedTrailer(packet: openpgp.SignaturePacket): Uint8Array {
  const internals = internalsOf(packet);
  const all = internals.toHash(openpgp.enums.signature.standalone, undefined, true);
  return all.subarray(internals.salt?.length ?? 0);
}
