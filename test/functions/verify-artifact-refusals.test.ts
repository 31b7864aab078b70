import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { DeploymentRequest } from '../../core/deployment-request.ts';
import { artifactKey } from '../../core/release-names.ts';
import { stubAppParameters } from '../helpers/app-parameters.ts';
import { s3Error } from '../helpers/fake-bucket.ts';
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

const KEY_1_5 = artifactKey({ app: 'web', version: '1.5.0' });

function flipped(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes);
  const middle = copy.length >> 1;
  copy[middle] = (copy[middle] ?? 0) ^ 0x01;
  return copy;
}

describe('verify-artifact refusals', () => {
  const h = VerifyArtifactHarness.use();

  describe('before reading the artifact', () => {
    it.each<{
      label: string;
      error: string;
      given: () => void;
      change?: Partial<DeploymentRequest>;
    }>([
      {
        label: 'a release of the version already current',
        error: 'VersionNotNewer',
        given: () => h.givenApp({ record: recordWith(deployed('1.4.0', OTHER_SHA)) }),
      },
      {
        label: 'a release older than the current version',
        error: 'VersionNotNewer',
        given: () => h.givenApp({ record: recordWith(deployed('1.10.0', OTHER_SHA)) }),
      },
      {
        label: 'an object larger than artifact.maxBytes',
        error: 'ArtifactTooLarge',
        given: () => h.givenApp({ config: { artifact: { maxBytes: h.web.bytes.length - 1 } } }),
      },
      {
        label: 'an artifact with no .sig, .asc or .kms.json next to it',
        error: 'SignatureMissing',
        given: () => h.bucket.objects.delete(`${KEY}.sig`),
      },
      {
        label: 'an app with no trusted keys',
        error: 'ConfigInvalid',
        given: () => h.givenApp({ keys: {} }),
      },
      {
        label: 'an app with no configuration',
        error: 'ConfigInvalid',
        given: () => {
          h.ssm.reset();
          stubAppParameters(h.ssm, { keys: { ci: h.ciPublicKey } });
        },
      },
      {
        label: 'a pinned version that is gone',
        error: 'ArtifactChanged',
        given: () => h.upload(KEY, h.web, { versionId: 'v-newer' }),
      },
      {
        label: 'an unversioned object whose ETag no longer matches (S3 answers 412)',
        error: 'ArtifactChanged',
        given: () => h.bucket.put(KEY, { bytes: h.web.bytes, etag: 'etag-replaced' }),
        change: { versionId: null },
      },
    ])('refuses $label with $error', async ({ error, given, change }) => {
      // Prepare
      given();

      // Act
      const result = h.verify({ request: request(change) }, testTools());

      // Assess
      await expect(result).rejects.toMatchObject({ name: error });
      expect(h.getKeys()).not.toContain(KEY);
    });

    it('looks for all three signature objects before refusing with SignatureMissing', async () => {
      // Prepare
      h.bucket.objects.delete(`${KEY}.sig`);

      // Act
      const result = h.verify({ request: request() }, testTools());

      // Assess
      await expect(result).rejects.toMatchObject({ name: 'SignatureMissing', retryable: true });
      expect(h.getKeys()).toEqual([`${KEY}.sig`, `${KEY}.asc`, `${KEY}.kms.json`]);
    });

    it.each([
      { label: 'a .sig and an .asc', extra: ['.asc'] },
      { label: 'a .sig and a .kms.json', extra: ['.kms.json'] },
      { label: 'all three kinds', extra: ['.asc', '.kms.json'] },
    ])(
      'refuses $label next to one artifact as SignatureMalformed, naming each',
      async ({ extra }) => {
        // Prepare: the .sig is valid; what lies beside it would never be looked at
        for (const suffix of extra) {
          h.bucket.put(`${KEY}${suffix}`, { bytes: h.web.asc, etag: `etag${suffix}` });
        }

        // Act
        const result = h.verify({ request: request() }, testTools());

        // Assess
        await expect(result).rejects.toMatchObject({
          name: 'SignatureMalformed',
          message: expect.stringContaining(
            [`${KEY}.sig`, ...extra.map((suffix) => `${KEY}${suffix}`)].join(', '),
          ),
        });
        expect(h.getKeys()).not.toContain(KEY);
      },
    );

    it('verifies a recorded release with its pinned signature, whatever lies beside it', async () => {
      // Prepare
      h.bucket.put(`${KEY}.asc`, { bytes: new TextEncoder().encode('garbage'), etag: 'asc' });
      const pinned = request({ signature: { key: `${KEY}.sig`, versionId: 'sig-1' } });

      // Act
      const verified = await h.verify({ request: pinned }, testTools());

      // Assess
      expect(verified.signatureKey).toBe(`${KEY}.sig`);
    });

    it('names the object, not a short read, when S3 gives no length', async () => {
      // Prepare
      h.upload(KEY, h.web, { headPatch: { ContentLength: undefined } });

      // Act
      const result = h.verify({ request: request() }, testTools());

      // Assess
      await expect(result).rejects.toMatchObject({
        name: 'ArtifactReadIncomplete',
        message: expect.stringContaining(`s3://${BUCKET}/${KEY}): S3 gave no length`),
      });
      expect(h.s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    });
  });

  describe('after reading the artifact', () => {
    it.each<{
      label: string;
      error: string;
      given: () => void;
      change?: Partial<DeploymentRequest>;
    }>([
      {
        label: 'bytes changed after signing',
        error: 'SignatureInvalid',
        given: () => {
          const tampered = flipped(h.web.bytes);
          h.upload(KEY, { ...h.web, bytes: tampered, sha256: sha256Of(tampered) });
        },
      },
      {
        label: 'a signature by a key the app does not trust',
        error: 'SignerNotTrusted',
        given: () => h.upload(KEY, { ...h.web, sig: h.byStranger }),
      },
      {
        label: 'a genuine 1.4.0 artifact uploaded under the key of 1.5.0',
        error: 'ReleaseMismatch',
        given: () => h.upload(KEY_1_5, h.web),
        change: { version: '1.5.0', key: KEY_1_5, versionId: 'v-1.5.0', etag: 'etag-1.5.0' },
      },
      {
        label: 'an artifact of app api uploaded under a key of app web',
        error: 'ReleaseMismatch',
        given: () => h.upload(KEY, h.otherApp),
      },
      {
        label: 'a stored S3 checksum that differs from the bytes read',
        error: 'ChecksumMismatch',
        given: () => h.upload(KEY, h.web, { checksumSha256: base64Of(OTHER_SHA) }),
      },
      {
        label: 'a redeploy whose recorded digest differs from the bytes read',
        error: 'ChecksumMismatch',
        given: () => h.givenApp({ record: recordWith(deployed('1.4.0', OTHER_SHA)) }),
        change: { intent: 'redeploy', expectedSha256: OTHER_SHA },
      },
      {
        label: 'the same bytes recorded under another version',
        error: 'DigestReused',
        given: () => h.givenApp({ record: recordWith(deployed('1.3.0', h.web.sha256)) }),
      },
      {
        label: 'an appspec naming a hook script the archive lacks',
        error: 'AppSpecInvalid',
        given: () => h.upload(KEY, h.missingHook),
      },
    ])('refuses $label with $error', async ({ error, given, change }) => {
      // Prepare
      given();
      const pinned = request(change);

      // Act
      const result = h.verify({ request: pinned }, testTools());

      // Assess
      await expect(result).rejects.toMatchObject({ name: error });
      expect(h.getKeys()).toContain(pinned.key);
    });

    it.each<{ label: string; given: () => void; change: Partial<DeploymentRequest> }>([
      {
        label: 'another VersionId than pinned',
        given: () => h.upload(KEY, h.web, { getPatch: { VersionId: 'v-other' } }),
        change: {},
      },
      {
        label: 'another ETag than pinned, on an unversioned bucket',
        given: () =>
          h.bucket.put(KEY, { bytes: h.web.bytes, etag: 'etag-1.4.0', getPatch: { ETag: '"x"' } }),
        change: { versionId: null },
      },
    ])(
      'refuses a GET answered with $label as ArtifactChanged, discarding its body',
      async ({ given, change }) => {
        // Prepare
        given();

        // Act
        const result = h.verify({ request: request(change) }, testTools());

        // Assess
        await expect(result).rejects.toMatchObject({ name: 'ArtifactChanged' });
        const body = h.bucket.bodies.get(KEY)?.[0];
        await expect.poll(() => body?.destroyed).toBe(true);
      },
    );

    it('refuses an object replaced between HEAD and GET as ArtifactChanged', async () => {
      // Prepare
      h.bucket.put(KEY, {
        bytes: h.web.bytes,
        etag: 'etag-1.4.0',
        getError: s3Error('PreconditionFailed', 412),
      });

      // Act
      const result = h.verify({ request: request({ versionId: null }) }, testTools());

      // Assess
      await expect(result).rejects.toMatchObject({
        name: 'ArtifactChanged',
        message: expect.stringContaining(`s3://${BUCKET}/${KEY} no longer holds ETag`),
      });
    });
  });
});
