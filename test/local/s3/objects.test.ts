import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyBytes, failureOf, startTestS3, type TestS3 } from './helpers.ts';

const BUCKET = 'objects';

describe('local S3 objects', () => {
  let t: TestS3;
  let lastModified: Date;
  const content = Buffer.from('0123456789abcdefghij');
  const etag = `"${createHash('md5').update(content).digest('hex')}"`;

  beforeAll(async () => {
    t = await startTestS3({ buckets: [{ name: BUCKET }] });
    await t.client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'doc.txt',
        Body: content,
        ContentType: 'text/plain',
        CacheControl: 'max-age=60',
        Metadata: { app: 'web', version: '1.4.0' },
      }),
    );
    lastModified = (await t.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'doc.txt' })))
      .LastModified as Date;
  });
  afterAll(async () => t.close());

  const get = (extra: Record<string, unknown> = {}) =>
    t.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'doc.txt', ...extra }));

  it('returns the bytes, ETag, type, metadata and headers that were put', async () => {
    // Act
    const object = await get();

    // Assess
    expect((await bodyBytes(object.Body)).equals(content)).toBe(true);
    expect(object).toMatchObject({
      ETag: etag,
      ContentLength: content.length,
      ContentType: 'text/plain',
      CacheControl: 'max-age=60',
      AcceptRanges: 'bytes',
      Metadata: { app: 'web', version: '1.4.0' },
    });
    expect(object.VersionId).toBeUndefined();
  });

  it('lets response-* parameters override the stored headers of one GET', async () => {
    // Act
    const object = await get({
      ResponseContentType: 'application/x-tar',
      ResponseContentDisposition: 'attachment; filename="doc.txt"',
    });
    const again = await get();

    // Assess
    expect(object.ContentType).toBe('application/x-tar');
    expect(object.ContentDisposition).toBe('attachment; filename="doc.txt"');
    expect(again.ContentType).toBe('text/plain');
  });

  it('reports SSE-S3 encryption on writes and reads, as S3 does by default', async () => {
    // Act
    const written = await t.client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'sse', Body: 'x' }),
    );
    const head = await t.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sse' }));

    // Assess
    expect(written.ServerSideEncryption).toBe('AES256');
    expect(head.ServerSideEncryption).toBe('AES256');
  });

  it('answers HeadObject with the same headers and no body', async () => {
    const head = await t.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'doc.txt' }));
    expect(head).toMatchObject({
      ETag: etag,
      ContentLength: content.length,
      ContentType: 'text/plain',
    });
  });

  it('stores binary/octet-stream when no Content-Type is given', async () => {
    // Prepare
    await t.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'untyped', Body: 'x' }));

    // Act
    const head = await t.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'untyped' }));

    // Assess: the SDK itself sends application/octet-stream for string bodies.
    expect(head.ContentType).toMatch(/octet-stream$/);
  });

  it('returns the client-sent SHA-256 when checksum mode is enabled', async () => {
    // Prepare
    const sha256 = createHash('sha256').update(content).digest('base64');
    await t.client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'pinned',
        Body: content,
        ChecksumSHA256: sha256,
      }),
    );

    // Act
    const head = await t.client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'pinned', ChecksumMode: 'ENABLED' }),
    );
    const object = await t.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'pinned' }));

    // Assess
    expect(head.ChecksumSHA256).toBe(sha256);
    expect(head.ChecksumType).toBe('FULL_OBJECT');
    expect(object.ChecksumSHA256).toBe(sha256);
    expect((await bodyBytes(object.Body)).equals(content)).toBe(true);
  });

  it.each([
    {
      label: 'a wrong Content-MD5',
      input: { ContentMD5: createHash('md5').update('other').digest('base64') },
      error: 'BadDigest',
    },
    {
      label: 'a wrong x-amz-checksum-sha256',
      input: { ChecksumSHA256: createHash('sha256').update('other').digest('base64') },
      error: 'BadDigest',
    },
    {
      label: 'a malformed x-amz-checksum-crc32',
      input: { ChecksumCRC32: 'abc' },
      error: 'InvalidRequest',
    },
    {
      label: 'a malformed Content-MD5',
      input: { ContentMD5: 'bm90LW1kNQ==' },
      error: 'InvalidDigest',
    },
  ])('refuses a body with $label and stores nothing', async ({ input, error }) => {
    // Act
    const failure = await failureOf(
      t.client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'refused', Body: content, ...input }),
      ),
    );
    const lookup = await failureOf(
      t.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'refused' })),
    );

    // Assess
    expect(failure).toMatchObject({ name: error, status: 400 });
    expect(lookup.status).toBe(404);
  });

  it('leaves no temporary body behind after refusing an upload', async () => {
    // Act
    await failureOf(
      t.client.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: 'refused',
          Body: content,
          ContentMD5: 'AAAAAAAAAAAAAAAAAAAAAA==',
        }),
      ),
    );

    // Assess
    expect(await readdir(join(t.stateDir, 'tmp'))).toEqual([]);
  });

  describe('conditional GET', () => {
    it.each([
      { label: 'If-Match that matches', input: { IfMatch: etag }, status: 200 },
      { label: 'If-Match with *', input: { IfMatch: '*' }, status: 200 },
      { label: 'If-Match that differs', input: { IfMatch: '"0000"' }, status: 412 },
      { label: 'If-None-Match that matches', input: { IfNoneMatch: etag }, status: 304 },
      { label: 'If-None-Match that differs', input: { IfNoneMatch: '"0000"' }, status: 200 },
      {
        label: 'If-Modified-Since at the last modification',
        input: () => ({ IfModifiedSince: lastModified }),
        status: 304,
      },
      {
        label: 'If-Modified-Since an hour earlier',
        input: () => ({ IfModifiedSince: new Date(lastModified.getTime() - 3_600_000) }),
        status: 200,
      },
      {
        label: 'If-Unmodified-Since an hour earlier',
        input: () => ({ IfUnmodifiedSince: new Date(lastModified.getTime() - 3_600_000) }),
        status: 412,
      },
      {
        label: 'a matching If-Match with a failing If-Unmodified-Since',
        input: () => ({
          IfMatch: etag,
          IfUnmodifiedSince: new Date(lastModified.getTime() - 3_600_000),
        }),
        status: 200,
      },
    ])('answers $status to $label', async ({ input, status }) => {
      // Act
      const args = typeof input === 'function' ? input() : input;
      const answer = await get(args).then(
        (object) => object.$metadata.httpStatusCode,
        (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode,
      );

      // Assess
      expect(answer).toBe(status);
    });

    it('names the failed condition in the 412 error', async () => {
      const failure = await failureOf(get({ IfMatch: '"0000"' }));
      expect(failure).toMatchObject({ name: 'PreconditionFailed' });
    });
  });

  describe('Range', () => {
    it.each([
      { range: 'bytes=0-4', bytes: '01234', contentRange: 'bytes 0-4/20' },
      { range: 'bytes=15-', bytes: 'fghij', contentRange: 'bytes 15-19/20' },
      { range: 'bytes=-3', bytes: 'hij', contentRange: 'bytes 17-19/20' },
      { range: 'bytes=18-100', bytes: 'ij', contentRange: 'bytes 18-19/20' },
    ])('returns 206 with $range', async ({ range, bytes, contentRange }) => {
      // Act
      const object = await get({ Range: range });

      // Assess
      expect(object.$metadata.httpStatusCode).toBe(206);
      expect(object.ContentRange).toBe(contentRange);
      expect((await bodyBytes(object.Body)).toString()).toBe(bytes);
    });

    it('answers 416 InvalidRange for a range past the end', async () => {
      const failure = await failureOf(get({ Range: 'bytes=20-30' }));
      expect(failure).toMatchObject({ name: 'InvalidRange', status: 416 });
    });

    it('returns the whole object for a header it cannot parse', async () => {
      const object = await get({ Range: 'bytes=0-1,4-5' });
      expect(object.$metadata.httpStatusCode).toBe(200);
    });
  });

  describe('conditional writes', () => {
    it('refuses If-None-Match: * when the key exists, and allows it when absent', async () => {
      // Act
      const existing = await failureOf(
        t.client.send(
          new PutObjectCommand({ Bucket: BUCKET, Key: 'doc.txt', Body: 'x', IfNoneMatch: '*' }),
        ),
      );
      const created = await t.client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'only-once', Body: 'x', IfNoneMatch: '*' }),
      );

      // Assess
      expect(existing).toMatchObject({ name: 'PreconditionFailed', status: 412 });
      expect(created.$metadata.httpStatusCode).toBe(200);
    });

    it('refuses If-Match with another ETag on PutObject', async () => {
      const failure = await failureOf(
        t.client.send(
          new PutObjectCommand({ Bucket: BUCKET, Key: 'doc.txt', Body: 'x', IfMatch: '"0000"' }),
        ),
      );
      expect(failure).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    });
  });

  it('copies an object with its metadata, or with new metadata on REPLACE', async () => {
    // Act
    await t.client.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy.txt', CopySource: `${BUCKET}/doc.txt` }),
    );
    await t.client.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'replaced.txt',
        CopySource: `${BUCKET}/doc.txt`,
        MetadataDirective: 'REPLACE',
        Metadata: { app: 'api' },
        ContentType: 'application/json',
      }),
    );
    const copy = await t.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'copy.txt' }));
    const replaced = await t.client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'replaced.txt' }),
    );

    // Assess
    expect((await bodyBytes(copy.Body)).equals(content)).toBe(true);
    expect(copy.ETag).toBe(etag);
    expect(copy.Metadata).toEqual({ app: 'web', version: '1.4.0' });
    expect(replaced.Metadata).toEqual({ app: 'api' });
    expect(replaced.ContentType).toBe('application/json');
  });

  it('refuses to copy an object onto itself without REPLACE', async () => {
    const failure = await failureOf(
      t.client.send(
        new CopyObjectCommand({ Bucket: BUCKET, Key: 'doc.txt', CopySource: `${BUCKET}/doc.txt` }),
      ),
    );
    expect(failure).toMatchObject({ name: 'InvalidRequest', status: 400 });
  });

  it('deletes an object of an unversioned bucket for good', async () => {
    // Prepare
    await t.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'temporary', Body: 'x' }));

    // Act
    const deleted = await t.client.send(
      new DeleteObjectCommand({ Bucket: BUCKET, Key: 'temporary' }),
    );
    const failure = await failureOf(
      t.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'temporary' })),
    );

    // Assess
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(deleted.DeleteMarker).toBeUndefined();
    expect(failure).toMatchObject({ name: 'NoSuchKey', status: 404 });
  });

  it('answers S3 error XML with Code, Message, Key and RequestId', async () => {
    // Act
    const response = await fetch(`${t.s3.endpoint}/${BUCKET}/no%20such%20key`);
    const body = await response.text();

    // Assess
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/xml');
    const requestId = response.headers.get('x-amz-request-id');
    expect(body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>' +
        '<Message>The specified key does not exist.</Message><Key>no such key</Key>' +
        `<RequestId>${requestId}</RequestId>${/<HostId>[^<]+<\/HostId>/.exec(body)?.[0]}</Error>`,
    );
    expect(response.headers.get('x-amz-request-id')).toMatch(/^[0-9A-F]{16}$/);
  });

  it('answers errors to HEAD with the status only', async () => {
    // Act
    const response = await fetch(`${t.s3.endpoint}/${BUCKET}/missing`, { method: 'HEAD' });

    // Assess
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
  });

  it('answers 501 NotImplemented for sub-resources it does not implement', async () => {
    const response = await fetch(`${t.s3.endpoint}/${BUCKET}/doc.txt?tagging`);
    expect(response.status).toBe(501);
    expect(await response.text()).toContain('<Code>NotImplemented</Code>');
  });

  it('refuses keys longer than 1024 bytes', async () => {
    const failure = await failureOf(
      t.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k'.repeat(1025), Body: 'x' })),
    );
    expect(failure).toMatchObject({ name: 'KeyTooLongError', status: 400 });
  });

  it('refuses more than 2 KB of user metadata', async () => {
    const failure = await failureOf(
      t.client.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: 'meta',
          Body: 'x',
          Metadata: { big: 'v'.repeat(2100) },
        }),
      ),
    );
    expect(failure).toMatchObject({ name: 'MetadataTooLarge', status: 400 });
  });

  it('stores a zero-byte object', async () => {
    // Act
    await t.client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'empty', Body: new Uint8Array(0) }),
    );
    const object = await t.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'empty' }));

    // Assess
    expect(object.ContentLength).toBe(0);
    expect((await bodyBytes(object.Body)).length).toBe(0);
    expect(object.ETag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
  });

  it('creates buckets on request', async () => {
    await t.client.send(new CreateBucketCommand({ Bucket: 'another' }));
    await t.client.send(new PutObjectCommand({ Bucket: 'another', Key: 'k', Body: 'v' }));
    const object = await t.client.send(new GetObjectCommand({ Bucket: 'another', Key: 'k' }));
    expect((await bodyBytes(object.Body)).toString()).toBe('v');
  });
});
