import { GetBucketVersioningCommand, type S3Client } from '@aws-sdk/client-s3';
import { guarded, isErrorNamed } from './aws-failure.ts';
import { bucketMissing } from './bucket-missing.ts';
import { type CheckResult, failed, passed } from './check-result.ts';

/**
 * The artifact bucket is versioned: every deployment is pinned to the object version that was
 * verified, and a rollback or redeploy reads that version again.
 */
export async function checkBucketVersioning(s3: S3Client, bucket: string): Promise<CheckResult[]> {
  return guarded('bucket-versioning', bucket, ['s3:GetBucketVersioning'], async () => {
    let status: string | undefined;
    try {
      status = (await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status;
    } catch (error) {
      if (isErrorNamed(error, 'NoSuchBucket')) return [bucketMissing('bucket-versioning', bucket)];
      throw error;
    }
    if (status === 'Enabled') return [passed('bucket-versioning', bucket)];
    const state = status === undefined ? 'was never turned on' : `is ${status}`;
    return [
      failed(
        'bucket-versioning',
        bucket,
        `versioning of bucket ${bucket} ${state}: deployments cannot pin the verified object ` +
          'version',
        `aws s3api put-bucket-versioning --bucket ${bucket} ` +
          '--versioning-configuration Status=Enabled',
      ),
    ];
  });
}
