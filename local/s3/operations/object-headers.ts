import { checksumHeaderName } from '../body/checksums.ts';
import { header, type S3Request } from '../http/request.ts';
import { S3ServiceError } from '../s3-error.ts';
import type { BucketRecord, ObjectAttributes, ObjectVersion } from '../store/records.ts';

// S3 stores "binary/octet-stream" when a PutObject names no Content-Type.
const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';
const METADATA_PREFIX = 'x-amz-meta-';
// "The PUT request header is limited to 8 KB in size. Within the PUT request header, the
// user-defined metadata is limited to 2 KB in size" (user guide, "Working with object metadata").
const MAX_METADATA_BYTES = 2048;

/** Content-Encoding as stored: the transfer-only `aws-chunked` coding removed. */
function storedContentEncoding(request: S3Request): string | undefined {
  const codings = (header(request, 'content-encoding') ?? '')
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '' && coding !== 'aws-chunked');
  return codings.length > 0 ? codings.join(',') : undefined;
}

/** The representation headers and user metadata a PutObject (or CreateMultipartUpload) sets. */
export function readAttributes(request: S3Request): ObjectAttributes {
  const metadata: Record<string, string> = {};
  let metadataBytes = 0;
  for (const [name, value] of Object.entries(request.raw.headers)) {
    if (!name.startsWith(METADATA_PREFIX) || value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : value;
    const shortName = name.slice(METADATA_PREFIX.length);
    metadata[shortName] = text;
    metadataBytes += Buffer.byteLength(shortName) + Buffer.byteLength(text);
  }
  if (metadataBytes > MAX_METADATA_BYTES) {
    throw new S3ServiceError(
      400,
      'MetadataTooLarge',
      'Your metadata headers exceed the maximum allowed metadata size',
      { Size: String(metadataBytes), MaxSizeAllowed: String(MAX_METADATA_BYTES) },
    );
  }
  const optional = (name: string) => header(request, name);
  const attributes: ObjectAttributes = {
    contentType: optional('content-type') ?? DEFAULT_CONTENT_TYPE,
    metadata,
  };
  const extra: Record<string, string | undefined> = {
    contentEncoding: storedContentEncoding(request),
    contentDisposition: optional('content-disposition'),
    contentLanguage: optional('content-language'),
    cacheControl: optional('cache-control'),
    expires: optional('expires'),
  };
  return Object.assign(
    attributes,
    Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== undefined)),
  );
}

/** x-amz-version-id, which S3 sends once a bucket's versioning has ever been configured. */
export function versionIdHeader(bucket: BucketRecord, versionId: string): Record<string, string> {
  return bucket.versioning === undefined ? {} : { 'x-amz-version-id': versionId };
}

export function quoteEtag(etag: string): string {
  return `"${etag}"`;
}

export function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

/**
 * S3 encrypts every new object with SSE-S3 by default since January 2023 and says so in this
 * header on writes and reads. The local S3 stores plain bytes but answers the same.
 */
export const ENCRYPTION_HEADER: Readonly<Record<string, string>> = {
  'x-amz-server-side-encryption': 'AES256',
};

/** The headers of GET and HEAD responses for one object version. */
export function objectHeaders(
  bucket: BucketRecord,
  version: ObjectVersion,
  withChecksum: boolean,
): Record<string, string> {
  const attributes = version.attributes;
  const headers: Record<string, string> = {
    etag: quoteEtag(version.etag),
    'last-modified': httpDate(version.lastModified),
    'accept-ranges': 'bytes',
    'content-type': attributes?.contentType ?? DEFAULT_CONTENT_TYPE,
    ...ENCRYPTION_HEADER,
    ...versionIdHeader(bucket, version.versionId),
  };
  const representation: Record<string, string | undefined> = {
    'content-encoding': attributes?.contentEncoding,
    'content-disposition': attributes?.contentDisposition,
    'content-language': attributes?.contentLanguage,
    'cache-control': attributes?.cacheControl,
    expires: attributes?.expires,
  };
  for (const [name, value] of Object.entries(representation)) {
    if (value !== undefined) headers[name] = value;
  }
  for (const [name, value] of Object.entries(attributes?.metadata ?? {})) {
    headers[`${METADATA_PREFIX}${name}`] = value;
  }
  if (withChecksum && version.checksum) {
    headers[checksumHeaderName(version.checksum.algorithm)] = version.checksum.value;
    headers['x-amz-checksum-type'] = version.checksum.type;
  }
  return headers;
}
