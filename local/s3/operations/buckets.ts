import { receiveSmallBody } from '../body/receive-body.ts';
import type { S3Request } from '../http/request.ts';
import { type S3Response, xmlResponse } from '../http/response.ts';
import {
  childText,
  childTree,
  container,
  element,
  optionalElement,
  parseXml,
  xmlDocument,
} from '../http/xml.ts';
import { malformedXml, S3ServiceError } from '../s3-error.ts';
import { isValidBucketName } from '../store/bucket-names.ts';
import { bucketOf, ownerId, type S3Context } from './context.ts';

/**
 * CreateBucket. Creating a bucket you already own answers 200 in us-east-1 and 409
 * BucketAlreadyOwnedByYou elsewhere (API reference, CreateBucket errors). The optional
 * CreateBucketConfiguration body is read and ignored: every bucket lives in the server's region.
 */
// Limitation: every bucket lives in the server's region; LocationConstraint is not checked.
export async function createBucket(request: S3Request, context: S3Context): Promise<S3Response> {
  const name = bucketOf(request);
  if (!isValidBucketName(name)) {
    throw new S3ServiceError(400, 'InvalidBucketName', 'The specified bucket is not valid.', {
      BucketName: name,
    });
  }
  await receiveSmallBody(request);
  if (context.store.hasBucket(name)) {
    if (context.region !== 'us-east-1') {
      throw new S3ServiceError(
        409,
        'BucketAlreadyOwnedByYou',
        'Your previous request to create the named bucket succeeded and you already own it.',
        { BucketName: name },
      );
    }
  } else {
    await context.store.createBucket(name);
  }
  return { status: 200, headers: { location: `/${name}` } };
}

export async function headBucket(request: S3Request, context: S3Context): Promise<S3Response> {
  context.store.bucket(bucketOf(request));
  return {
    status: 200,
    headers: { 'x-amz-bucket-region': context.region, 'x-amz-access-point-alias': 'false' },
  };
}

/** DeleteBucket: only an empty bucket (no versions, no delete markers); its uploads go too. */
export async function deleteBucket(request: S3Request, context: S3Context): Promise<S3Response> {
  const name = bucketOf(request);
  await context.store.deleteBucket(name);
  await context.uploads.removeForBucket(name);
  return { status: 204 };
}

export async function listBuckets(_request: S3Request, context: S3Context): Promise<S3Response> {
  const buckets = context.store
    .listBuckets()
    .map((bucket) =>
      container('Bucket', [
        element('Name', bucket.name),
        element('CreationDate', bucket.creationDate),
        element('BucketRegion', context.region),
      ]),
    );
  return xmlResponse(
    xmlDocument('ListAllMyBucketsResult', [
      container('Owner', [element('ID', ownerId(context)), element('DisplayName', 'local')]),
      container('Buckets', buckets),
    ]),
  );
}

/** GetBucketLocation: empty for us-east-1, as S3 answers for buckets of that region. */
export async function getBucketLocation(
  request: S3Request,
  context: S3Context,
): Promise<S3Response> {
  context.store.bucket(bucketOf(request));
  const region = context.region === 'us-east-1' ? '' : context.region;
  return xmlResponse(xmlDocument('LocationConstraint', [region]));
}

export async function putBucketVersioning(
  request: S3Request,
  context: S3Context,
): Promise<S3Response> {
  const name = bucketOf(request);
  context.store.bucket(name);
  const { body } = await receiveSmallBody(request);
  const status = childText(childTree(parseXml(body), 'VersioningConfiguration'), 'Status');
  if (status !== undefined) {
    if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
    await context.store.setVersioning(name, status);
  }
  return { status: 200 };
}

export async function getBucketVersioning(
  request: S3Request,
  context: S3Context,
): Promise<S3Response> {
  const bucket = context.store.bucket(bucketOf(request));
  return xmlResponse(
    xmlDocument('VersioningConfiguration', [optionalElement('Status', bucket.versioning)]),
  );
}
