import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type S3EventBridgeEvent, toS3NotificationRecord } from '../../../local/s3/index.ts';
import { startTestS3, type TestS3 } from './helpers.ts';

const VERSIONED = 'artifacts';
const PLAIN = 'plain';

describe('local S3 events', () => {
  let t: TestS3;

  beforeEach(async () => {
    t = await startTestS3({
      accountId: '123456789012',
      region: 'eu-west-1',
      buckets: [{ name: VERSIONED, versioning: true }, { name: PLAIN }],
    });
  });
  afterEach(async () => t.close());

  const put = (bucket: string, key: string, body = 'payload') =>
    t.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

  it('emits an EventBridge "Object Created" event after PutObject, in S3\'s shape', async () => {
    // Act
    const written = await put(VERSIONED, 'releases/web 1.4.0+rc:1.tgz');

    // Assess
    expect(t.events).toHaveLength(1);
    const event = t.events[0] as S3EventBridgeEvent;
    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '123456789012',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: 'eu-west-1',
      resources: ['arn:aws:s3:::artifacts'],
      detail: {
        version: '0',
        bucket: { name: 'artifacts' },
        object: {
          key: 'releases/web 1.4.0+rc:1.tgz',
          size: 7,
          etag: createHash('md5').update('payload').digest('hex'),
          'version-id': written.VersionId,
          sequencer: expect.stringMatching(/^[0-9A-F]{18}$/),
        },
        'request-id': written.$metadata.requestId,
        requester: '123456789012',
        'source-ip-address': '127.0.0.1',
        reason: 'PutObject',
      },
    });
  });

  it('leaves version-id out for an unversioned bucket', async () => {
    await put(PLAIN, 'k');
    expect(t.events[0]?.detail.object).not.toHaveProperty('version-id');
  });

  it('emits increasing sequencers for successive changes of one key', async () => {
    // Act
    await put(VERSIONED, 'k', 'one');
    await put(VERSIONED, 'k', 'two');
    await t.client.send(new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'k' }));

    // Assess
    const sequencers = t.events.map((event) => event.detail.object.sequencer);
    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(3);
  });

  it('emits "Object Deleted" with "Delete Marker Created" for a versioned delete', async () => {
    // Prepare
    await put(VERSIONED, 'web.tgz');

    // Act
    const deleted = await t.client.send(
      new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'web.tgz' }),
    );

    // Assess
    expect(t.events[1]).toMatchObject({
      'detail-type': 'Object Deleted',
      detail: {
        object: {
          key: 'web.tgz',
          etag: 'd41d8cd98f00b204e9800998ecf8427e',
          'version-id': deleted.VersionId,
        },
        reason: 'DeleteObject',
        'deletion-type': 'Delete Marker Created',
      },
    });
    expect(t.events[1]?.detail.object).not.toHaveProperty('size');
  });

  it.each([
    { label: 'a version named by id', bucket: VERSIONED, byVersion: true },
    { label: 'an object of an unversioned bucket', bucket: PLAIN, byVersion: false },
  ])('emits "Permanently Deleted" when deleting $label', async ({ bucket, byVersion }) => {
    // Prepare
    const written = await put(bucket, 'gone.tgz');

    // Act
    await t.client.send(
      new DeleteObjectCommand({
        Bucket: bucket,
        Key: 'gone.tgz',
        VersionId: byVersion ? written.VersionId : undefined,
      }),
    );

    // Assess
    expect(t.events[1]).toMatchObject({
      'detail-type': 'Object Deleted',
      detail: { object: { key: 'gone.tgz' }, 'deletion-type': 'Permanently Deleted' },
    });
  });

  it('emits no event for deleting a key that does not exist in an unversioned bucket', async () => {
    await t.client.send(new DeleteObjectCommand({ Bucket: PLAIN, Key: 'never-there' }));
    expect(t.events).toEqual([]);
  });

  it('names CopyObject and CompleteMultipartUpload as the reason', async () => {
    // Prepare
    await put(VERSIONED, 'source');
    const created = await t.client.send(
      new CreateMultipartUploadCommand({ Bucket: VERSIONED, Key: 'mpu' }),
    );
    const part = await t.client.send(
      new UploadPartCommand({
        Bucket: VERSIONED,
        Key: 'mpu',
        UploadId: created.UploadId,
        PartNumber: 1,
        Body: 'x',
      }),
    );

    // Act
    await t.client.send(
      new CopyObjectCommand({ Bucket: VERSIONED, Key: 'copy', CopySource: `${VERSIONED}/source` }),
    );
    await t.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: VERSIONED,
        Key: 'mpu',
        UploadId: created.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );

    // Assess
    expect(t.events.map((event) => [event.detail.object.key, event.detail.reason])).toEqual([
      ['source', 'PutObject'],
      ['copy', 'CopyObject'],
      ['mpu', 'CompleteMultipartUpload'],
    ]);
    expect(t.events[2]?.detail.object.etag).toMatch(/^[0-9a-f]{32}-1$/);
  });

  it('keeps the upload successful when the event listener throws or rejects', async () => {
    // Prepare
    const failures: unknown[] = [];
    const failing = await startTestS3({
      buckets: [{ name: PLAIN }],
      onEvent: (event) => {
        if (event.detail.object.key === 'sync') throw new Error('listener broke');
        return Promise.reject(new Error('listener rejected'));
      },
      onEventError: (error) => failures.push(error),
    });

    // Act
    const first = await failing.client.send(
      new PutObjectCommand({ Bucket: PLAIN, Key: 'sync', Body: 'x' }),
    );
    const second = await failing.client.send(
      new PutObjectCommand({ Bucket: PLAIN, Key: 'async', Body: 'x' }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    await failing.close();

    // Assess
    expect(first.$metadata.httpStatusCode).toBe(200);
    expect(second.$metadata.httpStatusCode).toBe(200);
    expect(failures.map((error) => (error as Error).message)).toEqual([
      'listener broke',
      'listener rejected',
    ]);
  });
});

