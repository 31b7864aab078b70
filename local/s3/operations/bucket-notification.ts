import { receiveSmallBody } from '../body/receive-body.ts';
import type { S3Request } from '../http/request.ts';
import { type S3Response, xmlResponse } from '../http/response.ts';
import { childTree, parseXml, xmlDocument } from '../http/xml.ts';
import { malformedXml, notImplemented } from '../s3-error.ts';
import { bucketOf, type S3Context } from './context.ts';

// The destinations a NotificationConfiguration may name besides EventBridge (S3 API reference,
// NotificationConfiguration). The local S3 delivers to none of them.
const OTHER_DESTINATIONS = [
  'TopicConfiguration',
  'QueueConfiguration',
  'CloudFunctionConfiguration',
  'LambdaFunctionConfiguration',
];

/**
 * GetBucketNotificationConfiguration: `<EventBridgeConfiguration/>` inside the
 * NotificationConfiguration while the bucket sends its events (every bucket, until told
 * otherwise), an empty NotificationConfiguration when it does not, as S3 answers for a bucket
 * with notifications off.
 */
export async function getBucketNotificationConfiguration(
  request: S3Request,
  context: S3Context,
): Promise<S3Response> {
  const name = bucketOf(request);
  context.store.bucket(name);
  const children = context.store.sendsEvents(name) ? ['<EventBridgeConfiguration/>'] : [];
  return xmlResponse(xmlDocument('NotificationConfiguration', children));
}

/**
 * PutBucketNotificationConfiguration: replaces the configuration, as S3 does. With an
 * EventBridgeConfiguration the bucket sends events; without one (an empty configuration turns
 * notifications off) it sends none. SNS, SQS and Lambda destinations are refused with 501
 * NotImplemented: nothing here could deliver to them.
 */
export async function putBucketNotificationConfiguration(
  request: S3Request,
  context: S3Context,
): Promise<S3Response> {
  const name = bucketOf(request);
  context.store.bucket(name);
  const { body } = await receiveSmallBody(request);
  const configuration = childTree(parseXml(body), 'NotificationConfiguration');
  if (configuration === undefined) throw malformedXml();
  if (OTHER_DESTINATIONS.some((destination) => configuration[destination] !== undefined)) {
    throw notImplemented();
  }
  await context.store.setEventBridge(name, configuration['EventBridgeConfiguration'] !== undefined);
  return { status: 200 };
}
