import { rm } from 'node:fs/promises';
import { type ChecksumType, checksumHeaderName, parseAlgorithmName } from '../body/checksums.ts';
import { receiveBodyToFile } from '../body/receive-body.ts';
import { header, type S3Request } from '../http/request.ts';
import { type S3Response, xmlResponse } from '../http/response.ts';
import { container, element, optionalElement, xmlDocument } from '../http/xml.ts';
import { invalidArgument, invalidRequest } from '../s3-error.ts';
import { bucketOf, checkKeyLength, keyOf, ownerId, type S3Context } from './context.ts';
import { readMaxKeys } from './list-walk.ts';
import { quoteEtag, readAttributes } from './object-headers.ts';

function uploadIdOf(request: S3Request): string {
  return request.query.get('uploadId') ?? '';
}

/** CreateMultipartUpload (`POST ?uploads`): remembers the object's headers and checksum type. */
export async function createMultipartUpload(
  request: S3Request,
  context: S3Context,
): Promise<S3Response> {
  const bucket = bucketOf(request);
  const key = keyOf(request);
  context.store.bucket(bucket);
  checkKeyLength(key);
  const algorithmHeader = header(request, 'x-amz-checksum-algorithm');
  const checksumAlgorithm = algorithmHeader ? parseAlgorithmName(algorithmHeader) : undefined;
  if (algorithmHeader && !checksumAlgorithm) {
    throw invalidRequest('Checksum algorithm provided is unsupported.');
  }
  const typeHeader = header(request, 'x-amz-checksum-type')?.toUpperCase();
  // Without a type, S3 makes CRC64NVME uploads full-object and the others composite.
  const defaultType: ChecksumType = checksumAlgorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
  const checksumType = checksumAlgorithm
    ? ((typeHeader as ChecksumType | undefined) ?? defaultType)
    : undefined;
  if (
    checksumType !== undefined &&
    checksumType !== 'FULL_OBJECT' &&
    checksumType !== 'COMPOSITE'
  ) {
    throw invalidRequest('Value for x-amz-checksum-type header is invalid.');
  }
  const upload = await context.uploads.create({
    bucket,
    key,
    attributes: readAttributes(request),
    checksumAlgorithm,
    checksumType,
  });
  const headers: Record<string, string> = {};
  if (checksumAlgorithm && checksumType) {
    headers['x-amz-checksum-algorithm'] = checksumAlgorithm;
    headers['x-amz-checksum-type'] = checksumType;
  }
  return xmlResponse(
    xmlDocument('InitiateMultipartUploadResult', [
      element('Bucket', bucket),
      element('Key', key),
      element('UploadId', upload.uploadId),
    ]),
    headers,
  );
}

/** UploadPart (`PUT ?partNumber&uploadId`): stores one part; its ETag is its MD5. */
export async function uploadPart(request: S3Request, context: S3Context): Promise<S3Response> {
  const upload = context.uploads.get(uploadIdOf(request), bucketOf(request), keyOf(request));
  const rawNumber = request.query.get('partNumber') ?? '';
  const partNumber = Number(rawNumber);
  if (!/^\d+$/.test(rawNumber) || partNumber < 1 || partNumber > 10_000) {
    throw invalidArgument(
      'Part number must be an integer between 1 and 10000, inclusive',
      'partNumber',
      rawNumber,
    );
  }
  const temporary = context.store.newTempFile();
  const received = await receiveBodyToFile(request, temporary, {
    compute: upload.checksumAlgorithm,
  });
  const algorithm = received.checksum?.algorithm;
  if (upload.checksumAlgorithm && algorithm !== upload.checksumAlgorithm) {
    await rm(temporary, { force: true });
    const expected = upload.checksumAlgorithm.toLowerCase();
    throw invalidRequest(
      `Checksum Type mismatch occurred, expected checksum Type: ${expected}, ` +
        `actual checksum Type: ${algorithm?.toLowerCase()}`,
    );
  }
  const part = await context.uploads.putPart(upload, temporary, {
    partNumber,
    etag: received.md5,
    size: received.size,
    checksum: received.checksum?.value,
  });
  const headers: Record<string, string> = { etag: quoteEtag(part.etag) };
  if (received.checksum) {
    headers[checksumHeaderName(received.checksum.algorithm)] = received.checksum.value;
  }
  return { status: 200, headers };
}

/** AbortMultipartUpload: the upload and its parts are gone; 204. */
export async function abortMultipartUpload(
  request: S3Request,
  context: S3Context,
): Promise<S3Response> {
  const upload = context.uploads.get(uploadIdOf(request), bucketOf(request), keyOf(request));
  await context.uploads.remove(upload.uploadId);
  return { status: 204 };
}

/** ListParts (`GET ?uploadId`): the parts uploaded so far, paged by part-number-marker. */
export async function listParts(request: S3Request, context: S3Context): Promise<S3Response> {
  const upload = context.uploads.get(uploadIdOf(request), bucketOf(request), keyOf(request));
  const maxParts = readMaxKeys(request, 'max-parts');
  const marker = Number(request.query.get('part-number-marker') ?? '0') || 0;
  const after = context.uploads.parts(upload).filter((part) => part.partNumber > marker);
  const page = after.slice(0, maxParts);
  const truncated = after.length > page.length;
  const owner = [element('ID', ownerId(context)), element('DisplayName', 'local')];
  return xmlResponse(
    xmlDocument('ListPartsResult', [
      element('Bucket', upload.bucket),
      element('Key', upload.key),
      element('UploadId', upload.uploadId),
      element('PartNumberMarker', marker),
      element('NextPartNumberMarker', page[page.length - 1]?.partNumber ?? 0),
      element('MaxParts', maxParts),
      element('IsTruncated', truncated),
      container('Initiator', owner),
      container('Owner', owner),
      element('StorageClass', 'STANDARD'),
      optionalElement('ChecksumAlgorithm', upload.checksumAlgorithm),
      optionalElement('ChecksumType', upload.checksumType),
      ...page.map((part) =>
        container('Part', [
          element('PartNumber', part.partNumber),
          element('LastModified', part.lastModified),
          element('ETag', quoteEtag(part.etag)),
          element('Size', part.size),
          part.checksum && upload.checksumAlgorithm
            ? element(`Checksum${upload.checksumAlgorithm}`, part.checksum)
            : '',
        ]),
      ),
    ]),
  );
}
