import {
  GetBucketNotificationConfigurationCommand,
  GetBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkBucketEvents } from '../../../core/doctor/bucket-events.ts';
import { checkBucketVersioning } from '../../../core/doctor/bucket-versioning.ts';
import { awsError } from '../../helpers/aws-error.ts';

const BUCKET = 'signet-artifacts';

describe('the artifact bucket checks', () => {
  const s3 = mockClient(S3Client);
  const client = new S3Client({ region: 'us-east-1' });
  beforeEach(() => s3.reset());

  it('pass when the bucket sends events to EventBridge and is versioned', async () => {
    // Prepare
    s3.on(GetBucketNotificationConfigurationCommand).resolves({ EventBridgeConfiguration: {} });
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });

    // Act
    const results = [
      ...(await checkBucketEvents(client, BUCKET)),
      ...(await checkBucketVersioning(client, BUCKET)),
    ];

    // Assess
    expect(results).toEqual([
      { check: 'bucket-events', target: BUCKET, ok: true },
      { check: 'bucket-versioning', target: BUCKET, ok: true },
    ]);
  });

  it('fail when the bucket sends no events to EventBridge, with the fixing command', async () => {
    // Prepare
    s3.on(GetBucketNotificationConfigurationCommand).resolves({});

    // Act
    const [result] = await checkBucketEvents(client, BUCKET);

    // Assess
    expect(result).toMatchObject({ check: 'bucket-events', target: BUCKET, ok: false });
    expect(result?.problem).toBe(
      `bucket ${BUCKET} does not send its events to EventBridge, so uploads start no deployment`,
    );
    expect(result?.fix).toContain(
      `put-bucket-notification-configuration --bucket ${BUCKET} ` +
        `--notification-configuration '{"EventBridgeConfiguration": {}}'`,
    );
  });

  it.each([
    ['suspended', 'Suspended' as const, 'is Suspended'],
    ['never turned on', undefined, 'was never turned on'],
  ])('fail when versioning is %s', async (_label, status, words) => {
    // Prepare
    s3.on(GetBucketVersioningCommand).resolves(status === undefined ? {} : { Status: status });

    // Act
    const [result] = await checkBucketVersioning(client, BUCKET);

    // Assess
    expect(result?.ok).toBe(false);
    expect(result?.problem).toContain(`versioning of bucket ${BUCKET} ${words}`);
    expect(result?.fix).toBe(
      `aws s3api put-bucket-versioning --bucket ${BUCKET} ` +
        '--versioning-configuration Status=Enabled',
    );
  });

  it.each([
    ['events', checkBucketEvents, GetBucketNotificationConfigurationCommand],
    ['versioning', checkBucketVersioning, GetBucketVersioningCommand],
  ] as const)(
    '%s: name a bucket that does not exist and the setting to correct',
    async (_label, check, command) => {
      // Prepare
      s3.on(command).rejects(awsError('NoSuchBucket', 'The specified bucket does not exist', 404));

      // Act
      const [result] = await check(client, BUCKET);

      // Assess
      expect(result?.ok).toBe(false);
      expect(result?.problem).toBe(`bucket ${BUCKET} does not exist`);
      expect(result?.fix).toContain('SIGNET_ARTIFACT_BUCKET');
    },
  );

  it('turn a refused call into a failed check naming the permission it needs', async () => {
    // Prepare
    s3.on(GetBucketVersioningCommand).rejects(awsError('AccessDenied', 'Access Denied', 403));

    // Act
    const [result] = await checkBucketVersioning(client, BUCKET);

    // Assess
    expect(result?.ok).toBe(false);
    expect(result?.problem).toBe(
      `a call to AWS about ${BUCKET} failed: AccessDenied: Access Denied`,
    );
    expect(result?.fix).toContain('s3:GetBucketVersioning');
    expect(result?.fix).toContain('AWS_ENDPOINT_URL_S3');
  });
});
