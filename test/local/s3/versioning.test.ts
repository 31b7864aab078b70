import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bodyBytes, failureOf, startTestS3, type TestS3 } from './helpers.ts';

const BUCKET = 'artifacts';

describe('local S3 versioning', () => {
  let t: TestS3;

  beforeEach(async () => {
    t = await startTestS3({ buckets: [{ name: BUCKET, versioning: true }, { name: 'plain' }] });
  });
  afterEach(async () => t.close());

  const put = (key: string, body: string, bucket = BUCKET) =>
    t.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  const read = async (key: string, versionId?: string, bucket = BUCKET) => {
    const object = await t.client.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }),
    );
    return { text: (await bodyBytes(object.Body)).toString(), versionId: object.VersionId };
  };

  it('gives each upload a distinct version id and keeps every version readable', async () => {
    // Act
    const first = await put('web.tgz', 'one');
    const second = await put('web.tgz', 'two');

    // Assess
    expect(first.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    expect(second.VersionId).not.toBe(first.VersionId);
    expect(await read('web.tgz')).toEqual({ text: 'two', versionId: second.VersionId });
    expect(await read('web.tgz', first.VersionId)).toEqual({
      text: 'one',
      versionId: first.VersionId,
    });
  });

  it('hides a key behind a delete marker and keeps its versions', async () => {
    // Prepare
    const original = await put('web.tgz', 'one');

    // Act
    const deleted = await t.client.send(
      new DeleteObjectCommand({ Bucket: BUCKET, Key: 'web.tgz' }),
    );
    const current = await failureOf(
      t.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'web.tgz' })),
    );
    const markerRead = await failureOf(
      t.client.send(
        new HeadObjectCommand({ Bucket: BUCKET, Key: 'web.tgz', VersionId: deleted.VersionId }),
      ),
    );
    const listed = await t.client.send(new ListObjectsV2Command({ Bucket: BUCKET }));

    // Assess
    expect(deleted.DeleteMarker).toBe(true);
    expect(deleted.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    expect(current).toMatchObject({ name: 'NoSuchKey', status: 404 });
    expect(markerRead.status).toBe(405);
    expect(listed.KeyCount).toBe(0);
    expect(await read('web.tgz', original.VersionId)).toMatchObject({ text: 'one' });
  });

  it('brings the previous version back when its delete marker is deleted', async () => {
    // Prepare
    await put('web.tgz', 'one');
    const marker = await t.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'web.tgz' }));

    // Act
    const removed = await t.client.send(
      new DeleteObjectCommand({ Bucket: BUCKET, Key: 'web.tgz', VersionId: marker.VersionId }),
    );

    // Assess
    expect(removed).toMatchObject({ DeleteMarker: true, VersionId: marker.VersionId });
    expect(await read('web.tgz')).toMatchObject({ text: 'one' });
  });

  it('deletes one version for good when named by id', async () => {
    // Prepare
    const first = await put('web.tgz', 'one');
    await put('web.tgz', 'two');

    // Act
    await t.client.send(
      new DeleteObjectCommand({ Bucket: BUCKET, Key: 'web.tgz', VersionId: first.VersionId }),
    );
    const failure = await failureOf(
      t.client.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: 'web.tgz', VersionId: first.VersionId }),
      ),
    );

    // Assess
    expect(failure).toMatchObject({ name: 'NoSuchVersion', status: 404 });
    expect(await read('web.tgz')).toMatchObject({ text: 'two' });
  });

  it('answers 400 for a malformed version id', async () => {
    const failure = await failureOf(
      t.client.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: 'web.tgz', VersionId: 'not a version' }),
      ),
    );
    expect(failure).toMatchObject({ name: 'InvalidArgument', status: 400 });
  });

  it('lists versions and delete markers newest first, flagging the latest', async () => {
    // Prepare
    const first = await put('a', '1');
    const second = await put('a', '2');
    const marker = await t.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'a' }));
    const other = await put('b', '3');

    // Act
    const listed = await t.client.send(new ListObjectVersionsCommand({ Bucket: BUCKET }));

    // Assess
    expect(listed.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual([
      ['a', second.VersionId, false],
      ['a', first.VersionId, false],
      ['b', other.VersionId, true],
    ]);
    expect(listed.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest])).toEqual([
      ['a', marker.VersionId, true],
    ]);
  });

  it('pages through versions with key and version-id markers', async () => {
    // Prepare
    const ids: string[] = [];
    for (const body of ['1', '2', '3']) ids.unshift((await put('k', body)).VersionId as string);
    await put('l', '4');

    // Act
    const seen: string[] = [];
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const listed = await t.client.send(
        new ListObjectVersionsCommand({
          Bucket: BUCKET,
          MaxKeys: 2,
          KeyMarker: keyMarker,
          VersionIdMarker: versionMarker,
        }),
      );
      seen.push(...(listed.Versions ?? []).map((v) => `${v.Key}:${v.VersionId}`));
      if (!listed.IsTruncated) break;
      keyMarker = listed.NextKeyMarker;
      versionMarker = listed.NextVersionIdMarker;
    }

    // Assess
    expect(seen.slice(0, 3)).toEqual(ids.map((id) => `k:${id}`));
    expect(seen).toHaveLength(4);
  });

  it('uses the version id "null" in an unversioned bucket', async () => {
    // Prepare
    await put('x', 'one', 'plain');

    // Act
    const written = await put('x', 'two', 'plain');
    const byNull = await read('x', 'null', 'plain');
    const versions = await t.client.send(new ListObjectVersionsCommand({ Bucket: 'plain' }));

    // Assess
    expect(written.VersionId).toBeUndefined();
    expect(byNull.text).toBe('two');
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual(['null']);
  });

  it('overwrites the null version while versioning is suspended and keeps older ids', async () => {
    // Prepare
    const kept = await put('s', 'versioned');
    await t.client.send(
      new PutBucketVersioningCommand({
        Bucket: BUCKET,
        VersioningConfiguration: { Status: 'Suspended' },
      }),
    );

    // Act
    const firstNull = await put('s', 'null one');
    await put('s', 'null two');
    const marker = await t.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 's' }));
    const versions = await t.client.send(new ListObjectVersionsCommand({ Bucket: BUCKET }));

    // Assess
    expect(firstNull.VersionId).toBe('null');
    expect(marker).toMatchObject({ DeleteMarker: true, VersionId: 'null' });
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual([kept.VersionId]);
    expect(versions.DeleteMarkers?.map((m) => m.VersionId)).toEqual(['null']);
  });

  it('deletes a batch with DeleteObjects, reporting markers and versions', async () => {
    // Prepare
    const pinned = await put('one', '1');
    await put('two', '2');

    // Act
    const result = await t.client.send(
      new DeleteObjectsCommand({
        Bucket: BUCKET,
        Delete: {
          Objects: [
            { Key: 'one', VersionId: pinned.VersionId },
            { Key: 'two' },
            { Key: 'bad', VersionId: 'x' },
          ],
        },
      }),
    );

    // Assess
    expect(result.Deleted).toEqual([
      { Key: 'one', VersionId: pinned.VersionId },
      {
        Key: 'two',
        DeleteMarker: true,
        DeleteMarkerVersionId: expect.stringMatching(/^[A-Za-z0-9._]{32}$/),
      },
    ]);
    expect(result.Errors).toEqual([
      {
        Key: 'bad',
        VersionId: 'x',
        Code: 'InvalidArgument',
        Message: 'Invalid version id specified',
      },
    ]);
  });

  it('reports only errors from a quiet DeleteObjects', async () => {
    // Prepare
    await put('quiet', '1');

    // Act
    const result = await t.client.send(
      new DeleteObjectsCommand({
        Bucket: BUCKET,
        Delete: { Quiet: true, Objects: [{ Key: 'quiet' }] },
      }),
    );

    // Assess
    expect(result.Deleted).toBeUndefined();
    expect(result.Errors).toBeUndefined();
  });
});
