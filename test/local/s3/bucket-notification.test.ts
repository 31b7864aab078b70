import {
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failureOf, startTestS3, type TestS3 } from './helpers.ts';

const BUCKET = 'artifacts';

describe('local S3 bucket notification configuration', () => {
  let t: TestS3;
  beforeEach(async () => {
    t = await startTestS3({ buckets: [{ name: BUCKET, versioning: true }] });
  });
  afterEach(async () => t.close());

  const configuration = () =>
    t.client.send(new GetBucketNotificationConfigurationCommand({ Bucket: BUCKET }));
  const turn = (eventBridge: boolean) =>
    t.client.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: BUCKET,
        NotificationConfiguration: eventBridge ? { EventBridgeConfiguration: {} } : {},
      }),
    );
  const upload = (key: string) =>
    t.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x' }));

  it('shows EventBridge on for every bucket, which sends its events', async () => {
    // Act
    const shown = await configuration();
    await upload('releases/a.tar.gz');

    // Assess
    expect(shown.EventBridgeConfiguration).toEqual({});
    expect(shown.QueueConfigurations).toBeUndefined();
    expect(t.events.map((event) => event.detail.object.key)).toEqual(['releases/a.tar.gz']);
  });

  it('sends no events once an empty configuration turns them off, and again once on', async () => {
    // Act
    await turn(false);
    const off = await configuration();
    await upload('releases/while-off.tar.gz');
    await turn(true);
    const on = await configuration();
    await upload('releases/while-on.tar.gz');

    // Assess
    expect(off.EventBridgeConfiguration).toBeUndefined();
    expect(on.EventBridgeConfiguration).toEqual({});
    expect(t.events.map((event) => event.detail.object.key)).toEqual(['releases/while-on.tar.gz']);
  });

  it('keeps the setting across a restart', async () => {
    // Prepare
    await turn(false);

    // Act
    t = await t.restart();
    const shown = await configuration();

    // Assess
    expect(shown.EventBridgeConfiguration).toBeUndefined();
  });

  it('refuses SQS, SNS and Lambda destinations with 501, as it could deliver to none', async () => {
    // Act
    const failure = await failureOf(
      t.client.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: BUCKET,
          NotificationConfiguration: {
            QueueConfigurations: [
              { QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q', Events: ['s3:ObjectCreated:*'] },
            ],
          },
        }),
      ),
    );

    // Assess
    expect(failure).toMatchObject({ name: 'NotImplemented', status: 501 });
    expect((await configuration()).EventBridgeConfiguration).toEqual({});
  });

  it.each([
    [
      'Get',
      (client: S3Client) =>
        client.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'missing-bucket' })),
    ],
    [
      'Put',
      (client: S3Client) =>
        client.send(
          new PutBucketNotificationConfigurationCommand({
            Bucket: 'missing-bucket',
            NotificationConfiguration: {},
          }),
        ),
    ],
  ])('%s on a bucket that does not exist is 404 NoSuchBucket', async (_label, call) => {
    // Act
    const failure = await failureOf(call(t.client));

    // Assess
    expect(failure).toMatchObject({ name: 'NoSuchBucket', status: 404 });
  });
});
