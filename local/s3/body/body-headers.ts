import { header, type S3Request } from '../http/request.ts';
import { invalidRequest, S3ServiceError } from '../s3-error.ts';
import {
  algorithmOfHeader,
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  checksumHeaderName,
  isWellFormedChecksum,
  parseAlgorithmName,
} from './checksums.ts';

/** How a request body is framed and what the client promised about it, read from headers. */
export interface BodyExpectations {
  /** Whether the body uses the aws-chunked content encoding. */
  readonly awsChunked: boolean;
  /** x-amz-decoded-content-length for aws-chunked bodies. */
  readonly decodedLength: number | undefined;
  /** The one additional checksum the client sends, and where. */
  readonly checksum:
    | { readonly algorithm: ChecksumAlgorithm; readonly value: string; readonly in: 'header' }
    | { readonly algorithm: ChecksumAlgorithm; readonly trailer: string; readonly in: 'trailer' }
    | undefined;
  /** Content-MD5, base64 of 16 bytes. */
  readonly contentMd5: string | undefined;
  /** x-amz-content-sha256 when it is a real digest (a signed payload), lower-case hex. */
  readonly payloadSha256: string | undefined;
}

function readChecksum(request: S3Request): BodyExpectations['checksum'] {
  const inHeaders = CHECKSUM_ALGORITHMS.filter(
    (algorithm) => header(request, checksumHeaderName(algorithm)) !== undefined,
  );
  const trailer = header(request, 'x-amz-trailer')?.trim().toLowerCase();
  const trailerAlgorithm = trailer ? algorithmOfHeader(trailer) : undefined;
  if (trailer && !trailerAlgorithm) {
    throw invalidRequest('The value specified in the x-amz-trailer header is not supported');
  }
  if (inHeaders.length + (trailerAlgorithm ? 1 : 0) > 1) {
    throw invalidRequest(
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  }
  if (trailer && trailerAlgorithm) return { algorithm: trailerAlgorithm, trailer, in: 'trailer' };
  const algorithm = inHeaders[0];
  if (!algorithm) return undefined;
  const value = header(request, checksumHeaderName(algorithm)) ?? '';
  if (!isWellFormedChecksum(algorithm, value)) {
    throw invalidRequest(`Value for ${checksumHeaderName(algorithm)} header is invalid.`);
  }
  return { algorithm, value, in: 'header' };
}

export function readBodyExpectations(
  request: S3Request,
  ignoreChecksums = false,
): BodyExpectations {
  const encodings = (header(request, 'content-encoding') ?? '').split(',').map((e) => e.trim());
  const contentSha256 = header(request, 'x-amz-content-sha256') ?? '';
  const awsChunked = encodings.includes('aws-chunked') || contentSha256.startsWith('STREAMING-');

  let decodedLength: number | undefined;
  if (awsChunked) {
    const declared = header(request, 'x-amz-decoded-content-length');
    decodedLength = declared === undefined ? Number.NaN : Number(declared);
    if (!Number.isSafeInteger(decodedLength) || decodedLength < 0) {
      throw new S3ServiceError(
        411,
        'MissingContentLength',
        'You must provide the Content-Length HTTP header.',
      );
    }
  }

  const checksum = ignoreChecksums ? undefined : readChecksum(request);
  const sdkAlgorithm = header(request, 'x-amz-sdk-checksum-algorithm');
  if (sdkAlgorithm !== undefined && !ignoreChecksums) {
    if (!parseAlgorithmName(sdkAlgorithm)) {
      throw invalidRequest('Value for x-amz-sdk-checksum-algorithm header is invalid.');
    }
    if (!checksum) {
      throw invalidRequest(
        'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* ' +
          'or x-amz-trailer headers were found.',
      );
    }
  }

  const contentMd5 = header(request, 'content-md5');
  if (contentMd5 !== undefined && Buffer.from(contentMd5, 'base64').length !== 16) {
    throw new S3ServiceError(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.');
  }

  const payloadSha256 = /^[0-9a-fA-F]{64}$/.test(contentSha256)
    ? contentSha256.toLowerCase()
    : undefined;
  return { awsChunked, decodedLength, checksum, contentMd5, payloadSha256 };
}
