import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RELEASES_PREFIX } from '../core/release-names.ts';

/** Where the SSM agent uploads each command's full output (the Lambdas see only its tail). */
export const COMMAND_OUTPUT_PREFIX = 'command-output/';

export interface ArtifactBucketProps {
  /** Days a replaced or deleted object version is kept. */
  readonly noncurrentVersionExpiryDays: number;
  /** Days command output is kept. */
  readonly commandOutputExpiryDays: number;
}

/**
 * The artifacts bucket (releases and their signatures under `releases/`, command output under
 * `command-output/`) and the bucket receiving its server access logs. Versioned, so every
 * deployment is pinned to the exact bytes that were verified; private, TLS-only, encrypted.
 */
export class ArtifactBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: ArtifactBucketProps) {
    super(scope, id);
    // Log delivery through a bucket policy, whatever the app's feature flags say: the legacy
    // path grants it through an ACL, and new buckets have ACLs disabled.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // S3 delivers server access logs only to buckets encrypted with S3-managed keys.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // cdk-nag's S1 (server access logs) exempts a bucket that receives another's logs.

    this.bucket = new s3.Bucket(this, 'Artifacts', {
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: asBucketInterface(this.accessLogs),
      serverAccessLogsPrefix: 'artifacts/',
      lifecycleRules: [
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpiryDays),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        {
          id: 'expire-command-output',
          prefix: COMMAND_OUTPUT_PREFIX,
          expiration: Duration.days(props.commandOutputExpiryDays),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // S3 -> EventBridge by the bucket's own property. The L2 `eventBridgeEnabled` sets the same
    // switch through a custom resource backed by a CDK-provided Lambda and its own role.
    const cfnBucket = this.bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.addPropertyOverride(
      'NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled',
      true,
    );
  }

  /** Object ARNs of one app's releases and signatures. */
  releasesOf(app: string): string {
    return this.bucket.arnForObjects(`${RELEASES_PREFIX}${app}/*`);
  }

  /** Object ARNs of one app's command output. */
  commandOutputOf(app: string): string {
    return this.bucket.arnForObjects(`${COMMAND_OUTPUT_PREFIX}${app}/*`);
  }
}

/**
 * A Bucket as IBucket. aws-cdk-lib declares Bucket's `isWebsite` as a getter returning
 * `boolean | undefined` but IBucket's as optional, so under exactOptionalPropertyTypes the
 * class does not satisfy its own interface; the objects are the same.
 */
function asBucketInterface(bucket: s3.Bucket): s3.IBucket {
  return bucket as unknown as s3.IBucket;
}
