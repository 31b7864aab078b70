import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AuditLog } from '../../core/audit-log.ts';
import { CLIENT_CONFIG, memoize } from '../../core/aws-clients.ts';
import { DeploymentLock } from '../../core/deployment-lock.ts';
import { numericSetting, setting } from '../../core/settings.ts';

// The real dependencies of the handlers, made on first use, so that importing a handler (in a
// test, or in local mode before its endpoints are set) creates no client and reads no setting.
// Marked pure so a bundle keeps only the clients its handler calls: one SDK client is a few
// hundred KB, all of them together over two MB.
export const s3Client = /* @__PURE__ */ memoize(() => new S3Client(CLIENT_CONFIG));
export const ssmClient = /* @__PURE__ */ memoize(() => new SSMClient(CLIENT_CONFIG));
export const ec2Client = /* @__PURE__ */ memoize(() => new EC2Client(CLIENT_CONFIG));
export const sfnClient = /* @__PURE__ */ memoize(() => new SFNClient(CLIENT_CONFIG));
export const eventBridgeClient = /* @__PURE__ */ memoize(
  () => new EventBridgeClient(CLIENT_CONFIG),
);
export const dynamodbClient = /* @__PURE__ */ memoize(() => new DynamoDBClient(CLIENT_CONFIG));
export const kmsClient = /* @__PURE__ */ memoize(() => new KMSClient(CLIENT_CONFIG));
export const cloudWatchClient = /* @__PURE__ */ memoize(() => new CloudWatchClient(CLIENT_CONFIG));

export function defaultLock(): DeploymentLock {
  return new DeploymentLock({
    dynamodb: dynamodbClient(),
    sfn: sfnClient(),
    table: setting('stateTable'),
    leaseSeconds: numericSetting('lockLeaseSeconds'),
  });
}

export function defaultAuditLog(): AuditLog {
  return new AuditLog(dynamodbClient(), setting('stateTable'));
}

export function parameterPrefix(): string {
  return setting('parameterPrefix');
}
