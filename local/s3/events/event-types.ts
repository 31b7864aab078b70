/**
 * The events S3 sends to EventBridge when "Send notifications to Amazon EventBridge" is on
 * (Amazon S3 User Guide, "EventBridge event message structure"), limited to what Signet's local
 * mode produces: Object Created and Object Deleted.
 */

/** The S3 API that caused the event, in the event's `detail.reason`. */
export type S3EventReason = 'PutObject' | 'CompleteMultipartUpload' | 'CopyObject' | 'DeleteObject';

export type S3DeletionType = 'Delete Marker Created' | 'Permanently Deleted';

export interface S3EventBridgeObject {
  /** The key exactly as uploaded: EventBridge events do not URL-encode it. */
  readonly key: string;
  /** Bytes; on Object Created only. */
  readonly size?: number;
  /** Unquoted ETag. */
  readonly etag?: string;
  /** Present when the bucket's versioning is enabled. */
  readonly 'version-id'?: string;
  readonly sequencer: string;
}

export interface S3EventBridgeDetail {
  readonly version: '0';
  readonly bucket: { readonly name: string };
  readonly object: S3EventBridgeObject;
  readonly 'request-id': string;
  /** The requester's account id. */
  readonly requester: string;
  readonly 'source-ip-address': string;
  readonly reason: S3EventReason;
  /** On Object Deleted only. */
  readonly 'deletion-type'?: S3DeletionType;
}

export interface S3EventBridgeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'Object Created' | 'Object Deleted';
  readonly source: 'aws.s3';
  readonly account: string;
  /** ISO 8601 to the second, e.g. `2021-11-12T00:00:00Z`. */
  readonly time: string;
  readonly region: string;
  /** The bucket's ARN. */
  readonly resources: readonly string[];
  readonly detail: S3EventBridgeDetail;
}

/**
 * One record of a classic S3 event notification (Amazon S3 User Guide, "Event message
 * structure"), as delivered to SQS, SNS or Lambda. Its object key is form-encoded.
 */
export interface S3NotificationRecord {
  readonly eventVersion: '2.1';
  readonly eventSource: 'aws:s3';
  readonly awsRegion: string;
  /** ISO 8601 with milliseconds. */
  readonly eventTime: string;
  /** E.g. `ObjectCreated:Put`, `ObjectRemoved:DeleteMarkerCreated` (no `s3:` prefix). */
  readonly eventName: string;
  readonly userIdentity: { readonly principalId: string };
  readonly requestParameters: { readonly sourceIPAddress: string };
  readonly responseElements: {
    readonly 'x-amz-request-id': string;
    readonly 'x-amz-id-2': string;
  };
  readonly s3: {
    readonly s3SchemaVersion: '1.0';
    readonly configurationId: string;
    readonly bucket: {
      readonly name: string;
      readonly ownerIdentity: { readonly principalId: string };
      readonly arn: string;
    };
    readonly object: {
      /** Form-encoded: `+` for space, `%2B` for `+`, `%3A` for `:`. */
      readonly key: string;
      readonly size?: number;
      readonly eTag?: string;
      readonly versionId?: string;
      readonly sequencer: string;
    };
  };
}

/** The body S3 delivers to an SQS queue, SNS topic or Lambda function. */
export interface S3Notification {
  readonly Records: readonly S3NotificationRecord[];
}
