import { header, type S3Request } from '../http/request.ts';
import { noSuchKey, notImplemented, preconditionFailed } from '../s3-error.ts';
import type { ObjectVersion } from '../store/records.ts';

function normalizeEtag(etag: string): string {
  return etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
}

function etagListMatches(list: string, etag: string): boolean {
  return list.split(',').some((item) => item.trim() === '*' || normalizeEtag(item) === etag);
}

function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/** Last-Modified travels with one-second precision, so comparisons use whole seconds. */
function modifiedSeconds(version: ObjectVersion): number {
  return Math.floor(Date.parse(version.lastModified) / 1000);
}

/**
 * GET/HEAD conditional headers with S3's documented precedence (GetObject, "Request
 * headers"): If-Match that holds overrides a failing If-Unmodified-Since (200), and a failing
 * If-None-Match overrides a holding If-Modified-Since (304). Returns whether to answer 304.
 * `prefix` selects the CopyObject variants (`x-amz-copy-source-`), where 304 is a 412 too.
 */
export function checkReadConditions(
  request: S3Request,
  version: ObjectVersion,
  prefix = '',
): 'proceed' | 'not-modified' {
  const ifMatch = header(request, `${prefix}if-match`);
  const ifNoneMatch = header(request, `${prefix}if-none-match`);
  const ifModifiedSince = parseHttpDate(header(request, `${prefix}if-modified-since`));
  const ifUnmodifiedSince = parseHttpDate(header(request, `${prefix}if-unmodified-since`));
  const modified = modifiedSeconds(version);

  if (ifMatch !== undefined) {
    if (!etagListMatches(ifMatch, version.etag)) throw preconditionFailed(`${prefix}If-Match`);
  } else if (ifUnmodifiedSince !== undefined && modified > ifUnmodifiedSince / 1000) {
    throw preconditionFailed(`${prefix}If-Unmodified-Since`);
  }
  if (ifNoneMatch !== undefined) {
    if (etagListMatches(ifNoneMatch, version.etag)) return 'not-modified';
  } else if (ifModifiedSince !== undefined && modified <= ifModifiedSince / 1000) {
    return 'not-modified';
  }
  return 'proceed';
}

/**
 * Conditional writes (PutObject, CompleteMultipartUpload, CopyObject destination): If-None-Match
 * accepts only `*` ("only if absent"); If-Match needs the current object to carry that ETag and
 * answers 404 when there is none (S3 user guide, "Conditional writes").
 */
export function writeConditions(request: S3Request): (current: ObjectVersion | undefined) => void {
  const ifMatch = header(request, 'if-match');
  const ifNoneMatch = header(request, 'if-none-match');
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') throw notImplemented();
  return (current) => {
    const live = current && !current.deleteMarker ? current : undefined;
    if (ifNoneMatch !== undefined && live) throw preconditionFailed('If-None-Match');
    if (ifMatch !== undefined) {
      if (!live) throw noSuchKey(request.key ?? '');
      if (!etagListMatches(ifMatch, live.etag)) throw preconditionFailed('If-Match');
    }
  };
}
