import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyBytes, startTestS3, type TestS3 } from './helpers.ts';

const BUCKET = 'durable';

describe('local S3 persistence', () => {
  let t: TestS3 | undefined;

  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('keeps buckets, versions, delete markers and metadata across a restart', async () => {
    // Prepare
    t = await startTestS3({ buckets: [{ name: BUCKET, versioning: true }] });
    const first = await t.client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'web 1.tgz',
        Body: 'one',
        Metadata: { app: 'web' },
      }),
    );
    await t.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'web 1.tgz', Body: 'two' }));
    await t.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gone', Body: 'x' }));
    await t.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone' }));

    // Act
    t = await t.restart();
    const old = await t.client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'web 1.tgz', VersionId: first.VersionId }),
    );
    const current = await t.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'web 1.tgz' }));
    const versions = await t.client.send(new ListObjectVersionsCommand({ Bucket: BUCKET }));
    const versioning = await t.client.send(new GetBucketVersioningCommand({ Bucket: BUCKET }));

    // Assess
    expect((await bodyBytes(old.Body)).toString()).toBe('one');
    expect(old.Metadata).toEqual({ app: 'web' });
    expect((await bodyBytes(current.Body)).toString()).toBe('two');
    expect(versions.Versions).toHaveLength(3);
    expect(versions.DeleteMarkers?.map((m) => m.Key)).toEqual(['gone']);
    expect(versioning.Status).toBe('Enabled');
  });

  it('resumes a multipart upload started before a restart', async () => {
    // Prepare
    t = await startTestS3({ buckets: [{ name: BUCKET }] });
    const created = await t.client.send(
      new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'mpu' }),
    );
    const part = await t.client.send(
      new UploadPartCommand({
        Bucket: BUCKET,
        Key: 'mpu',
        UploadId: created.UploadId,
        PartNumber: 1,
        Body: 'abc',
      }),
    );

    // Act
    t = await t.restart();
    await t.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'mpu',
        UploadId: created.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    const object = await t.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'mpu' }));

    // Assess
    expect((await bodyBytes(object.Body)).toString()).toBe('abc');
  });

  it('removes data files no manifest names and leftover temporary bodies on start', async () => {
    // Prepare: as if a crash happened after a body was moved into place but before it was recorded.
    t = await startTestS3({ buckets: [{ name: BUCKET }] });
    await t.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'v' }));
    const objectsDir = join(t.stateDir, 'buckets', BUCKET, 'objects');
    const [fanOut] = await readdir(objectsDir);
    const [keyDir] = await readdir(join(objectsDir, fanOut as string));
    const dir = join(objectsDir, fanOut as string, keyDir as string);
    await writeFile(join(dir, 'orphan.data'), 'never recorded');
    await writeFile(join(t.stateDir, 'tmp', 'half-uploaded'), 'partial');

    // Act
    t = await t.restart();
    const object = await t.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'k' }));

    // Assess
    expect((await bodyBytes(object.Body)).toString()).toBe('v');
    expect((await readdir(dir)).sort()).not.toContain('orphan.data');
    expect(await readdir(join(t.stateDir, 'tmp'))).toEqual([]);
  });

  it('keeps one consistent null version after concurrent overwrites and a restart', async () => {
    // Prepare
    t = await startTestS3({ buckets: [{ name: BUCKET }] });

    // Act
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        t?.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'same', Body: `v${index}` })),
      ),
    );
    t = await t.restart();
    const object = await t.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'same' }));
    const versions = await t.client.send(new ListObjectVersionsCommand({ Bucket: BUCKET }));

    // Assess
    expect((await bodyBytes(object.Body)).toString()).toMatch(/^v\d+$/);
    expect(versions.Versions).toHaveLength(1);
    const objectsDir = join(t.stateDir, 'buckets', BUCKET, 'objects');
    const [fanOut] = await readdir(objectsDir);
    const [keyDir] = await readdir(join(objectsDir, fanOut as string));
    const files = await readdir(join(objectsDir, fanOut as string, keyDir as string));
    expect(files.filter((name) => name.endsWith('.data'))).toHaveLength(1);
  });
});
