import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3 } from '../../../local/s3/index.ts';
import { failureOf, startTestS3, type TestS3 } from './helpers.ts';

describe('local S3 buckets', () => {
  let t: TestS3;

  beforeAll(async () => {
    t = await startTestS3({ buckets: [{ name: 'configured', versioning: true }] });
  });
  afterAll(async () => t.close());

  it('creates the configured buckets at start, with versioning enabled', async () => {
    // Act
    const versioning = await t.client.send(
      new GetBucketVersioningCommand({ Bucket: 'configured' }),
    );

    // Assess
    expect(versioning.Status).toBe('Enabled');
  });

  it('creates, heads, lists and deletes a bucket', async () => {
    // Act
    await t.client.send(new CreateBucketCommand({ Bucket: 'fresh-bucket' }));
    const head = await t.client.send(new HeadBucketCommand({ Bucket: 'fresh-bucket' }));
    const listed = await t.client.send(new ListBucketsCommand({}));
    await t.client.send(new DeleteBucketCommand({ Bucket: 'fresh-bucket' }));
    const afterDelete = await failureOf(
      t.client.send(new HeadBucketCommand({ Bucket: 'fresh-bucket' })),
    );

    // Assess
    expect(head.BucketRegion).toBe('us-east-1');
    expect(listed.Buckets?.map((bucket) => bucket.Name)).toContain('fresh-bucket');
    expect(listed.Buckets?.[0]?.CreationDate).toBeInstanceOf(Date);
    expect(afterDelete).toMatchObject({ name: 'NotFound', status: 404 });
  });

  it('answers 200 to creating a bucket it already owns, as us-east-1 does', async () => {
    // Act
    const created = await t.client.send(new CreateBucketCommand({ Bucket: 'configured' }));

    // Assess
    expect(created.$metadata.httpStatusCode).toBe(200);
  });

  it('refuses to delete a bucket that still holds objects', async () => {
    // Prepare
    await t.client.send(new CreateBucketCommand({ Bucket: 'full-bucket' }));
    await t.client.send(new PutObjectCommand({ Bucket: 'full-bucket', Key: 'x', Body: 'x' }));

    // Act
    const failure = await failureOf(
      t.client.send(new DeleteBucketCommand({ Bucket: 'full-bucket' })),
    );

    // Assess
    expect(failure).toMatchObject({ name: 'BucketNotEmpty', status: 409 });
  });

  it.each([
    { label: 'too short', name: 'ab' },
    { label: 'upper-case', name: 'MyBucket' },
    { label: 'shaped like an IP address', name: '192.168.5.4' },
    { label: 'with adjacent dots', name: 'a..b' },
  ])('refuses a bucket name $label', async ({ name }) => {
    const failure = await failureOf(t.client.send(new CreateBucketCommand({ Bucket: name })));
    expect(failure).toMatchObject({ name: 'InvalidBucketName', status: 400 });
  });

  it('answers NoSuchBucket for operations on a missing bucket', async () => {
    // Act
    const failure = await failureOf(
      t.client.send(new PutObjectCommand({ Bucket: 'missing-bucket', Key: 'k', Body: 'x' })),
    );

    // Assess
    expect(failure).toMatchObject({ name: 'NoSuchBucket', status: 404 });
  });

  it('reports versioning as never configured, enabled, then suspended', async () => {
    // Prepare
    await t.client.send(new CreateBucketCommand({ Bucket: 'versioning-states' }));
    const statusOf = async () =>
      (await t.client.send(new GetBucketVersioningCommand({ Bucket: 'versioning-states' }))).Status;

    // Act
    const initial = await statusOf();
    await t.client.send(
      new PutBucketVersioningCommand({
        Bucket: 'versioning-states',
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    const enabled = await statusOf();
    await t.client.send(
      new PutBucketVersioningCommand({
        Bucket: 'versioning-states',
        VersioningConfiguration: { Status: 'Suspended' },
      }),
    );
    const suspended = await statusOf();

    // Assess
    expect([initial, enabled, suspended]).toEqual([undefined, 'Enabled', 'Suspended']);
  });

  it('reports an empty location constraint for us-east-1', async () => {
    const location = await t.client.send(new GetBucketLocationCommand({ Bucket: 'configured' }));
    expect(location.LocationConstraint).toBeUndefined();
  });
});

describe('startLocalS3 options', () => {
  it('refuses an invalid configured bucket name with ConfigInvalid', async () => {
    // Prepare
    const stateDir = await mkdtemp(join(tmpdir(), 'signet-s3-'));

    // Act
    const started = startLocalS3({ stateDir, buckets: [{ name: 'Not_Valid' }] });

    // Assess
    await expect(started).rejects.toMatchObject({ name: 'ConfigInvalid' });
    await rm(stateDir, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 only', async () => {
    // Prepare
    const t = await startTestS3();

    // Act
    const url = new URL(t.s3.endpoint);

    // Assess
    expect(url.hostname).toBe('127.0.0.1');
    await t.close();
  });
});
