import { GetBucketNotificationConfigurationCommand, type S3Client } from '@aws-sdk/client-s3';
import { guarded, isErrorNamed } from './aws-failure.ts';
import { bucketMissing } from './bucket-missing.ts';
import { type CheckResult, failed, passed } from './check-result.ts';

/**
 * The artifact bucket sends its events to EventBridge (GetBucketNotificationConfiguration
 * shows an EventBridgeConfiguration): without it an upload starts nothing.
 */
export async function checkBucketEvents(s3: S3Client, bucket: string): Promise<CheckResult[]> {
  return guarded('bucket-events', bucket, ['s3:GetBucketNotification'], async () => {
    let configuration: { EventBridgeConfiguration?: object | undefined };
    try {
      configuration = await s3.send(
        new GetBucketNotificationConfigurationCommand({ Bucket: bucket }),
      );
    } catch (error) {
      if (isErrorNamed(error, 'NoSuchBucket')) return [bucketMissing('bucket-events', bucket)];
      throw error;
    }
    if (configuration.EventBridgeConfiguration !== undefined) {
      return [passed('bucket-events', bucket)];
    }
    return [
      failed(
        'bucket-events',
        bucket,
        `bucket ${bucket} does not send its events to EventBridge, so uploads start no deployment`,
        'redeploy the Signet stack (`npx cdk deploy`), which turns it on, or: aws s3api ' +
          `put-bucket-notification-configuration --bucket ${bucket} ` +
          `--notification-configuration '{"EventBridgeConfiguration": {}}'`,
      ),
    ];
  });
}
