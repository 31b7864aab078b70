import { checksumHeaderName } from '../body/checksums.ts';
import { receiveBodyToFile } from '../body/receive-body.ts';
import type { S3Request } from '../http/request.ts';
import type { S3Response } from '../http/response.ts';
import { bucketOf, checkKeyLength, eventSource, keyOf, type S3Context } from './context.ts';
import { ENCRYPTION_HEADER, quoteEtag, readAttributes, versionIdHeader } from './object-headers.ts';
import { writeConditions } from './preconditions.ts';

/** PutObject: streams the body to disk, verifies its digests, then makes it the newest version. */
export async function putObject(request: S3Request, context: S3Context): Promise<S3Response> {
  const bucketName = bucketOf(request);
  const key = keyOf(request);
  const { store } = context;
  // Checked before reading the body, so a bad request costs no upload.
  store.bucket(bucketName);
  checkKeyLength(key);
  const attributes = readAttributes(request);
  const precondition = writeConditions(request);

  const temporary = store.newTempFile();
  const received = await receiveBodyToFile(request, temporary);
  // Limitation: S3 computes a CRC64NVME for objects sent without a checksum; this server stores
  // none, so such objects answer GET and HEAD without checksum headers.
  const checksum = received.checksum && { ...received.checksum, type: 'FULL_OBJECT' as const };
  const { version } = await store.commitObject(
    bucketName,
    key,
    temporary,
    { size: received.size, etag: received.md5, attributes, checksum, partsCount: undefined },
    precondition,
  );

  const bucket = store.bucket(bucketName);
  context.events.emit(eventSource(request, context), {
    bucket: bucketName,
    key,
    version,
    versioned: bucket.versioning === 'Enabled',
    reason: 'PutObject',
  });
  const headers: Record<string, string> = {
    etag: quoteEtag(version.etag),
    ...ENCRYPTION_HEADER,
    ...versionIdHeader(bucket, version.versionId),
  };
  if (checksum) {
    headers[checksumHeaderName(checksum.algorithm)] = checksum.value;
    headers['x-amz-checksum-type'] = checksum.type;
  }
  return { status: 200, headers };
}
