import { rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Request } from '../http/request.ts';
import { incompleteBody, invalidRequest, S3ServiceError } from '../s3-error.ts';
import { AwsChunkedDecoder } from './aws-chunked.ts';
import { createBodyWriteStream } from './body-file.ts';
import { type BodyExpectations, readBodyExpectations } from './body-headers.ts';
import { type ChecksumAlgorithm, checksumHeaderName, isWellFormedChecksum } from './checksums.ts';
import { DigestStream, MemorySink } from './digest-stream.ts';

/** What S3 knows about a body once it has arrived whole and every digest matched. */
export interface ReceivedBody {
  readonly size: number;
  /** Hex MD5: the ETag of a single-part object. */
  readonly md5: string;
  /** The additional checksum, base64: the client's if it sent one, else `compute`'s. */
  readonly checksum: { readonly algorithm: ChecksumAlgorithm; readonly value: string } | undefined;
}

export interface ReceiveOptions {
  /** Compute this checksum when the client sends none (multipart parts of a declared type). */
  readonly compute?: ChecksumAlgorithm | undefined;
  /** x-amz-checksum-* describe something else (CompleteMultipartUpload: the whole object). */
  readonly ignoreChecksums?: boolean;
}

/**
 * Streams a request body into `sink`, decoding aws-chunked framing and verifying Content-MD5,
 * x-amz-checksum-* (header or trailer) and a signed payload's SHA-256 the way S3 does. Memory
 * stays flat: the body never exists whole outside `sink`. On failure the request is drained so
 * the error response can still be read by the client.
 */
export async function receiveBody(
  request: S3Request,
  sink: Writable,
  options: ReceiveOptions = {},
): Promise<ReceivedBody> {
  let expected: BodyExpectations;
  try {
    expected = readBodyExpectations(request, options.ignoreChecksums ?? false);
  } catch (error) {
    sink.destroy();
    throw error;
  }
  const decoder = expected.awsChunked ? new AwsChunkedDecoder() : undefined;
  const digest = new DigestStream({
    checksum: expected.checksum?.algorithm ?? options.compute,
    sha256: expected.payloadSha256 !== undefined,
  });
  const first = decoder ?? digest;
  const raw = request.raw;
  const onClose = () => {
    if (!raw.complete) first.destroy(new Error('The client closed the request before its end'));
  };
  raw.once('close', onClose);
  raw.pipe(first);
  try {
    await (decoder ? pipeline(decoder, digest, sink) : pipeline(digest, sink));
  } catch (error) {
    raw.unpipe(first);
    if (!raw.complete) raw.resume();
    throw error;
  } finally {
    raw.off('close', onClose);
  }
  return verify(expected, decoder, digest, options.compute);
}

function verify(
  expected: BodyExpectations,
  decoder: AwsChunkedDecoder | undefined,
  digest: DigestStream,
  computeAlgorithm: ChecksumAlgorithm | undefined,
): ReceivedBody {
  if (decoder && decoder.decodedLength !== expected.decodedLength) throw incompleteBody();

  const md5 = digest.md5.digest();
  if (expected.payloadSha256 !== undefined) {
    const computed = digest.sha256?.digest('hex') ?? '';
    if (computed !== expected.payloadSha256) {
      throw new S3ServiceError(
        400,
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        { ClientComputedContentSHA256: expected.payloadSha256, S3ComputedContentSHA256: computed },
      );
    }
  }
  if (expected.contentMd5 !== undefined && expected.contentMd5 !== md5.toString('base64')) {
    throw new S3ServiceError(
      400,
      'BadDigest',
      'The Content-MD5 you specified did not match what we received.',
    );
  }

  const computed = digest.checksum?.digest().toString('base64');
  const declared = expected.checksum;
  if (declared === undefined) {
    const checksum =
      computeAlgorithm && computed ? { algorithm: computeAlgorithm, value: computed } : undefined;
    return { size: digest.size, md5: md5.toString('hex'), checksum };
  }
  const sent = declared.in === 'header' ? declared.value : decoder?.trailers.get(declared.trailer);
  if (sent === undefined) {
    throw new S3ServiceError(
      400,
      'MalformedTrailerError',
      'The request contained trailing data that was not well-formed or did not conform to our ' +
        'published schema.',
    );
  }
  if (!isWellFormedChecksum(declared.algorithm, sent)) {
    throw invalidRequest(
      `Value for ${checksumHeaderName(declared.algorithm)} trailing header is invalid.`,
    );
  }
  if (sent !== computed) {
    throw new S3ServiceError(
      400,
      'BadDigest',
      `The ${declared.algorithm} you specified did not match the calculated checksum.`,
    );
  }
  return {
    size: digest.size,
    md5: md5.toString('hex'),
    checksum: { algorithm: declared.algorithm, value: sent },
  };
}

/** Receives a body into a file; the file is removed again when anything fails. */
export async function receiveBodyToFile(
  request: S3Request,
  path: string,
  options: ReceiveOptions = {},
): Promise<ReceivedBody> {
  const sink = createBodyWriteStream(path);
  try {
    return await receiveBody(request, sink, options);
  } catch (error) {
    // The file is opened asynchronously; removing it before the stream closes could let that
    // open create it again.
    sink.destroy();
    if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
    await rm(path, { force: true });
    throw error;
  }
}

/** Receives a small XML request document, with the same framing and digest checks. */
export async function receiveSmallBody(
  request: S3Request,
  limit = 5 * 1024 * 1024,
  options: ReceiveOptions = {},
): Promise<{ body: Buffer; received: ReceivedBody }> {
  const sink = new MemorySink(limit);
  const received = await receiveBody(request, sink, options);
  return { body: sink.contents(), received };
}
