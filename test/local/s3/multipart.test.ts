import { createHash, randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyBytes, failureOf, startTestS3, type TestS3 } from './helpers.ts';

const BUCKET = 'multipart';
const MIB = 1024 * 1024;

const md5 = (data: Buffer) => createHash('md5').update(data).digest();

describe('local S3 multipart uploads', () => {
  let t: TestS3;
  const first = randomBytes(5 * MIB);
  const second = randomBytes(MIB + 17);

  beforeAll(async () => {
    t = await startTestS3({ buckets: [{ name: BUCKET, versioning: true }] });
  });
  afterAll(async () => t.close());

  async function startUpload(key: string, checksum?: 'CRC32' | 'SHA256') {
    const created = await t.client.send(
      new CreateMultipartUploadCommand({
        Bucket: BUCKET,
        Key: key,
        ContentType: 'application/gzip',
        Metadata: { app: 'web' },
        ChecksumAlgorithm: checksum,
      }),
    );
    const uploadId = created.UploadId as string;
    const part = (PartNumber: number, Body: Buffer) =>
      t.client.send(
        // Like on S3, parts must carry the checksum algorithm the upload declared.
        new UploadPartCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId: uploadId,
          PartNumber,
          Body,
          ChecksumAlgorithm: checksum,
        }),
      );
    return { uploadId, part };
  }

  it('assembles parts into one object with the multipart ETag', async () => {
    // Prepare
    const { uploadId, part } = await startUpload('releases/web 2.0.0.tgz');
    const one = await part(1, first);
    const two = await part(2, second);

    // Act
    const completed = await t.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'releases/web 2.0.0.tgz',
        UploadId: uploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: one.ETag },
            { PartNumber: 2, ETag: two.ETag },
          ],
        },
      }),
    );
    const object = await t.client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'releases/web 2.0.0.tgz' }),
    );

    // Assess
    const expectedEtag = createHash('md5')
      .update(Buffer.concat([md5(first), md5(second)]))
      .digest('hex');
    expect(one.ETag).toBe(`"${md5(first).toString('hex')}"`);
    expect(completed.ETag).toBe(`"${expectedEtag}-2"`);
    expect(completed.VersionId).toMatch(/^[A-Za-z0-9._]{32}$/);
    expect(completed.Location).toBe(`${t.s3.endpoint}/${BUCKET}/releases/web%202.0.0.tgz`);
    expect(object.ETag).toBe(`"${expectedEtag}-2"`);
    expect(object.ContentType).toBe('application/gzip');
    expect(object.Metadata).toEqual({ app: 'web' });
    expect((await bodyBytes(object.Body)).equals(Buffer.concat([first, second]))).toBe(true);
    expect(t.events.at(-1)?.detail.reason).toBe('CompleteMultipartUpload');
  });

  it('keeps a composite checksum when the upload declared an algorithm', async () => {
    // Prepare
    const { uploadId, part } = await startUpload('composite.bin', 'SHA256');
    const one = await part(1, first);
    const two = await part(2, second);

    // Act
    await t.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'composite.bin',
        UploadId: uploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: one.ETag, ChecksumSHA256: one.ChecksumSHA256 },
            { PartNumber: 2, ETag: two.ETag, ChecksumSHA256: two.ChecksumSHA256 },
          ],
        },
      }),
    );
    const head = await t.client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'composite.bin', ChecksumMode: 'ENABLED' }),
    );
    const object = await t.client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'composite.bin' }),
    );

    // Assess
    const sha = (data: Buffer) => createHash('sha256').update(data).digest();
    const composite = createHash('sha256')
      .update(Buffer.concat([sha(first), sha(second)]))
      .digest('base64');
    expect(head.ChecksumSHA256).toBe(`${composite}-2`);
    expect(head.ChecksumType).toBe('COMPOSITE');
    expect((await bodyBytes(object.Body)).length).toBe(first.length + second.length);
  });

  it('lists the parts uploaded so far', async () => {
    // Prepare
    const { uploadId, part } = await startUpload('listed.bin');
    await part(2, second);
    await part(1, first);

    // Act
    const listed = await t.client.send(
      new ListPartsCommand({ Bucket: BUCKET, Key: 'listed.bin', UploadId: uploadId }),
    );

    // Assess
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, first.length],
      [2, second.length],
    ]);
  });

  it.each([
    {
      label: 'parts out of order',
      parts: (one: string, two: string) => [
        { PartNumber: 2, ETag: two },
        { PartNumber: 1, ETag: one },
      ],
      error: 'InvalidPartOrder',
    },
    {
      label: 'an ETag that does not match the part',
      parts: (one: string) => [
        { PartNumber: 1, ETag: `"${one[1] === '0' ? '1' : '0'}${one.slice(2)}` },
      ],
      error: 'InvalidPart',
    },
    {
      label: 'a part that was never uploaded',
      parts: (one: string) => [
        { PartNumber: 1, ETag: one },
        { PartNumber: 3, ETag: one },
      ],
      error: 'InvalidPart',
    },
  ])('refuses to complete with $label', async ({ parts, error }) => {
    // Prepare
    const { uploadId, part } = await startUpload('refused.bin');
    const one = (await part(1, first)).ETag as string;
    const two = (await part(2, second)).ETag as string;

    // Act
    const failure = await failureOf(
      t.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: 'refused.bin',
          UploadId: uploadId,
          MultipartUpload: { Parts: parts(one, two) },
        }),
      ),
    );

    // Assess
    expect(failure).toMatchObject({ name: error, status: 400 });
  });

  it('refuses a part under 5 MiB that is not the last with EntityTooSmall', async () => {
    // Prepare
    const { uploadId, part } = await startUpload('small-parts.bin');
    const one = await part(1, second);
    const two = await part(2, second);

    // Act
    const failure = await failureOf(
      t.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: 'small-parts.bin',
          UploadId: uploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: one.ETag },
              { PartNumber: 2, ETag: two.ETag },
            ],
          },
        }),
      ),
    );

    // Assess
    expect(failure).toMatchObject({ name: 'EntityTooSmall', status: 400 });
  });

  it('forgets an aborted upload', async () => {
    // Prepare
    const { uploadId, part } = await startUpload('aborted.bin');
    await part(1, second);

    // Act
    await t.client.send(
      new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'aborted.bin', UploadId: uploadId }),
    );
    const failure = await failureOf(part(2, second));

    // Assess
    expect(failure).toMatchObject({ name: 'NoSuchUpload', status: 404 });
  });

  it('refuses a part number outside 1..10000', async () => {
    const { part } = await startUpload('numbers.bin');
    const failure = await failureOf(part(10_001, second));
    expect(failure).toMatchObject({ name: 'InvalidArgument', status: 400 });
  });
});
