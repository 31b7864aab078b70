import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyBytes, failureOf, startTestS3, type TestS3 } from './helpers.ts';

const BUCKET = 'chunked';

function crc32Base64(data: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data), 0);
  return out.toString('base64');
}

/** aws-chunked framing as the SDK writes it, with whatever trailer the test wants. */
function awsChunked(data: Buffer, trailerLines: string[], signed = false): Buffer {
  const extension = signed ? `;chunk-signature=${'0'.repeat(64)}` : '';
  const parts: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += 65_536) {
    const chunk = data.subarray(offset, offset + 65_536);
    parts.push(
      Buffer.from(`${chunk.length.toString(16)}${extension}\r\n`),
      chunk,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`0${extension}\r\n${trailerLines.map((l) => `${l}\r\n`).join('')}\r\n`));
  return Buffer.concat(parts);
}

interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

function rawPut(url: string, headers: Record<string, string>, body: Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'PUT', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('aws-chunked uploads', () => {
  let t: TestS3;
  const data = randomBytes(3 * 1024 * 1024 + 12_345);

  beforeAll(async () => {
    t = await startTestS3({ buckets: [{ name: BUCKET, versioning: true }] });
  });
  afterAll(async () => t.close());

  it('round-trips a stream body the SDK sends aws-chunked with a CRC32 trailer', async () => {
    // Prepare: a stream body makes the SDK use aws-chunked with its default trailing checksum.
    const pieces = Array.from({ length: 13 }, (_, i) =>
      data.subarray(i * 250_000, (i + 1) * 250_000),
    );
    let sawChunked = false;
    t.client.middlewareStack.add(
      (next) => async (args) => {
        const headers = (args.request as { headers: Record<string, string> }).headers;
        sawChunked ||= headers['content-encoding'] === 'aws-chunked';
        return next(args);
      },
      { step: 'finalizeRequest', name: 'observeEncoding' },
    );

    // Act
    const put = await t.client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'stream.bin',
        Body: Readable.from(pieces),
        ContentLength: data.length,
      }),
    );
    const object = await t.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'stream.bin' }));
    t.client.middlewareStack.remove('observeEncoding');

    // Assess
    expect(sawChunked).toBe(true);
    expect(put.ChecksumCRC32).toBe(crc32Base64(data));
    expect(put.ETag).toBe(`"${createHash('md5').update(data).digest('hex')}"`);
    expect((await bodyBytes(object.Body)).equals(data)).toBe(true);
    expect(object.ChecksumCRC32).toBe(crc32Base64(data));
  });

  it('round-trips a buffer body sent with a CRC32 header checksum', async () => {
    // Act
    const put = await t.client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'buffer.bin', Body: data }),
    );
    const object = await t.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'buffer.bin' }));

    // Assess
    expect(put.ChecksumCRC32).toBe(crc32Base64(data));
    expect((await bodyBytes(object.Body)).equals(data)).toBe(true);
  });

  const chunkedHeaders = (trailer: string) => ({
    'content-encoding': 'aws-chunked',
    'transfer-encoding': 'chunked',
    'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    'x-amz-decoded-content-length': String(data.length),
    'x-amz-trailer': trailer,
    'x-amz-sdk-checksum-algorithm': 'CRC32',
  });

  it('refuses a corrupted trailing checksum with BadDigest and stores nothing', async () => {
    // Prepare
    const wrong = crc32Base64(Buffer.from('something else'));
    const body = awsChunked(data, [`x-amz-checksum-crc32:${wrong}`]);

    // Act
    const answer = await rawPut(
      `${t.s3.endpoint}/${BUCKET}/corrupt.bin`,
      chunkedHeaders('x-amz-checksum-crc32'),
      body,
    );
    const lookup = await failureOf(
      t.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'corrupt.bin' })),
    );

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Code>BadDigest</Code>');
    expect(answer.body).toContain('The CRC32 you specified did not match the calculated checksum.');
    expect(lookup.status).toBe(404);
  });

  it('refuses a body shorter than x-amz-decoded-content-length with IncompleteBody', async () => {
    // Prepare
    const short = data.subarray(0, data.length - 1);
    const body = awsChunked(short, [`x-amz-checksum-crc32:${crc32Base64(short)}`]);

    // Act
    const answer = await rawPut(
      `${t.s3.endpoint}/${BUCKET}/short.bin`,
      chunkedHeaders('x-amz-checksum-crc32'),
      body,
    );

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Code>IncompleteBody</Code>');
  });

  it('refuses a declared trailer that never arrives', async () => {
    // Act
    const answer = await rawPut(
      `${t.s3.endpoint}/${BUCKET}/no-trailer.bin`,
      chunkedHeaders('x-amz-checksum-crc32'),
      awsChunked(data, []),
    );

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Code>MalformedTrailerError</Code>');
  });

  it.each([
    { algorithm: 'sha256', header: 'x-amz-checksum-sha256' },
    { algorithm: 'sha1', header: 'x-amz-checksum-sha1' },
  ])('accepts and returns a $algorithm trailer', async ({ algorithm, header }) => {
    // Prepare
    const value = createHash(algorithm).update(data).digest('base64');
    const headers = { ...chunkedHeaders(header), 'x-amz-sdk-checksum-algorithm': algorithm };

    // Act
    const key = `trailer-${algorithm}.bin`;
    const answer = await rawPut(
      `${t.s3.endpoint}/${BUCKET}/${key}`,
      headers,
      awsChunked(data, [`${header}:${value}`]),
    );
    const head = await t.client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }),
    );

    // Assess
    expect(answer.status).toBe(200);
    expect(algorithm === 'sha256' ? head.ChecksumSHA256 : head.ChecksumSHA1).toBe(value);
  });

  it('accepts a SigV4-signed streaming body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', async () => {
    // Prepare: chunk signatures are framed like the Java SDK and older CLIs send them.
    const body = awsChunked(data, [], true);

    // Act
    const answer = await rawPut(
      `${t.s3.endpoint}/${BUCKET}/signed.bin`,
      {
        'content-encoding': 'aws-chunked',
        'content-length': String(body.length),
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'x-amz-decoded-content-length': String(data.length),
      },
      body,
    );
    const object = await t.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'signed.bin' }));

    // Assess
    expect(answer.status).toBe(200);
    expect((await bodyBytes(object.Body)).equals(data)).toBe(true);
    expect(object.ContentEncoding).toBeUndefined();
  });

  it('refuses a signed payload whose x-amz-content-sha256 does not match', async () => {
    // Act
    const answer = await rawPut(
      `${t.s3.endpoint}/${BUCKET}/signed-payload.bin`,
      { 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') },
      Buffer.from('payload'),
    );

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
  });
});
