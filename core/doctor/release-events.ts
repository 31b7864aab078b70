/** Where a canned event comes from: the bucket and key, and the rule's account and Region. */
export interface CannedUpload {
  readonly bucket: string;
  readonly key: string;
  readonly account: string;
  readonly region: string;
}

/**
 * The "Object Created" event S3 sends EventBridge for an upload, shaped as the example of the
 * S3 user guide ("EventBridge event message structure"), with every field TestEventPattern
 * requires (id, account, source, time, region, resources, detail-type).
 */
export function objectCreatedEvent(upload: CannedUpload): Record<string, unknown> {
  return {
    version: '0',
    id: '17793124-05d4-b198-2fde-7ededc63b103',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: upload.account,
    time: '2021-11-12T00:00:00Z',
    region: upload.region,
    resources: [`arn:aws:s3:::${upload.bucket}`],
    detail: {
      version: '0',
      bucket: { name: upload.bucket },
      object: {
        key: upload.key,
        size: 5,
        etag: 'b1946ac92492d2347c6235b4d2611184',
        'version-id': 'IYV3p45BT0ac8hjHg1houSdS1a.Mppz.',
        sequencer: '00617F08299329D189',
      },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: upload.account,
      'source-ip-address': '1.2.3.4',
      reason: 'PutObject',
    },
  };
}