describe('toS3NotificationRecord', () => {
  let t: TestS3;

  beforeEach(async () => {
    t = await startTestS3({ buckets: [{ name: VERSIONED, versioning: true }] });
  });
  afterEach(async () => t.close());

  it.each([
    { label: 'a space as +', key: 'releases/web 1.4.0.tgz', encoded: 'releases/web+1.4.0.tgz' },
    { label: 'a plus as %2B', key: 'c++/a+b.tgz', encoded: 'c%2B%2B/a%2Bb.tgz' },
    { label: 'a colon as %3A', key: 'logs/10:47.log', encoded: 'logs/10%3A47.log' },
    { label: 'a percent as %25', key: '100%.txt', encoded: '100%25.txt' },
    { label: 'unicode as UTF-8 escapes', key: 'ü/✓.tgz', encoded: '%C3%BC/%E2%9C%93.tgz' },
  ])(
    'form-encodes $label, while the EventBridge key stays as uploaded',
    async ({ key, encoded }) => {
      // Prepare
      const written = await t.client.send(
        new PutObjectCommand({ Bucket: VERSIONED, Key: key, Body: 'abc' }),
      );
      const event = t.events[0] as S3EventBridgeEvent;

      // Act
      const notification = toS3NotificationRecord(event);

      // Assess
      expect(event.detail.object.key).toBe(key);
      expect(notification.Records).toHaveLength(1);
      expect(notification.Records[0]).toMatchObject({
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: VERSIONED, arn: `arn:aws:s3:::${VERSIONED}` },
          object: {
            key: encoded,
            size: 3,
            eTag: createHash('md5').update('abc').digest('hex'),
            versionId: written.VersionId,
            sequencer: event.detail.object.sequencer,
          },
        },
      });
      expect(decodeURIComponent(encoded.replaceAll('+', ' '))).toBe(key);
    },
  );

  it('names a delete marker ObjectRemoved:DeleteMarkerCreated without size or ETag', async () => {
    // Prepare
    await t.client.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'a b', Body: 'abc' }));
    await t.client.send(new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'a b' }));

    // Act
    const record = toS3NotificationRecord(t.events[1] as S3EventBridgeEvent).Records[0];

    // Assess
    expect(record?.eventName).toBe('ObjectRemoved:DeleteMarkerCreated');
    expect(record?.s3.object).toEqual({
      key: 'a+b',
      versionId: t.events[1]?.detail.object['version-id'],
      sequencer: t.events[1]?.detail.object.sequencer,
    });
  });
});
