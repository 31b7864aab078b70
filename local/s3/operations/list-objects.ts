import type { S3Request } from '../http/request.ts';
import { type S3Response, xmlResponse } from '../http/response.ts';
import { container, element, optionalElement, xmlDocument } from '../http/xml.ts';
import { invalidArgument } from '../s3-error.ts';
import type { ObjectVersion } from '../store/records.ts';
import { bucketOf, ownerId, type S3Context } from './context.ts';
import { type ListEntry, readEncoding, readMaxKeys, walkKeys } from './list-walk.ts';
import { quoteEtag } from './object-headers.ts';

interface ContinuationToken {
  /** The last key or common prefix of the previous page. */
  readonly after: string;
  readonly wasPrefix: boolean;
}

function encodeToken(entry: ListEntry): string {
  const token: ContinuationToken =
    entry.kind === 'key'
      ? { after: entry.key, wasPrefix: false }
      : { after: entry.prefix, wasPrefix: true };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(raw: string): ContinuationToken {
  try {
    const token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as ContinuationToken;
    if (typeof token.after === 'string' && typeof token.wasPrefix === 'boolean') return token;
  } catch {
    // Falls through to S3's answer for a token it did not issue.
  }
  throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', raw);
}

/** The current, live version of each key; keys whose newest version is a delete marker drop out. */
function liveKeys(context: S3Context, bucket: string) {
  const live = new Map<string, ObjectVersion>();
  const keys = context.store.sortedKeys(bucket).filter((key) => {
    const current = context.store.versions(bucket, key)[0];
    if (!current || current.deleteMarker) return false;
    live.set(key, current);
    return true;
  });
  return { keys, live };
}

function renderEntries(
  entries: readonly ListEntry[],
  live: ReadonlyMap<string, ObjectVersion>,
  encode: (text: string) => string,
  owner: string | undefined,
): string[] {
  // S3 lists every Contents element before the CommonPrefixes elements.
  const prefixes = entries
    .filter((entry) => entry.kind === 'prefix')
    .map((entry) => container('CommonPrefixes', [element('Prefix', encode(entry.prefix))]));
  const contents = entries.flatMap((entry) => {
    if (entry.kind === 'prefix') return [];
    const version = live.get(entry.key) as ObjectVersion;
    return container('Contents', [
      element('Key', encode(entry.key)),
      element('LastModified', version.lastModified),
      element('ETag', quoteEtag(version.etag)),
      optionalElement('ChecksumAlgorithm', version.checksum?.algorithm),
      optionalElement('ChecksumType', version.checksum?.type),
      element('Size', version.size),
      element('StorageClass', 'STANDARD'),
      owner === undefined
        ? ''
        : container('Owner', [element('ID', owner), element('DisplayName', 'local')]),
    ]);
  });
  return [...contents, ...prefixes];
}

/** ListObjectsV2 (`list-type=2`) and the original ListObjects, which pages by `marker`. */
export async function listObjects(request: S3Request, context: S3Context): Promise<S3Response> {
  const bucket = bucketOf(request);
  context.store.bucket(bucket);
  const v2 = request.query.get('list-type') === '2';
  const encode = readEncoding(request);
  const maxKeys = readMaxKeys(request);
  const prefix = request.query.get('prefix') ?? '';
  const delimiter = request.query.get('delimiter') || undefined;
  const rawToken = request.query.get('continuation-token');
  const token = v2 && rawToken !== null ? decodeToken(rawToken) : undefined;
  const startAfter = (v2 ? request.query.get('start-after') : request.query.get('marker')) ?? '';
  const markerIsPrefix = !v2 && delimiter !== undefined && startAfter.endsWith(delimiter);
  const after = token?.after ?? (startAfter === '' ? undefined : startAfter);
  const skipUnder = token ? (token.wasPrefix ? token.after : undefined) : undefined;

  const { keys, live } = liveKeys(context, bucket);
  const page = walkKeys(keys, {
    prefix,
    delimiter,
    after,
    skipUnder: skipUnder ?? (markerIsPrefix ? startAfter : undefined),
    maxEntries: maxKeys,
  });
  const showOwner = !v2 || request.query.get('fetch-owner') === 'true';
  const last = page.entries[page.entries.length - 1];
  const lastName = last && (last.kind === 'key' ? last.key : last.prefix);

  const children = [
    element('Name', bucket),
    element('Prefix', encode(prefix)),
    v2 ? '' : element('Marker', encode(startAfter)),
    delimiter === undefined ? '' : element('Delimiter', encode(delimiter)),
    element('MaxKeys', maxKeys),
    request.query.has('encoding-type') ? element('EncodingType', 'url') : '',
    element('IsTruncated', page.truncated),
  ];
  if (v2) {
    children.push(
      element('KeyCount', page.entries.length),
      optionalElement('ContinuationToken', rawToken ?? undefined),
      page.truncated && last ? element('NextContinuationToken', encodeToken(last)) : '',
      startAfter === '' ? '' : element('StartAfter', encode(startAfter)),
    );
  } else if (page.truncated && delimiter !== undefined && lastName !== undefined) {
    // ListObjects (v1) returns NextMarker only when a delimiter was given.
    children.push(element('NextMarker', encode(lastName)));
  }
  children.push(
    ...renderEntries(page.entries, live, encode, showOwner ? ownerId(context) : undefined),
  );
  return xmlResponse(xmlDocument('ListBucketResult', children));
}
