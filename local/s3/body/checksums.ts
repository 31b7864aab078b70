import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Crc64Nvme, crc32c } from './crc.ts';

/** The additional checksums S3 accepts (x-amz-checksum-<lower-case name>). */
export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** Whether the stored value covers the whole object or is a checksum of part checksums. */
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

/** A checksum kept with an object version: base64 value, `-N` suffixed when composite. */
export interface StoredChecksum {
  readonly algorithm: ChecksumAlgorithm;
  readonly value: string;
  readonly type: ChecksumType;
}

export interface ChecksumHasher {
  update(data: Uint8Array): void;
  /** The raw digest bytes; base64 of these is what travels in x-amz-checksum-* headers. */
  digest(): Buffer;
}

const DIGEST_BYTES: Readonly<Record<ChecksumAlgorithm, number>> = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
};

class RunningCrc32 implements ChecksumHasher {
  readonly #step: (data: Uint8Array, previous: number) => number;
  #value = 0;
  constructor(step: (data: Uint8Array, previous: number) => number) {
    this.#step = step;
  }
  update(data: Uint8Array): void {
    this.#value = this.#step(data, this.#value);
  }
  digest(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(this.#value >>> 0, 0);
    return out;
  }
}

export function createChecksumHasher(algorithm: ChecksumAlgorithm): ChecksumHasher {
  switch (algorithm) {
    case 'CRC32':
      return new RunningCrc32((data, previous) => crc32(data, previous));
    case 'CRC32C':
      return new RunningCrc32(crc32c);
    case 'CRC64NVME':
      return new Crc64Nvme();
    case 'SHA1':
      return createHash('sha1');
    case 'SHA256':
      return createHash('sha256');
  }
}

/** `x-amz-checksum-crc32` for CRC32, and so on. */
export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** The algorithm named by an x-amz-checksum-* header or trailer name, if it is one. */
export function algorithmOfHeader(name: string): ChecksumAlgorithm | undefined {
  const lower = name.toLowerCase();
  return CHECKSUM_ALGORITHMS.find((algorithm) => checksumHeaderName(algorithm) === lower);
}

/** The algorithm named by x-amz-checksum-algorithm / x-amz-sdk-checksum-algorithm. */
export function parseAlgorithmName(name: string): ChecksumAlgorithm | undefined {
  const upper = name.trim().toUpperCase();
  return CHECKSUM_ALGORITHMS.find((algorithm) => algorithm === upper);
}

/** Whether a client-sent value is well-formed base64 of the algorithm's digest length. */
export function isWellFormedChecksum(algorithm: ChecksumAlgorithm, value: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return false;
  return Buffer.from(value, 'base64').length === DIGEST_BYTES[algorithm];
}
