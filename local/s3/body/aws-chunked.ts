import { Transform, type TransformCallback } from 'node:stream';
import { incompleteBody } from '../s3-error.ts';

/**
 * Decodes the `aws-chunked` content encoding into the object's bytes, streaming. One decoder
 * serves every variant the SDKs send (SigV4 streaming, "Amazon S3 API Reference: Signature
 * Calculations for the Authorization Header: Transferring Payload in Multiple Chunks"):
 *
 *     <hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n
 *     [<trailer-name>:<value>\r\n ...]\r\n
 *
 * Chunk signatures are skipped, not verified (the local S3 checks no signature). Trailers are
 * collected for the caller to verify once the stream has ended.
 */

// A size line is at most a 16-digit size plus ";chunk-signature=" and 64 hex digits; trailers
// are short headers. Anything longer is not aws-chunked and must not grow memory.
const MAX_LINE_BYTES = 4096;

const CR = 0x0d;
const LF = 0x0a;

type State = 'size-line' | 'data' | 'data-end' | 'trailer' | 'done';

export class AwsChunkedDecoder extends Transform {
  /** Trailing headers, lower-case names, e.g. `x-amz-checksum-crc32`. */
  readonly trailers = new Map<string, string>();
  /** Bytes of object data decoded so far. */
  decodedLength = 0;

  #state: State = 'size-line';
  #line: number[] = [];
  #remaining = 0;
  #dataEndSeen = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.#consume(chunk);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    // Some clients end the body right after the last trailer without the closing empty line.
    const endedCleanly =
      this.#state === 'done' || (this.#state === 'trailer' && this.#line.length === 0);
    done(endedCleanly ? null : incompleteBody());
  }

  #consume(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#state === 'data') {
        const take = Math.min(this.#remaining, chunk.length - offset);
        this.push(chunk.subarray(offset, offset + take));
        this.decodedLength += take;
        this.#remaining -= take;
        offset += take;
        if (this.#remaining === 0) this.#state = 'data-end';
      } else if (this.#state === 'data-end') {
        const expected = this.#dataEndSeen === 0 ? CR : LF;
        if (chunk[offset] !== expected) throw incompleteBody();
        this.#dataEndSeen += 1;
        offset += 1;
        if (this.#dataEndSeen === 2) {
          this.#dataEndSeen = 0;
          this.#state = 'size-line';
        }
      } else if (this.#state === 'done') {
        return;
      } else {
        offset = this.#readLine(chunk, offset);
      }
    }
  }

  /** Accumulates one CRLF-terminated line; handles it when complete. Returns the new offset. */
  #readLine(chunk: Buffer, start: number): number {
    let offset = start;
    while (offset < chunk.length) {
      const byte = chunk[offset] as number;
      offset += 1;
      if (byte === LF && this.#line[this.#line.length - 1] === CR) {
        this.#line.pop();
        const line = Buffer.from(this.#line).toString('latin1');
        this.#line = [];
        this.#handleLine(line);
        return offset;
      }
      this.#line.push(byte);
      if (this.#line.length > MAX_LINE_BYTES) throw incompleteBody();
    }
    return offset;
  }

  #handleLine(line: string): void {
    if (this.#state === 'size-line') {
      const sizeText = (line.split(';', 1)[0] ?? '').trim();
      if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw incompleteBody();
      const size = Number.parseInt(sizeText, 16);
      if (!Number.isSafeInteger(size)) throw incompleteBody();
      this.#remaining = size;
      this.#state = size === 0 ? 'trailer' : 'data';
      return;
    }
    if (line === '') {
      this.#state = 'done';
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw incompleteBody();
    this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
}
