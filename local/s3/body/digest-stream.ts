import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback, Writable } from 'node:stream';
import { S3ServiceError } from '../s3-error.ts';
import { type ChecksumAlgorithm, type ChecksumHasher, createChecksumHasher } from './checksums.ts';

/**
 * Passes bytes through while computing what S3 derives from an upload: the MD5 behind the ETag,
 * the additional checksum the client declared, and the SHA-256 of a signed payload.
 */
export class DigestStream extends Transform {
  readonly md5: Hash = createHash('md5');
  readonly checksum: ChecksumHasher | undefined;
  readonly sha256: Hash | undefined;
  size = 0;

  constructor(options: { checksum?: ChecksumAlgorithm | undefined; sha256?: boolean } = {}) {
    super();
    this.checksum = options.checksum ? createChecksumHasher(options.checksum) : undefined;
    this.sha256 = options.sha256 ? createHash('sha256') : undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.md5.update(chunk);
    this.checksum?.update(chunk);
    this.sha256?.update(chunk);
    this.size += chunk.length;
    done(null, chunk);
  }
}

/** Collects a small request document in memory, refusing anything past `limit` bytes. */
export class MemorySink extends Writable {
  readonly #chunks: Buffer[] = [];
  readonly #limit: number;
  #length = 0;

  constructor(limit: number) {
    super();
    this.#limit = limit;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
    this.#length += chunk.length;
    if (this.#length > this.#limit) {
      done(new S3ServiceError(400, 'MaxMessageLengthExceeded', 'Your request was too big.'));
      return;
    }
    this.#chunks.push(chunk);
    done();
  }

  contents(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}
