import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { expect } from 'vitest';
import { fetchSignature, getPinned, headPinned } from '../../core/artifact-objects.ts';
import { type Contract, type ContractWorld, contractCase, thrown } from './contract.ts';
import { quotedEtag, recordedBody, recordedError } from './recorded-answers.ts';

// Sources: S3 API Reference, PutObject, GetObject, HeadObject, DeleteObject,
// GetBucketVersioning and "Error responses"; S3 User Guide, "Retaining multiple versions".

// base64 SHA-256 of the five bytes `bytes`.
const SHA_OF_BYTES = createHash('sha256').update('bytes').digest('base64');

const put = (world: ContractWorld, bucket: string, key: string, body: string) =>
  world.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

export const s3Contract: Contract = {
  api: 'S3',
  operations: ['PutObject', 'HeadObject', 'GetObject', 'DeleteObject', 'GetBucketVersioning'],
  cases: [
    contractCase({
      name: 'serves the pinned version after the key was overwritten',
      recorded: (stubs) => {
        stubs.s3
          .on(PutObjectCommand)
          .resolvesOnce({ VersionId: 'v1-recorded', ETag: quotedEtag('a'.repeat(32)) })
          .resolvesOnce({ VersionId: 'v2-recorded', ETag: quotedEtag('b'.repeat(32)) });
        stubs.s3.on(GetObjectCommand, { VersionId: 'v1-recorded' }).resolves({
          Body: recordedBody('first bytes'),
          VersionId: 'v1-recorded',
          ETag: quotedEtag('a'.repeat(32)),
        });
      },
      act: async (world) => {
        const key = `releases/${world.unique('pin')}/app-1.0.0.tar.gz`;
        const first = await put(world, world.bucket, key, 'first bytes');
        const second = await put(world, world.bucket, key, 'second bytes');
        const pinned = await getPinned(world.clients.s3, {
          bucket: world.bucket,
          key,
          versionId: first.VersionId ?? null,
          etag: first.ETag ?? null,
        });
        const text = (await pinned.Body?.transformToString()) ?? '';
        return { first: first.VersionId, second: second.VersionId, text, served: pinned.VersionId };
      },
      assess: (result) => {
        expect(result.first).toEqual(expect.any(String));
        expect(result.second).not.toBe(result.first);
        expect(result.served).toBe(result.first);
        expect(result.text).toBe('first bytes');
      },
    }),
    contractCase({
      name: 'reports a deleted version as ArtifactChanged (HEAD 404 NotFound)',
      recorded: (stubs) => {
        stubs.s3.on(PutObjectCommand).resolves({ VersionId: 'v1-recorded', ETag: '"e"' });
        stubs.s3.on(DeleteObjectCommand).resolves({ VersionId: 'v1-recorded' });
        // A HEAD error has no body: the SDK names it by its status alone.
        stubs.s3.on(HeadObjectCommand).rejects(recordedError('NotFound', 'Not Found', 404));
      },
      act: async (world) => {
        const key = `releases/${world.unique('gone')}/app-1.0.0.tar.gz`;
        const written = await put(world, world.bucket, key, 'bytes');
        const versionId = written.VersionId ?? null;
        await world.clients.s3.send(
          new DeleteObjectCommand({ Bucket: world.bucket, Key: key, VersionId: versionId ?? '' }),
        );
        return thrown(() =>
          headPinned(world.clients.s3, { bucket: world.bucket, key, versionId, etag: null }),
        );
      },
      assess: (error) => {
        expect(error.name).toBe('ArtifactChanged');
        expect(error.message).toContain('is gone');
      },
    }),
    contractCase({
      name: 'reports a version id the key never had as ArtifactChanged (GET NoSuchVersion)',
      recorded: (stubs) => {
        stubs.s3.on(PutObjectCommand).resolves({ VersionId: 'other-recorded', ETag: '"e"' });
        stubs.s3
          .on(GetObjectCommand)
          .rejects(recordedError('NoSuchVersion', 'The specified version does not exist.', 404));
      },
      act: async (world) => {
        const key = `releases/${world.unique('never')}/app-1.0.0.tar.gz`;
        await put(world, world.bucket, key, 'bytes');
        const other = await put(world, world.bucket, `${key}.other`, 'other bytes');
        const error = await thrown(() =>
          world.clients.s3.send(
            new GetObjectCommand({ Bucket: world.bucket, Key: key, VersionId: other.VersionId }),
          ),
        );
        const pinned = await thrown(() =>
          getPinned(world.clients.s3, {
            bucket: world.bucket,
            key,
            versionId: other.VersionId ?? null,
            etag: null,
          }),
        );
        return { code: error.name, pinned: pinned.name };
      },
      assess: (result) => {
        expect(result).toEqual({ code: 'NoSuchVersion', pinned: 'ArtifactChanged' });
      },
    }),
    contractCase({
      name: 'refuses replaced bytes on an unversioned bucket (If-Match: 412)',
      recorded: (stubs) => {
        stubs.s3
          .on(PutObjectCommand)
          .resolvesOnce({ ETag: quotedEtag('a'.repeat(32)) })
          .resolvesOnce({ ETag: quotedEtag('b'.repeat(32)) });
        stubs.s3
          .on(GetObjectCommand)
          .rejects(
            recordedError(
              'PreconditionFailed',
              'At least one of the pre-conditions you specified did not hold',
              412,
            ),
          );
      },
      act: async (world) => {
        const key = `releases/${world.unique('etag')}/app-1.0.0.tar.gz`;
        const first = await put(world, world.plainBucket, key, 'first');
        await put(world, world.plainBucket, key, 'second');
        return thrown(() =>
          getPinned(world.clients.s3, {
            bucket: world.plainBucket,
            key,
            versionId: null,
            etag: first.ETag ?? null,
          }),
        );
      },
      assess: (error) => {
        expect(error.name).toBe('ArtifactChanged');
        expect(error.message).toContain('overwritten');
      },
    }),
    contractCase({
      name: 'finds the armored signature when there is no binary one (NoSuchKey)',
      recorded: (stubs) => {
        stubs.s3.on(PutObjectCommand).resolves({ VersionId: 'sig-recorded', ETag: '"e"' });
        stubs.s3
          .on(GetObjectCommand)
          .rejects(recordedError('NoSuchKey', 'The specified key does not exist.', 404));
        stubs.s3
          .on(GetObjectCommand, { Key: 'releases/app/app-1.0.0.tar.gz.asc' })
          .resolves({ Body: recordedBody('armored'), VersionId: 'sig-recorded', ContentLength: 7 });
      },
      act: async (world) => {
        const key =
          world.target === 'recorded'
            ? 'releases/app/app-1.0.0.tar.gz'
            : `releases/${world.unique('asc')}/app-1.0.0.tar.gz`;
        const written = await put(world, world.bucket, `${key}.asc`, 'armored');
        const found = await fetchSignature(world.clients.s3, world.bucket, key);
        return { found, written: written.VersionId, key };
      },
      assess: (result) => {
        expect(result.found.key).toBe(`${result.key}.asc`);
        expect(result.found.versionId).toBe(result.written);
        expect(new TextDecoder().decode(result.found.bytes)).toBe('armored');
      },
    }),
    contractCase({
      name: 'reports SignatureMissing when no signature was uploaded',
      recorded: (stubs) => {
        stubs.s3
          .on(GetObjectCommand)
          .rejects(recordedError('NoSuchKey', 'The specified key does not exist.', 404));
      },
      act: (world) =>
        thrown(() =>
          fetchSignature(world.clients.s3, world.bucket, `releases/${world.unique('nosig')}/a.tgz`),
        ),
      assess: (error) => {
        expect(error.name).toBe('SignatureMissing');
      },
    }),
    contractCase({
      name: 'answers NoSuchKey for a key whose latest version is a delete marker',
      recorded: (stubs) => {
        stubs.s3.on(PutObjectCommand).resolves({ VersionId: 'v1-recorded', ETag: '"e"' });
        stubs.s3.on(DeleteObjectCommand).resolves({ DeleteMarker: true, VersionId: 'dm' });
        stubs.s3
          .on(GetObjectCommand)
          .rejects(recordedError('NoSuchKey', 'The specified key does not exist.', 404));
      },
      act: async (world) => {
        const key = `releases/${world.unique('marker')}/app-1.0.0.tar.gz.sig`;
        await put(world, world.bucket, key, 'signature');
        const deleted = await world.clients.s3.send(
          new DeleteObjectCommand({ Bucket: world.bucket, Key: key }),
        );
        const error = await thrown(() =>
          world.clients.s3.send(new GetObjectCommand({ Bucket: world.bucket, Key: key })),
        );
        return { marker: deleted.DeleteMarker, error: error.name };
      },
      assess: (result) => {
        expect(result).toEqual({ marker: true, error: 'NoSuchKey' });
      },
    }),
    contractCase({
      name: "returns an upload's SHA-256 on HEAD with ChecksumMode ENABLED",
      divergent: {
        moto:
          'moto 5.2 keeps a sent checksum only with x-amz-sdk-checksum-algorithm, which the ' +
          'SDK omits when given ChecksumSHA256 (moto/s3/responses.py _get_checksum)',
      },
      recorded: (stubs) => {
        stubs.s3.on(PutObjectCommand).resolves({ VersionId: 'v1', ChecksumSHA256: SHA_OF_BYTES });
        stubs.s3.on(HeadObjectCommand).resolves({
          VersionId: 'v1',
          ETag: '"e"',
          ContentLength: 5,
          ChecksumSHA256: SHA_OF_BYTES,
          ChecksumType: 'FULL_OBJECT',
        });
      },
      act: async (world) => {
        const key = `releases/${world.unique('sum')}/app-1.0.0.tar.gz`;
        const written = await world.clients.s3.send(
          new PutObjectCommand({
            Bucket: world.bucket,
            Key: key,
            Body: 'bytes',
            ChecksumSHA256: SHA_OF_BYTES,
          }),
        );
        return headPinned(world.clients.s3, {
          bucket: world.bucket,
          key,
          versionId: written.VersionId ?? null,
          etag: null,
        });
      },
      assess: (head) => {
        expect(head.ChecksumSHA256).toBe(SHA_OF_BYTES);
        expect(head.ChecksumType ?? 'FULL_OBJECT').toBe('FULL_OBJECT');
        expect(head.ContentLength).toBe(5);
      },
    }),
    contractCase({
      name: 'refuses an upload whose bytes do not match its SHA-256 (BadDigest)',
      divergent: {
        moto: 'moto 5.2 never checks a sent checksum against the bytes (moto/s3/responses.py)',
      },
      recorded: (stubs) => {
        stubs.s3
          .on(PutObjectCommand)
          .rejects(
            recordedError(
              'BadDigest',
              'The SHA256 you specified did not match the calculated checksum.',
            ),
          );
      },
      act: (world) =>
        thrown(() =>
          world.clients.s3.send(
            new PutObjectCommand({
              Bucket: world.bucket,
              Key: `releases/${world.unique('bad')}/app-1.0.0.tar.gz`,
              Body: 'other',
              ChecksumSHA256: SHA_OF_BYTES,
            }),
          ),
        ),
      assess: (error) => {
        expect(error.name).toBe('BadDigest');
      },
    }),
    contractCase({
      name: 'reports versioning Enabled, and no status on a bucket never versioned',
      recorded: (stubs, world) => {
        stubs.s3.on(GetBucketVersioningCommand, { Bucket: world.bucket }).resolves({
          Status: 'Enabled',
        });
        stubs.s3.on(GetBucketVersioningCommand, { Bucket: world.plainBucket }).resolves({});
      },
      act: async (world) => {
        const versioned = await world.clients.s3.send(
          new GetBucketVersioningCommand({ Bucket: world.bucket }),
        );
        const plain = await world.clients.s3.send(
          new GetBucketVersioningCommand({ Bucket: world.plainBucket }),
        );
        return { versioned: versioned.Status, plain: plain.Status };
      },
      assess: (result) => {
        expect(result).toEqual({ versioned: 'Enabled', plain: undefined });
      },
    }),
  ],
};
