export { toS3NotificationRecord } from './events/build-events.ts';
export type { EventErrorHandler, EventHandler } from './events/emit-events.ts';
export type {
  S3DeletionType,
  S3EventBridgeDetail,
  S3EventBridgeEvent,
  S3EventBridgeObject,
  S3EventReason,
  S3Notification,
  S3NotificationRecord,
} from './events/event-types.ts';
export { formEncodeKey } from './http/key-encoding.ts';
export { startLocalS3 } from './server.ts';
export type { LocalS3, LocalS3BucketSpec, LocalS3Options } from './types.ts';
