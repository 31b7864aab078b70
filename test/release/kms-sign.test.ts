import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignCommand } from '@aws-sdk/client-kms';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatKmsSignature,
  kmsVerifier,
  type ParsedTrustedKeys,
  parseTrustedKeys,
  verifyArtifactStream,
} from '../../core/verification/index.ts';
import { kmsSignatureDocument, signWithKms } from '../../release/kms-sign.ts';
import { packageRelease } from '../../release/package-release.ts';
import { uploadRelease } from '../../release/upload-release.ts';
import { type LocalKms, startLocalKms } from '../helpers/local-kms.ts';

const EXAMPLE_APP = join(import.meta.dirname, '../../examples/web');

describe('signing a release with AWS KMS', () => {
  let kms: LocalKms;
  let keyArn: string;
  let work: string;
  let artifact: { file: string; sha256: string; bytes: Uint8Array };
  let trusted: ParsedTrustedKeys;

  const verify = (signature: Uint8Array) =>
    verifyArtifactStream({
      app: 'web',
      artifact: (async function* () {
        yield artifact.bytes;
      })(),
      expectedSize: artifact.bytes.length,
      signature,
      signatureFormat: 'kms',
      trustedKeys: trusted,
      kmsVerifier: kmsVerifier(() => kms.client),
    });

  beforeAll(async () => {
    kms = await startLocalKms();
    keyArn = await kms.createSigningKey('release');
    trusted = await parseTrustedKeys('web', [], [{ label: 'release', keyArn }]);
    work = await mkdtemp(join(tmpdir(), 'signet-kms-sign-'));
    const file = join(work, 'web-1.4.0.tar.gz');
    const packaged = await packageRelease({
      sourceDir: EXAMPLE_APP,
      app: 'web',
      version: '1.4.0',
      outFile: file,
    });
    artifact = { file, sha256: packaged.sha256, bytes: new Uint8Array(await readFile(file)) };
  });

  afterAll(async () => {
    await kms.close();
    await rm(work, { recursive: true, force: true });
  });

  it('writes <artifact>.kms.json over the raw digest, and verification accepts it', async () => {
    // Act
    const path = await signWithKms(kms.client, artifact.file, {
      keyId: keyArn,
      sha256: artifact.sha256,
    });
    const document = await readFile(path);
    const verified = await verify(document);

    // Assess
    expect(path).toBe(`${artifact.file}.kms.json`);
    expect(JSON.parse(document.toString('utf8'))).toEqual({
      format: 'signet-kms-signature-v1',
      keyArn,
      algorithm: 'ECDSA_SHA_256',
      signature: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
    });
    expect(verified.signer).toEqual({ type: 'kms', keyArn, label: 'release', signedAt: null });
  });

  it.each([
    {
      label: "the hex digest's text, as a RAW message",
      message: () => new TextEncoder().encode(artifact.sha256),
      messageType: 'RAW' as const,
    },
    {
      label: "the SHA-256 of the hex digest's text, as a DIGEST",
      message: () => createHash('sha256').update(artifact.sha256).digest(),
      messageType: 'DIGEST' as const,
    },
  ])('refuses a signature over $label as SignatureInvalid', async ({ message, messageType }) => {
    // Prepare: the mistake of signing the printed digest instead of its 32 bytes.
    const signed = await kms.client.send(
      new SignCommand({
        KeyId: keyArn,
        Message: message(),
        MessageType: messageType,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    const document = formatKmsSignature({
      keyArn,
      signature: signed.Signature ?? new Uint8Array(),
    });

    // Act
    const result = verify(new TextEncoder().encode(document));

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'SignatureInvalid' });
  });

  it.each([
    {
      label: 'a key KMS does not know',
      keyId: () => 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000',
      sha256: () => artifact.sha256,
      fragment: 'NotFoundException',
    },
    {
      label: 'a digest that is not hex SHA-256',
      keyId: () => keyArn,
      sha256: () => 'abc',
      fragment: 'not a hex SHA-256',
    },
  ])('fails with ReleaseFailed for $label', async ({ keyId, sha256, fragment }) => {
    // Act
    const result = kmsSignatureDocument(kms.client, { keyId: keyId(), sha256: sha256() });

    // Assess
    await expect(result).rejects.toMatchObject({
      name: 'ReleaseFailed',
      message: expect.stringContaining(fragment),
    });
  });

  it('uploads the document as <key>.kms.json, as JSON, before the artifact', async () => {
    // Prepare
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).resolves({ VersionId: 'v1', ETag: '"etag"' });
    const signatureFile = join(work, 'upload.tar.gz.kms.json');
    await writeFile(signatureFile, '{}\n');

    // Act
    const uploaded = await uploadRelease(new S3Client({ region: 'us-east-1' }), {
      bucket: 'artifacts',
      app: 'web',
      version: '1.4.0',
      artifactFile: artifact.file,
      artifactSha256: artifact.sha256,
      signatureFile,
    });

    // Assess
    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(puts.map((input) => [input.Key, input.ContentType])).toEqual([
      ['releases/web/web-1.4.0.tar.gz.kms.json', 'application/json'],
      ['releases/web/web-1.4.0.tar.gz', 'application/gzip'],
    ]);
    expect(uploaded.signatureKey).toBe('releases/web/web-1.4.0.tar.gz.kms.json');
    s3.restore();
  });
});
