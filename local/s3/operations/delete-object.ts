import type { S3Request } from '../http/request.ts';
import type { S3Response } from '../http/response.ts';
import { invalidVersionId } from '../s3-error.ts';
import { isWellFormedVersionId, NULL_VERSION_ID } from '../store/ids.ts';
import { bucketOf, eventSource, keyOf, type S3Context } from './context.ts';

/** What one deletion did, in the words of DeleteObject's response headers. */
export interface DeleteOutcome {
  /** Whether a delete marker was created, or the version removed was one. */
  readonly deleteMarker: boolean;
  /** The marker's id when one was created; the removed version's id when one was named. */
  readonly versionId: string | undefined;
}

/**
 * One deletion with S3's versioning rules (user guide, "Deleting object versions"):
 * - with a version id: that version is removed for good (no error if it does not exist);
 * - versioning never configured: the object is removed for good;
 * - enabled: a delete marker with a new id becomes the current version;
 * - suspended: the `null` version is replaced by a delete marker whose id is `null`.
 */
export async function deleteOne(
  request: S3Request,
  context: S3Context,
  bucketName: string,
  key: string,
  versionId: string | undefined,
): Promise<DeleteOutcome> {
  const { store } = context;
  const bucket = store.bucket(bucketName);
  const versioned = bucket.versioning === 'Enabled';
  const source = eventSource(request, context);

  if (versionId !== undefined || bucket.versioning === undefined) {
    const target = versionId ?? NULL_VERSION_ID;
    if (!isWellFormedVersionId(target)) throw invalidVersionId(target);
    const removed = await store.removeVersion(bucketName, key, target);
    if (removed) {
      context.events.emit(source, {
        bucket: bucketName,
        key,
        version: removed,
        versioned,
        reason: 'DeleteObject',
        deletionType: 'Permanently Deleted',
      });
    }
    return { deleteMarker: removed?.deleteMarker ?? false, versionId };
  }

  const { version } = await store.addDeleteMarker(bucketName, key);
  context.events.emit(source, {
    bucket: bucketName,
    key,
    version,
    versioned,
    reason: 'DeleteObject',
    deletionType: 'Delete Marker Created',
  });
  return { deleteMarker: true, versionId: version.versionId };
}

/** DeleteObject: 204 with x-amz-delete-marker and x-amz-version-id when they apply. */
export async function deleteObject(request: S3Request, context: S3Context): Promise<S3Response> {
  const versionId = request.query.get('versionId') ?? undefined;
  const outcome = await deleteOne(request, context, bucketOf(request), keyOf(request), versionId);
  const headers: Record<string, string> = {};
  if (outcome.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  if (outcome.versionId !== undefined) headers['x-amz-version-id'] = outcome.versionId;
  return { status: 204, headers };
}
