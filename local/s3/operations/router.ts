import { header, type S3Request } from '../http/request.ts';
import { notImplemented } from '../s3-error.ts';
import {
  getBucketNotificationConfiguration,
  putBucketNotificationConfiguration,
} from './bucket-notification.ts';
import {
  createBucket,
  deleteBucket,
  getBucketLocation,
  getBucketVersioning,
  headBucket,
  listBuckets,
  putBucketVersioning,
} from './buckets.ts';
import { methodNotAllowed, type Operation } from './context.ts';
import { copyObject } from './copy-object.ts';
import { deleteObject } from './delete-object.ts';
import { deleteObjects } from './delete-objects.ts';
import { getObject } from './get-object.ts';
import { listObjects } from './list-objects.ts';
import { listObjectVersions } from './list-versions.ts';
import { completeMultipartUpload } from './multipart-complete.ts';
import {
  abortMultipartUpload,
  createMultipartUpload,
  listParts,
  uploadPart,
} from './multipart-parts.ts';
import { putObject } from './put-object.ts';

// Limitation: ACLs, policies, tagging, lifecycle and the like are not implemented.
// Sub-resources S3 has and the local S3 does not implement: answered 501 rather than being
// mistaken for a plain GET or PUT of the bucket or object.
const UNSUPPORTED_SUBRESOURCES = [
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'logging',
  'metrics',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'tagging',
  'torrent',
  'website',
];

const unsupported: Operation = async () => {
  throw notImplemented();
};

function bucketOperation(request: S3Request): Operation {
  const has = (name: string) => request.query.has(name);
  switch (request.method) {
    case 'GET':
      if (has('versioning')) return getBucketVersioning;
      if (has('location')) return getBucketLocation;
      if (has('notification')) return getBucketNotificationConfiguration;
      if (has('versions')) return listObjectVersions;
      if (has('uploads')) return unsupported;
      return listObjects;
    case 'PUT':
      if (has('versioning')) return putBucketVersioning;
      if (has('notification')) return putBucketNotificationConfiguration;
      return createBucket;
    case 'HEAD':
      return headBucket;
    case 'DELETE':
      return deleteBucket;
    case 'POST':
      return has('delete') ? deleteObjects : unsupported;
    default:
      throw methodNotAllowed();
  }
}

function objectOperation(request: S3Request): Operation {
  const has = (name: string) => request.query.has(name);
  switch (request.method) {
    case 'PUT':
      if (has('uploadId') && has('partNumber')) {
        return header(request, 'x-amz-copy-source') === undefined ? uploadPart : unsupported;
      }
      return header(request, 'x-amz-copy-source') === undefined ? putObject : copyObject;
    case 'GET':
      return has('uploadId') ? listParts : getObject;
    case 'HEAD':
      return getObject;
    case 'DELETE':
      return has('uploadId') ? abortMultipartUpload : deleteObject;
    case 'POST':
      if (has('uploads')) return createMultipartUpload;
      if (has('uploadId')) return completeMultipartUpload;
      return unsupported;
    default:
      throw methodNotAllowed();
  }
}

/** Chooses the operation for a path-style request, by method, key and sub-resource. */
export function route(request: S3Request): Operation {
  if (UNSUPPORTED_SUBRESOURCES.some((name) => request.query.has(name))) return unsupported;
  // Notification configuration is a bucket's; an object has none.
  if (request.key !== undefined && request.query.has('notification')) return unsupported;
  if (request.bucket === undefined) {
    if (request.method === 'GET') return listBuckets;
    throw methodNotAllowed();
  }
  return request.key === undefined ? bucketOperation(request) : objectOperation(request);
}
