import { randomBytes, randomUUID } from 'node:crypto';
import { formEncodeKey } from '../http/key-encoding.ts';
import { newSequencer } from '../store/ids.ts';
import type { ObjectVersion } from '../store/records.ts';
import type {
  S3DeletionType,
  S3EventBridgeEvent,
  S3EventReason,
  S3Notification,
} from './event-types.ts';

// The ETag S3 reports for a delete marker in Object Deleted events (the MD5 of no bytes), as in
// the user guide's "Object deleted (using DeleteObject)" example.
const EMPTY_ETAG = 'd41d8cd98f00b204e9800998ecf8427e';

/** Who and where an event comes from: the request and the server's account and region. */
export interface EventSource {
  readonly accountId: string;
  readonly region: string;
  readonly requestId: string;
  readonly sourceIp: string;
}

/** What happened to which version of which key. */
export interface EventChange {
  readonly bucket: string;
  readonly key: string;
  readonly version: ObjectVersion;
  /** Whether the bucket's versioning is enabled (then the event carries `version-id`). */
  readonly versioned: boolean;
  readonly reason: S3EventReason;
  readonly deletionType?: S3DeletionType;
}

function secondsIso(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Builds the EventBridge event S3 sends for a created or deleted object version. */
export function buildEvent(source: EventSource, change: EventChange): S3EventBridgeEvent {
  const created = change.reason !== 'DeleteObject';
  const { version } = change;
  const object = {
    key: change.key,
    ...(created ? { size: version.size } : {}),
    etag: version.deleteMarker ? EMPTY_ETAG : version.etag,
    ...(change.versioned ? { 'version-id': version.versionId } : {}),
    sequencer: newSequencer(),
  };
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': created ? 'Object Created' : 'Object Deleted',
    source: 'aws.s3',
    account: source.accountId,
    time: secondsIso(new Date()),
    region: source.region,
    resources: [`arn:aws:s3:::${change.bucket}`],
    detail: {
      version: '0',
      bucket: { name: change.bucket },
      object,
      'request-id': source.requestId,
      requester: source.accountId,
      'source-ip-address': source.sourceIp,
      reason: change.reason,
      ...(change.deletionType ? { 'deletion-type': change.deletionType } : {}),
    },
  };
}

const EVENT_NAMES: Readonly<Record<S3EventReason, string>> = {
  PutObject: 'ObjectCreated:Put',
  CopyObject: 'ObjectCreated:Copy',
  CompleteMultipartUpload: 'ObjectCreated:CompleteMultipartUpload',
  DeleteObject: 'ObjectRemoved:Delete',
};

/**
 * The same change as a classic S3 event notification, the shape SQS, SNS and Lambda
 * destinations receive. The difference that matters: its object key is form-encoded
 * ("red flower.jpg" arrives as "red+flower.jpg"), while EventBridge carries the key as uploaded.
 *
 * @example
 * const notification = toS3NotificationRecord(event);
 * notification.Records[0]?.s3.object.key; // 'releases/web+1.4.0.tgz' for 'releases/web 1.4.0.tgz'
 */
export function toS3NotificationRecord(event: S3EventBridgeEvent): S3Notification {
  const { detail } = event;
  const deleted = event['detail-type'] === 'Object Deleted';
  const eventName =
    deleted && detail['deletion-type'] === 'Delete Marker Created'
      ? 'ObjectRemoved:DeleteMarkerCreated'
      : EVENT_NAMES[detail.reason];
  const { object } = detail;
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: event.region,
        eventTime: new Date(event.time).toISOString(),
        eventName,
        userIdentity: { principalId: `AWS:${detail.requester}` },
        requestParameters: { sourceIPAddress: detail['source-ip-address'] },
        responseElements: {
          'x-amz-request-id': detail['request-id'],
          'x-amz-id-2': randomBytes(24).toString('base64'),
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'signet-local',
          bucket: {
            name: detail.bucket.name,
            ownerIdentity: { principalId: event.account },
            arn: `arn:aws:s3:::${detail.bucket.name}`,
          },
          object: {
            key: formEncodeKey(object.key),
            ...(deleted ? {} : { size: object.size ?? 0, eTag: object.etag ?? '' }),
            ...(object['version-id'] === undefined ? {} : { versionId: object['version-id'] }),
            sequencer: object.sequencer,
          },
        },
      },
    ],
  };
}
