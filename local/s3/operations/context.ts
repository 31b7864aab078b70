import { createHash } from 'node:crypto';
import type { EventSource } from '../events/build-events.ts';
import type { EventEmitter } from '../events/emit-events.ts';
import type { S3Request } from '../http/request.ts';
import type { S3Response } from '../http/response.ts';
import { S3ServiceError } from '../s3-error.ts';
import type { MultipartStore } from '../store/multipart-store.ts';
import type { ObjectStore } from '../store/object-store.ts';

/** What every operation can reach: the stores, the event listener, the server's identity. */
export interface S3Context {
  readonly store: ObjectStore;
  readonly uploads: MultipartStore;
  readonly events: EventEmitter;
  readonly region: string;
  readonly accountId: string;
  /** The server's base URL, for the Location of completed uploads. */
  readonly endpoint: () => string;
}

export type Operation = (request: S3Request, context: S3Context) => Promise<S3Response>;

/** An operation on a bucket: the request's bucket, known to be present. */
export function bucketOf(request: S3Request): string {
  if (request.bucket === undefined) throw methodNotAllowed();
  return request.bucket;
}

/** An operation on an object: the request's key, known to be present. */
export function keyOf(request: S3Request): string {
  if (request.key === undefined) throw methodNotAllowed();
  return request.key;
}

export function eventSource(request: S3Request, context: S3Context): EventSource {
  return {
    accountId: context.accountId,
    region: context.region,
    requestId: request.requestId,
    sourceIp: request.sourceIp,
  };
}

export const methodNotAllowed = (headers: Record<string, string> = {}) =>
  new S3ServiceError(
    405,
    'MethodNotAllowed',
    'The specified method is not allowed against this resource.',
    {},
    headers,
  );

/** S3 limits keys to 1024 bytes of UTF-8. */
export function checkKeyLength(key: string): void {
  if (Buffer.byteLength(key, 'utf8') > 1024) {
    throw new S3ServiceError(400, 'KeyTooLongError', 'Your key is too long', {
      Size: String(Buffer.byteLength(key, 'utf8')),
      MaxSizeAllowed: '1024',
    });
  }
}

/** The canonical user id S3 shows as Owner ID: 64 hex characters, stable per account. */
export function ownerId(context: S3Context): string {
  return createHash('sha256').update(context.accountId).digest('hex');
}
