import { invalidVersionId, noSuchKey, noSuchVersion, S3ServiceError } from '../s3-error.ts';
import { isWellFormedVersionId } from '../store/ids.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { ObjectVersion } from '../store/records.ts';
import { httpDate } from './object-headers.ts';

/**
 * The version a GET or HEAD reads, with S3's answers when there is none: 404 NoSuchKey (with
 * x-amz-delete-marker when the current version is a delete marker), 404 NoSuchVersion, 400 for
 * a malformed id, and 405 MethodNotAllowed for a delete marker asked for by version id.
 */
export function findReadableVersion(
  store: ObjectStore,
  bucket: string,
  key: string,
  versionId: string | null,
): ObjectVersion {
  const versioned = store.bucket(bucket).versioning !== undefined;
  const versions = store.versions(bucket, key);
  if (versionId === null) {
    const current = versions[0];
    if (!current) throw noSuchKey(key);
    if (current.deleteMarker) {
      throw noSuchKey(key, {
        'x-amz-delete-marker': 'true',
        ...(versioned ? { 'x-amz-version-id': current.versionId } : {}),
      });
    }
    return current;
  }
  if (!isWellFormedVersionId(versionId)) throw invalidVersionId(versionId);
  const found = versions.find((version) => version.versionId === versionId);
  if (!found) throw noSuchVersion(key, versionId);
  if (found.deleteMarker) {
    throw new S3ServiceError(
      405,
      'MethodNotAllowed',
      'The specified method is not allowed against this resource.',
      { Method: 'GET', ResourceType: 'DeleteMarker' },
      {
        'x-amz-delete-marker': 'true',
        'x-amz-version-id': found.versionId,
        'last-modified': httpDate(found.lastModified),
        allow: 'DELETE',
      },
    );
  }
  return found;
}
