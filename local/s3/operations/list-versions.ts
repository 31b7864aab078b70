import type { S3Request } from '../http/request.ts';
import { type S3Response, xmlResponse } from '../http/response.ts';
import { container, element, optionalElement, xmlDocument } from '../http/xml.ts';
import { invalidArgument } from '../s3-error.ts';
import type { ObjectVersion } from '../store/records.ts';
import { compareUtf8 } from '../store/utf8-order.ts';
import { bucketOf, ownerId, type S3Context } from './context.ts';
import { commonPrefixOf, readEncoding, readMaxKeys } from './list-walk.ts';
import { quoteEtag } from './object-headers.ts';

type VersionEntry =
  | {
      readonly kind: 'version';
      readonly key: string;
      readonly version: ObjectVersion;
      latest: boolean;
    }
  | { readonly kind: 'prefix'; readonly prefix: string };

interface Page {
  readonly entries: VersionEntry[];
  readonly truncated: boolean;
}

/**
 * Versions in S3's order: keys in UTF-8 order, each key's versions newest first, resuming after
 * (key-marker, version-id-marker); a key-marker alone resumes after all of that key's versions.
 */
function walkVersions(request: S3Request, context: S3Context, bucket: string): Page {
  const prefix = request.query.get('prefix') ?? '';
  const delimiter = request.query.get('delimiter') || undefined;
  const keyMarker = request.query.get('key-marker') || undefined;
  const versionMarker = request.query.get('version-id-marker') || undefined;
  if (versionMarker !== undefined && keyMarker === undefined) {
    throw invalidArgument(
      'A version-id marker cannot be specified without a key marker.',
      'version-id-marker',
      versionMarker,
    );
  }
  const maxKeys = readMaxKeys(request);
  const entries: VersionEntry[] = [];
  let lastPrefix: string | undefined;
  for (const key of context.store.sortedKeys(bucket)) {
    if (!key.startsWith(prefix)) continue;
    const order = keyMarker === undefined ? 1 : compareUtf8(key, keyMarker);
    if (order < 0 || (order === 0 && versionMarker === undefined)) continue;
    const common = commonPrefixOf(key, prefix, delimiter);
    if (common !== undefined) {
      if (common === lastPrefix || keyMarker?.startsWith(common)) {
        continue;
      }
      if (entries.length >= maxKeys) return { entries, truncated: true };
      lastPrefix = common;
      entries.push({ kind: 'prefix', prefix: common });
      continue;
    }
    const versions = context.store.versions(bucket, key);
    let start = 0;
    if (order === 0) start = versions.findIndex((v) => v.versionId === versionMarker) + 1;
    for (let index = start; index < versions.length; index += 1) {
      if (entries.length >= maxKeys) return { entries, truncated: true };
      const version = versions[index] as ObjectVersion;
      entries.push({ kind: 'version', key, version, latest: index === 0 });
    }
  }
  return { entries, truncated: false };
}

/** ListObjectVersions (`?versions`): object versions and delete markers, interleaved in order. */
export async function listObjectVersions(
  request: S3Request,
  context: S3Context,
): Promise<S3Response> {
  const bucket = bucketOf(request);
  context.store.bucket(bucket);
  const encode = readEncoding(request);
  const page = walkVersions(request, context, bucket);
  const owner = container('Owner', [
    element('ID', ownerId(context)),
    element('DisplayName', 'local'),
  ]);
  const last = page.entries[page.entries.length - 1];
  const delimiter = request.query.get('delimiter') || undefined;

  const children = [
    element('Name', bucket),
    element('Prefix', encode(request.query.get('prefix') ?? '')),
    element('KeyMarker', encode(request.query.get('key-marker') ?? '')),
    element('VersionIdMarker', request.query.get('version-id-marker') ?? ''),
    element('MaxKeys', readMaxKeys(request)),
    delimiter === undefined ? '' : element('Delimiter', encode(delimiter)),
    request.query.has('encoding-type') ? element('EncodingType', 'url') : '',
    element('IsTruncated', page.truncated),
  ];
  if (page.truncated && last) {
    const nextKey = last.kind === 'version' ? last.key : last.prefix;
    children.push(element('NextKeyMarker', encode(nextKey)));
    if (last.kind === 'version') {
      children.push(element('NextVersionIdMarker', last.version.versionId));
    }
  }
  const prefixes: string[] = [];
  for (const entry of page.entries) {
    if (entry.kind === 'prefix') {
      prefixes.push(container('CommonPrefixes', [element('Prefix', encode(entry.prefix))]));
      continue;
    }
    const { version } = entry;
    const common = [
      element('Key', encode(entry.key)),
      element('VersionId', version.versionId),
      element('IsLatest', entry.latest),
      element('LastModified', version.lastModified),
    ];
    if (version.deleteMarker) {
      children.push(container('DeleteMarker', [...common, owner]));
    } else {
      children.push(
        container('Version', [
          ...common,
          element('ETag', quoteEtag(version.etag)),
          optionalElement('ChecksumAlgorithm', version.checksum?.algorithm),
          optionalElement('ChecksumType', version.checksum?.type),
          element('Size', version.size),
          element('StorageClass', 'STANDARD'),
          owner,
        ]),
      );
    }
  }
  return xmlResponse(xmlDocument('ListVersionsResult', [...children, ...prefixes]));
}
