import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyBytes, startTestS3, type TestS3 } from './helpers.ts';

const run = promisify(execFile);
const BUCKET = 'keys';

const KEYS = [
  { label: 'spaces', key: 'releases/web 1.4.0.tgz' },
  { label: 'plus signs', key: 'c++/a+b.tgz' },
  { label: 'colons', key: 'logs/10:47:07.log' },
  { label: 'percent signs', key: 'sale/100%.txt' },
  { label: 'an encoded-looking sequence kept literal', key: 'literal%2Fslash%20x' },
  { label: 'unicode', key: 'ünïcødé/✓📦.tgz' },
  { label: 'query and fragment characters', key: 'q?x=1&y=2#frag' },
  { label: 'everything at once', key: 'mix a+b:c%d ü (1).tgz' },
];

/** curl's answer: status line code and body. */
async function curl(url: string): Promise<{ status: number; body: string }> {
  const { stdout } = await run('curl', ['-sS', '-w', '\n%{http_code}', url]);
  const at = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(at + 1)), body: stdout.slice(0, at) };
}

describe('keys and presigned URLs', () => {
  let t: TestS3;

  beforeAll(async () => {
    t = await startTestS3({ buckets: [{ name: BUCKET }] });
    for (const { key } of KEYS) {
      await t.client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `body of ${key}` }),
      );
    }
  });
  afterAll(async () => t.close());

  it.each([...KEYS, { label: 'a leading slash and dot segments', key: '/top/../x/./y' }])(
    'round-trips a key with $label through the SDK',
    async ({ key }) => {
      // Prepare
      await t.client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `body of ${key}` }),
      );

      // Act
      const object = await t.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      const head = await t.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
      const listed = await t.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: key }));

      // Assess
      expect((await bodyBytes(object.Body)).toString()).toBe(`body of ${key}`);
      expect(head.ContentLength).toBe(Buffer.byteLength(`body of ${key}`));
      expect(listed.Contents?.map((o) => o.Key)).toEqual([key]);
    },
  );

  it.each(KEYS)(
    'serves a key with $label to a presigned GET fetched by curl and fetch',
    async ({ key }) => {
      // Prepare
      const url = await getSignedUrl(t.client, new GetObjectCommand({ Bucket: BUCKET, Key: key }), {
        expiresIn: 300,
      });

      // Act
      const byCurl = await curl(url);
      const byFetch = await fetch(url);

      // Assess
      expect(url.startsWith(`${t.s3.endpoint}/${BUCKET}/`)).toBe(true);
      expect(byCurl).toEqual({ status: 200, body: `body of ${key}` });
      expect(byFetch.status).toBe(200);
      expect(await byFetch.text()).toBe(`body of ${key}`);
    },
  );

  it('refuses an expired presigned URL with 403 AccessDenied "Request has expired"', async () => {
    // Prepare: signed two minutes ago, valid for sixty seconds.
    const url = await getSignedUrl(
      t.client,
      new GetObjectCommand({ Bucket: BUCKET, Key: KEYS[0]?.key }),
      {
        expiresIn: 60,
        signingDate: new Date(Date.now() - 120_000),
      },
    );

    // Act
    const byCurl = await curl(url);
    const byFetch = await fetch(url);
    const fetchBody = await byFetch.text();

    // Assess
    for (const answer of [byCurl, { status: byFetch.status, body: fetchBody }]) {
      expect(answer.status).toBe(403);
      expect(answer.body).toContain(
        '<Code>AccessDenied</Code><Message>Request has expired</Message>',
      );
      expect(answer.body).toContain('<X-Amz-Expires>60</X-Amz-Expires>');
    }
  });

  it('refuses a presigned URL valid for more than a week', async () => {
    // Prepare
    const url = new URL(
      await getSignedUrl(t.client, new GetObjectCommand({ Bucket: BUCKET, Key: 'x' }), {
        expiresIn: 60,
      }),
    );
    url.searchParams.set('X-Amz-Expires', '604801');

    // Act
    const answer = await fetch(url);

    // Assess
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('<Code>AuthorizationQueryParametersError</Code>');
  });
});
