import { describe, expect, it } from 'vitest';
import type { DeploymentRequest } from '../../core/deployment-request.ts';
import type { ReleaseRecord } from '../../core/release-record.ts';
import { testTools } from '../helpers/handler-tools.ts';
import {
  BUCKET,
  base64Of,
  deployed,
  KEY,
  OTHER_SHA,
  recordWith,
  request,
  sha256Of,
  VerifyArtifactHarness,
} from '../helpers/verify-artifact-harness.ts';

describe('verify-artifact', () => {
  const h = VerifyArtifactHarness.use();
  // With the .sig found, the other two kinds are looked for: several are refused.
  const siblingSignatureHeads = [
    { Bucket: BUCKET, Key: `${KEY}.asc` },
    { Bucket: BUCKET, Key: `${KEY}.kms.json` },
  ];

  describe('request shapes', () => {
    it('pins a versioned artifact by VersionId and asks S3 for its stored checksum', async () => {
      // Act
      await h.verify({ request: request() }, testTools());

      // Assess
      expect(h.headInputs()).toEqual([
        { Bucket: BUCKET, Key: KEY, ChecksumMode: 'ENABLED', VersionId: 'v-1.4.0' },
        ...siblingSignatureHeads,
      ]);
      expect(h.getInput(KEY)).toEqual({ Bucket: BUCKET, Key: KEY, VersionId: 'v-1.4.0' });
    });

    it.each([
      { label: 'a bare ETag (EventBridge)', etag: 'etag-1.4.0' },
      { label: 'a quoted ETag (an HTTP header)', etag: '"etag-1.4.0"' },
    ])('pins an unversioned artifact by If-Match given $label', async ({ etag }) => {
      // Prepare
      h.bucket.put(KEY, { bytes: h.web.bytes, etag: 'etag-1.4.0' });

      // Act
      const verified = await h.verify({ request: request({ versionId: null, etag }) }, testTools());

      // Assess
      expect(h.headInputs()).toEqual([
        { Bucket: BUCKET, Key: KEY, ChecksumMode: 'ENABLED', IfMatch: '"etag-1.4.0"' },
        ...siblingSignatureHeads,
      ]);
      expect(h.getInput(KEY)).toEqual({ Bucket: BUCKET, Key: KEY, IfMatch: '"etag-1.4.0"' });
      expect(verified).toMatchObject({ versionId: null, etag: 'etag-1.4.0' });
    });

    it('looks for <key>.sig, then <key>.asc, before reading the artifact', async () => {
      // Prepare
      h.bucket.objects.delete(`${KEY}.sig`);
      h.bucket.put(`${KEY}.asc`, { bytes: h.web.asc, etag: 'asc-etag' });

      // Act
      const verified = await h.verify({ request: request() }, testTools());

      // Assess
      expect(h.getKeys()).toEqual([`${KEY}.sig`, `${KEY}.asc`, KEY]);
      expect(h.getInput(`${KEY}.asc`)).toEqual({ Bucket: BUCKET, Key: `${KEY}.asc` });
      expect(verified.signatureKey).toBe(`${KEY}.asc`);
    });
  });

  describe('accepts', () => {
    it('returns the verified release: digest, size, signer, version id and bare ETag', async () => {
      // Prepare
      const tools = testTools('verify-artifact');

      // Act
      const verified = await h.verify({ request: request() }, tools);

      // Assess
      expect(verified).toEqual({
        app: 'web',
        version: '1.4.0',
        bucket: BUCKET,
        key: KEY,
        versionId: 'v-1.4.0',
        etag: 'etag-1.4.0',
        sha256: sha256Of(h.web.bytes),
        size: h.web.bytes.length,
        signer: {
          type: 'openpgp',
          label: 'ci',
          fingerprint: h.ci.fingerprint,
          keyId: h.ci.keyId,
          userIds: ['CI <ci@example.test>'],
          signedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
        signatureKey: `${KEY}.sig`,
        signatureVersionId: 'sig-1',
      });
      const line = tools.lines.find((entry) => entry.message === 'artifact verified');
      expect(line).toMatchObject({ level: 30, data: { sha256: h.web.sha256, signerLabel: 'ci' } });
    });

    it.each([
      {
        label: 'a redeploy of the current version with its recorded digest',
        record: (): ReleaseRecord => recordWith(deployed('1.4.0', h.web.sha256)),
        change: (): Partial<DeploymentRequest> => ({
          intent: 'redeploy',
          expectedSha256: h.web.sha256,
        }),
      },
      {
        label: 'a rollback to the previous version',
        record: (): ReleaseRecord =>
          recordWith(deployed('1.5.0', OTHER_SHA), deployed('1.4.0', h.web.sha256)),
        change: (): Partial<DeploymentRequest> => ({
          intent: 'rollback',
          expectedSha256: h.web.sha256,
        }),
      },
    ])('accepts $label although it is not newer', async ({ record, change }) => {
      // Prepare
      h.givenApp({ record: record() });

      // Act
      const verified = await h.verify({ request: request(change()) }, testTools());

      // Assess
      expect(verified).toMatchObject({ version: '1.4.0', sha256: h.web.sha256 });
    });

    it('ignores the stored checksum of a multipart upload, a checksum of its parts', async () => {
      // Prepare
      h.upload(KEY, h.web, {
        checksumSha256: `${base64Of(OTHER_SHA)}-3`,
        checksumType: 'COMPOSITE',
      });

      // Act
      const verified = await h.verify({ request: request() }, testTools());

      // Assess
      expect(verified.sha256).toBe(h.web.sha256);
    });
  });
});
