import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createBodyWriteStream } from '../body/body-file.ts';
import {
  type ChecksumAlgorithm,
  createChecksumHasher,
  type StoredChecksum,
} from '../body/checksums.ts';
import { DigestStream } from '../body/digest-stream.ts';
import { receiveSmallBody } from '../body/receive-body.ts';
import type { S3Request } from '../http/request.ts';
import { type S3Response, xmlResponse } from '../http/response.ts';
import {
  childList,
  childText,
  childTree,
  element,
  optionalElement,
  parseXml,
  xmlDocument,
} from '../http/xml.ts';
import { invalidRequest, S3ServiceError } from '../s3-error.ts';
import type { PartRecord, UploadRecord } from '../store/multipart-store.ts';
import { bucketOf, eventSource, keyOf, type S3Context } from './context.ts';
import { quoteEtag, versionIdHeader } from './object-headers.ts';
import { writeConditions } from './preconditions.ts';

// Every part but the last must be at least 5 MiB (user guide, "Amazon S3 multipart upload limits").
const MIN_PART_SIZE = 5 * 1024 * 1024;

const invalidPart = (upload: UploadRecord, partNumber: string, etag: string) =>
  new S3ServiceError(
    400,
    'InvalidPart',
    'One or more of the specified parts could not be found.  The part may not have been ' +
      "uploaded, or the specified entity tag may not match the part's entity tag.",
    { UploadId: upload.uploadId, PartNumber: partNumber, ETag: etag },
  );

/** The parts a CompleteMultipartUpload names, checked against what was uploaded. */
function selectParts(upload: UploadRecord, body: Buffer): PartRecord[] {
  const requested = childList(childTree(parseXml(body), 'CompleteMultipartUpload'), 'Part');
  if (requested.length === 0) throw invalidRequest('You must specify at least one part');
  const selected: PartRecord[] = [];
  for (const entry of requested) {
    const number = childText(entry, 'PartNumber')?.trim() ?? '';
    const etag = (childText(entry, 'ETag') ?? '').trim().replace(/^"|"$/g, '');
    const previous = selected[selected.length - 1];
    if (previous && Number(number) <= previous.partNumber) {
      throw new S3ServiceError(
        400,
        'InvalidPartOrder',
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
        { UploadId: upload.uploadId },
      );
    }
    const part = upload.parts[number];
    if (!part || part.etag !== etag) throw invalidPart(upload, number, etag);
    const algorithm = upload.checksumAlgorithm;
    const sentChecksum = algorithm ? childText(entry, `Checksum${algorithm}`) : undefined;
    if (sentChecksum !== undefined && sentChecksum.trim() !== part.checksum) {
      throw invalidPart(upload, number, etag);
    }
    selected.push(part);
  }
  selected.slice(0, -1).forEach((part) => {
    if (part.size < MIN_PART_SIZE) {
      throw new S3ServiceError(
        400,
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed size',
        {
          ProposedSize: String(part.size),
          MinSizeAllowed: String(MIN_PART_SIZE),
          PartNumber: String(part.partNumber),
          ETag: part.etag,
        },
      );
    }
  });
  return selected;
}

/** Concatenates the parts into one file, computing a full-object checksum on the way. */
async function concatenate(
  context: S3Context,
  upload: UploadRecord,
  parts: readonly PartRecord[],
  target: string,
): Promise<{ size: number; fullChecksum: string | undefined }> {
  const full = upload.checksumType === 'FULL_OBJECT' ? upload.checksumAlgorithm : undefined;
  const digest = new DigestStream({ checksum: full });
  const output = createBodyWriteStream(target);
  const done = pipeline(digest, output);
  for (const part of parts) {
    await pipeline(createReadStream(context.uploads.partPath(upload, part)), digest, {
      end: false,
    });
  }
  digest.end();
  await done;
  return { size: digest.size, fullChecksum: digest.checksum?.digest().toString('base64') };
}

/** A composite checksum: the checksum of the parts' binary checksums, suffixed `-<parts>`. */
function compositeChecksum(algorithm: ChecksumAlgorithm, parts: readonly PartRecord[]) {
  if (parts.some((part) => part.checksum === undefined)) return undefined;
  const hasher = createChecksumHasher(algorithm);
  for (const part of parts) hasher.update(Buffer.from(part.checksum ?? '', 'base64'));
  return `${hasher.digest().toString('base64')}-${parts.length}`;
}

/**
 * CompleteMultipartUpload: the named parts become one object whose ETag is the MD5 of the
 * parts' binary MD5s followed by `-<number of parts>`, as S3 computes it.
 */
export async function completeMultipartUpload(
  request: S3Request,
  context: S3Context,
): Promise<S3Response> {
  const bucketName = bucketOf(request);
  const key = keyOf(request);
  const upload = context.uploads.get(request.query.get('uploadId') ?? '', bucketName, key);
  const precondition = writeConditions(request);
  const { body } = await receiveSmallBody(request, 5 * 1024 * 1024, { ignoreChecksums: true });
  const parts = selectParts(upload, body);

  const md5s = Buffer.concat(parts.map((part) => Buffer.from(part.etag, 'hex')));
  const etag = `${createHash('md5').update(md5s).digest('hex')}-${parts.length}`;
  const temporary = context.store.newTempFile();
  let checksum: StoredChecksum | undefined;
  let size: number;
  try {
    const joined = await concatenate(context, upload, parts, temporary);
    size = joined.size;
    const algorithm = upload.checksumAlgorithm;
    const value =
      algorithm &&
      (upload.checksumType === 'FULL_OBJECT'
        ? joined.fullChecksum
        : compositeChecksum(algorithm, parts));
    if (algorithm && value && upload.checksumType) {
      checksum = { algorithm, value, type: upload.checksumType };
    }
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const { version } = await context.store.commitObject(
    bucketName,
    key,
    temporary,
    { size, etag, attributes: upload.attributes, checksum, partsCount: parts.length },
    precondition,
  );
  await context.uploads.remove(upload.uploadId);

  const bucket = context.store.bucket(bucketName);
  context.events.emit(eventSource(request, context), {
    bucket: bucketName,
    key,
    version,
    versioned: bucket.versioning === 'Enabled',
    reason: 'CompleteMultipartUpload',
  });
  const path = encodeURIComponent(key).replaceAll('%2F', '/');
  const location = `${context.endpoint()}/${bucketName}/${path}`;
  return xmlResponse(
    xmlDocument('CompleteMultipartUploadResult', [
      element('Location', location),
      element('Bucket', bucketName),
      element('Key', key),
      element('ETag', quoteEtag(etag)),
      checksum ? element(`Checksum${checksum.algorithm}`, checksum.value) : '',
      optionalElement('ChecksumType', checksum?.type),
    ]),
    versionIdHeader(bucket, version.versionId),
  );
}
