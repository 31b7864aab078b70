import { open } from 'node:fs/promises';
import { header, type S3Request } from '../http/request.ts';
import type { S3Response } from '../http/response.ts';
import { noSuchKey } from '../s3-error.ts';
import type { ObjectVersion } from '../store/records.ts';
import { bucketOf, keyOf, type S3Context } from './context.ts';
import { findReadableVersion } from './find-version.ts';
import { objectHeaders } from './object-headers.ts';
import { checkReadConditions } from './preconditions.ts';
import { parseRange } from './range.ts';

// GetObject's response-* query parameters replace the stored representation headers for this
// one response (API reference, GetObject, "Overriding response header values").
const OVERRIDES: Readonly<Record<string, string>> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

function responseOverrides(request: S3Request): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [parameter, name] of Object.entries(OVERRIDES)) {
    const value = request.query.get(parameter);
    if (value !== null) headers[name] = value;
  }
  return headers;
}

/** GetObject and HeadObject: one version's bytes (or only its headers), whole or a range. */
export async function getObject(request: S3Request, context: S3Context): Promise<S3Response> {
  const bucketName = bucketOf(request);
  const key = keyOf(request);
  const bucket = context.store.bucket(bucketName);
  const version = findReadableVersion(
    context.store,
    bucketName,
    key,
    request.query.get('versionId'),
  );

  if (checkReadConditions(request, version) === 'not-modified') {
    const { etag, 'last-modified': lastModified } = objectHeaders(bucket, version, false);
    return { status: 304, headers: { etag: etag ?? '', 'last-modified': lastModified ?? '' } };
  }

  const range = parseRange(header(request, 'range'), version.size);
  // S3 returns an object's stored checksum only for whole-object reads.
  const withChecksum =
    range === undefined && header(request, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED';
  const headers = {
    ...objectHeaders(bucket, version, withChecksum),
    ...responseOverrides(request),
  };
  const start = range?.start ?? 0;
  const end = range?.end ?? version.size - 1;
  headers['content-length'] = String(end - start + 1);
  if (range) headers['content-range'] = `bytes ${start}-${end}/${version.size}`;
  const status = range ? 206 : 200;

  if (request.method === 'HEAD' || version.size === 0) return { status, headers };
  return { status, headers, body: await openBody(context, bucketName, key, version, start, end) };
}

async function openBody(
  context: S3Context,
  bucket: string,
  key: string,
  version: ObjectVersion,
  start: number,
  end: number,
) {
  try {
    const handle = await open(context.store.dataPath(bucket, key, version), 'r');
    return handle.createReadStream({ start, end, autoClose: true });
  } catch (error) {
    // The version was deleted between the lookup and the open: S3 would have said it is gone.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw noSuchKey(key);
    throw error;
  }
}
