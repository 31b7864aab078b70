import {
  DeleteObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, startTestS3, type TestS3 } from './helpers.ts';

const BUCKET = 'listing';
const KEYS = [
  'releases/api/1.0.0.tgz',
  'releases/web/1.0.0.tgz',
  'releases/web/1.0.0.tgz.sig',
  'releases/web/1.1.0.tgz',
  'readme.md',
  'z-last',
  'space key+plus:colon',
  'unicode/\uE000-private',
  'unicode/\u{1F4E6}-astral',
];

describe('ListObjectsV2', () => {
  let t: TestS3;

  beforeAll(async () => {
    t = await startTestS3({ buckets: [{ name: BUCKET, versioning: true }] });
    for (const key of KEYS) {
      await t.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
    }
    await t.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'deleted', Body: 'x' }));
    await t.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'deleted' }));
  });
  afterAll(async () => t.close());

  const list = (input: Partial<ListObjectsV2CommandInput> = {}) =>
    t.client.send(new ListObjectsV2Command({ Bucket: BUCKET, ...input }));

  it('lists live keys in UTF-8 byte order, leaving out keys behind delete markers', async () => {
    // Act
    const listed = await list();

    // Assess: U+E000 sorts before an astral character in UTF-8, unlike in UTF-16.
    expect(listed.Contents?.map((object) => object.Key)).toEqual([
      'readme.md',
      'releases/api/1.0.0.tgz',
      'releases/web/1.0.0.tgz',
      'releases/web/1.0.0.tgz.sig',
      'releases/web/1.1.0.tgz',
      'space key+plus:colon',
      'unicode/\uE000-private',
      'unicode/\u{1F4E6}-astral',
      'z-last',
    ]);
    expect(listed.KeyCount).toBe(9);
    expect(listed.Contents?.[0]).toMatchObject({ Size: 9, StorageClass: 'STANDARD' });
  });

  it('filters by prefix and rolls keys up into common prefixes at the delimiter', async () => {
    // Act
    const listed = await list({ Prefix: 'releases/', Delimiter: '/' });

    // Assess
    expect(listed.Contents).toBeUndefined();
    expect(listed.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['releases/api/', 'releases/web/']);
    expect(listed.KeyCount).toBe(2);
  });

  it('pages with max-keys and continuation tokens without losing or repeating a key', async () => {
    // Act
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      const listed = await list({ MaxKeys: 2, ContinuationToken: token, Delimiter: '/' });
      seen.push(...(listed.Contents ?? []).map((o) => o.Key as string));
      seen.push(...(listed.CommonPrefixes ?? []).map((p) => p.Prefix as string));
      expect(
        (listed.Contents?.length ?? 0) + (listed.CommonPrefixes?.length ?? 0),
      ).toBeLessThanOrEqual(2);
      if (!listed.IsTruncated) break;
      token = listed.NextContinuationToken;
    }

    // Assess
    expect(seen.sort()).toEqual([
      'readme.md',
      'releases/',
      'space key+plus:colon',
      'unicode/',
      'z-last',
    ]);
  });

  it('starts after the given key', async () => {
    const listed = await list({ StartAfter: 'releases/web/1.0.0.tgz.sig', Prefix: 'releases/' });
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['releases/web/1.1.0.tgz']);
  });

  it('form-encodes keys and prefixes when asked for encoding-type=url', async () => {
    // Act
    const listed = await list({ EncodingType: 'url', Prefix: 'space ' });

    // Assess
    expect(listed.EncodingType).toBe('url');
    expect(listed.Prefix).toBe('space+');
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['space+key%2Bplus%3Acolon']);
  });

  it('refuses an unknown encoding type and a negative max-keys', async () => {
    // Act
    const encoding = await failureOf(list({ EncodingType: 'base64' as 'url' }));
    const maxKeys = await failureOf(list({ MaxKeys: -1 }));

    // Assess
    expect(encoding).toMatchObject({ name: 'InvalidArgument', status: 400 });
    expect(maxKeys).toMatchObject({ name: 'InvalidArgument', status: 400 });
  });

  it('answers the original ListObjects with marker paging', async () => {
    // Act
    const listed = await t.client.send(
      new ListObjectsCommand({ Bucket: BUCKET, Marker: 'readme.md', MaxKeys: 1, Delimiter: '/' }),
    );

    // Assess
    expect(listed.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['releases/']);
    expect(listed.IsTruncated).toBe(true);
    expect(listed.NextMarker).toBe('releases/');
  });
});
