import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createBodyWriteStream } from '../body/body-file.ts';
import { type ChecksumAlgorithm, parseAlgorithmName } from '../body/checksums.ts';
import { DigestStream } from '../body/digest-stream.ts';
import { decodePathOnce } from '../http/key-encoding.ts';
import { header, type S3Request } from '../http/request.ts';
import { type S3Response, xmlResponse } from '../http/response.ts';
import { element, optionalElement, xmlDocument } from '../http/xml.ts';
import { invalidArgument, invalidRequest, preconditionFailed } from '../s3-error.ts';
import type { ObjectVersion } from '../store/records.ts';
import { bucketOf, checkKeyLength, eventSource, keyOf, type S3Context } from './context.ts';
import { findReadableVersion } from './find-version.ts';
import { quoteEtag, readAttributes, versionIdHeader } from './object-headers.ts';
import { checkReadConditions, writeConditions } from './preconditions.ts';

interface CopySource {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
}

/** x-amz-copy-source: `[/]bucket/key[?versionId=id]`, URL-encoded, decoded once. */
function parseCopySource(raw: string): CopySource {
  const questionMark = raw.indexOf('?');
  const path = decodePathOnce(questionMark === -1 ? raw : raw.slice(0, questionMark));
  const query = new URLSearchParams(questionMark === -1 ? '' : raw.slice(questionMark + 1));
  const trimmed = path?.startsWith('/') ? path.slice(1) : path;
  const slash = trimmed?.indexOf('/') ?? -1;
  if (trimmed === undefined || slash <= 0 || slash === trimmed.length - 1) {
    throw invalidArgument(
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
      'x-amz-copy-source',
      raw,
    );
  }
  return {
    bucket: trimmed.slice(0, slash),
    key: trimmed.slice(slash + 1),
    versionId: query.get('versionId'),
  };
}

function findSource(context: S3Context, source: CopySource): ObjectVersion {
  try {
    return findReadableVersion(context.store, source.bucket, source.key, source.versionId);
  } catch (error) {
    // A delete marker named by version id is a bad copy request, not a bad method.
    if ((error as { code?: string }).code === 'MethodNotAllowed') {
      throw invalidRequest(
        'The source of a copy request may not specifically refer to a delete marker by version id.',
      );
    }
    throw error;
  }
}

/**
 * CopyObject: a new version of the target with the source version's bytes. Metadata is copied
 * unless `x-amz-metadata-directive: REPLACE`; copying an object onto itself without REPLACE is
 * refused as on S3. The copy's ETag is the MD5 of its bytes, also for a multipart source.
 */
export async function copyObject(request: S3Request, context: S3Context): Promise<S3Response> {
  const bucketName = bucketOf(request);
  const key = keyOf(request);
  context.store.bucket(bucketName);
  checkKeyLength(key);
  const source = parseCopySource(header(request, 'x-amz-copy-source') ?? '');
  const sourceVersion = findSource(context, source);
  if (checkReadConditions(request, sourceVersion, 'x-amz-copy-source-') === 'not-modified') {
    throw preconditionFailed('x-amz-copy-source-If-None-Match');
  }
  const directive = (header(request, 'x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  }
  if (source.bucket === bucketName && source.key === key && directive === 'COPY') {
    throw invalidRequest(
      'This copy request is illegal because it is trying to copy an object to itself without ' +
        "changing the object's metadata, storage class, website redirect location or " +
        'encryption attributes.',
    );
  }
  const attributes = directive === 'REPLACE' ? readAttributes(request) : sourceVersion.attributes;
  const requested = header(request, 'x-amz-checksum-algorithm');
  const algorithm: ChecksumAlgorithm | undefined = requested
    ? parseAlgorithmName(requested)
    : sourceVersion.checksum?.algorithm;

  const temporary = context.store.newTempFile();
  const digest = new DigestStream({ checksum: algorithm });
  try {
    const from = context.store.dataPath(source.bucket, source.key, sourceVersion);
    await pipeline(createReadStream(from), digest, createBodyWriteStream(temporary));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const value = digest.checksum?.digest().toString('base64');
  const checksum =
    algorithm && value ? { algorithm, value, type: 'FULL_OBJECT' as const } : undefined;
  const { version } = await context.store.commitObject(
    bucketName,
    key,
    temporary,
    {
      size: digest.size,
      etag: digest.md5.digest('hex'),
      attributes,
      checksum,
      partsCount: undefined,
    },
    writeConditions(request),
  );

  const bucket = context.store.bucket(bucketName);
  context.events.emit(eventSource(request, context), {
    bucket: bucketName,
    key,
    version,
    versioned: bucket.versioning === 'Enabled',
    reason: 'CopyObject',
  });
  const sourceBucket = context.store.bucket(source.bucket);
  return xmlResponse(
    xmlDocument('CopyObjectResult', [
      element('ETag', quoteEtag(version.etag)),
      element('LastModified', version.lastModified),
      optionalElement(checksum ? `Checksum${checksum.algorithm}` : 'Checksum', checksum?.value),
    ]),
    {
      ...versionIdHeader(bucket, version.versionId),
      ...(sourceBucket.versioning === undefined
        ? {}
        : { 'x-amz-copy-source-version-id': sourceVersion.versionId }),
    },
  );
}
