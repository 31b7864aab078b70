import { VerifyCommand } from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testTools } from '../helpers/handler-tools.ts';
import {
  BUCKET,
  KEY,
  request,
  sha256Of,
  VerifyArtifactHarness,
} from '../helpers/verify-artifact-harness.ts';

const KMS_KEY = `${KEY}.kms.json`;
const text = (value: string) => new TextEncoder().encode(value);

function flipped(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes);
  const middle = copy.length >> 1;
  copy[middle] = (copy[middle] ?? 0) ^ 0x01;
  return copy;
}

describe('verify-artifact with AWS KMS signatures', () => {
  const h = VerifyArtifactHarness.use();
  afterEach(() => vi.restoreAllMocks());
  /** Starts counting the KMS Verify calls made from now on. */
  const countVerifyCalls = () => {
    const send = vi.spyOn(h.kms.client, 'send');
    return () => send.mock.calls.filter(([command]) => command instanceof VerifyCommand).length;
  };

  describe('accepts', () => {
    it('a release signed by an allow-listed KMS key, for an app trusting no OpenPGP key', async () => {
      // Prepare
      h.givenApp({ keys: {}, kmsKeys: { release: h.kmsReleaseKey } });
      h.uploadWithKmsSignature(KEY, h.web, await h.kmsSigned(h.web));
      const tools = testTools('verify-artifact');
      const verifyCalls = countVerifyCalls();

      // Act
      const verified = await h.verify({ request: request() }, tools);

      // Assess
      expect(verified).toMatchObject({
        sha256: sha256Of(h.web.bytes),
        signer: { type: 'kms', keyArn: h.kmsReleaseKey, label: 'release', signedAt: null },
        signatureKey: KMS_KEY,
        signatureVersionId: 'kms-1',
      });
      expect(verifyCalls()).toBe(1);
      const line = tools.lines.find((entry) => entry.message === 'artifact verified');
      expect(line?.data).toMatchObject({
        signer: h.kmsReleaseKey,
        signerType: 'kms',
        signerLabel: 'release',
      });
    });

    it('a KMS signature for an app that trusts OpenPGP and KMS keys alike', async () => {
      // Prepare: the default ci OpenPGP key, plus the KMS key.
      h.givenApp({ kmsKeys: { release: h.kmsReleaseKey } });
      h.uploadWithKmsSignature(KEY, h.web, await h.kmsSigned(h.web));

      // Act
      const verified = await h.verify({ request: request() }, testTools());

      // Assess
      expect(verified.signer).toEqual({
        type: 'kms',
        keyArn: h.kmsReleaseKey,
        label: 'release',
        signedAt: null,
      });
    });

    it('looks for .sig, then .asc, then .kms.json, before reading the artifact', async () => {
      // Prepare
      h.givenApp({ kmsKeys: { release: h.kmsReleaseKey } });
      h.uploadWithKmsSignature(KEY, h.web, await h.kmsSigned(h.web));

      // Act
      await h.verify({ request: request() }, testTools());

      // Assess
      expect(h.getKeys()).toEqual([`${KEY}.sig`, `${KEY}.asc`, KMS_KEY, KEY]);
      expect(h.getInput(KMS_KEY)).toEqual({ Bucket: BUCKET, Key: KMS_KEY });
    });

    it('reads the pinned version of a recorded .kms.json on a redeploy', async () => {
      // Prepare
      h.givenApp({ kmsKeys: { release: h.kmsReleaseKey } });
      h.uploadWithKmsSignature(KEY, h.web, await h.kmsSigned(h.web));
      const pin = { key: KMS_KEY, versionId: 'kms-1' };

      // Act
      const verified = await h.verify({ request: request({ signature: pin }) }, testTools());

      // Assess
      expect(h.getKeys()).toEqual([KMS_KEY, KEY]);
      expect(h.getInput(KMS_KEY)).toEqual({ Bucket: BUCKET, Key: KMS_KEY, VersionId: 'kms-1' });
      expect(verified).toMatchObject({ signatureKey: KMS_KEY, signatureVersionId: 'kms-1' });
    });
  });

  describe('refuses', () => {
    it('a pinned .kms.json version that was replaced, as SignatureMissing', async () => {
      // Prepare: the recorded version is gone; a newer document sits under the same key.
      h.givenApp({ kmsKeys: { release: h.kmsReleaseKey } });
      h.uploadWithKmsSignature(KEY, h.web, await h.kmsSigned(h.web));
      const pin = { key: KMS_KEY, versionId: 'kms-0' };

      // Act
      const result = h.verify({ request: request({ signature: pin }) }, testTools());

      // Assess
      await expect(result).rejects.toMatchObject({ name: 'SignatureMissing' });
      expect(h.getKeys()).toEqual([KMS_KEY]);
    });

    it('a signature by a KMS key the app does not allow-list, without asking KMS', async () => {
      // Prepare
      h.givenApp({ kmsKeys: { release: h.kmsReleaseKey } });
      h.uploadWithKmsSignature(KEY, h.web, await h.kmsSigned(h.web, h.kmsStrangerKey));
      const verifyCalls = countVerifyCalls();

      // Act
      const result = h.verify({ request: request() }, testTools());

      // Assess
      await expect(result).rejects.toMatchObject({
        name: 'SignerNotTrusted',
        message: expect.stringContaining(h.kmsStrangerKey),
      });
      expect(verifyCalls()).toBe(0);
    });

    it.each<{ label: string; error: string; given: () => Promise<void> }>([
      {
        label: 'a signature by the trusted key over another artifact',
        error: 'SignatureInvalid',
        given: async () => h.uploadWithKmsSignature(KEY, h.web, await h.kmsSigned(h.otherApp)),
      },
      {
        label: 'bytes changed after signing',
        error: 'SignatureInvalid',
        given: async () => {
          const tampered = flipped(h.web.bytes);
          const document = await h.kmsSigned(h.web);
          h.uploadWithKmsSignature(
            KEY,
            { ...h.web, bytes: tampered, sha256: sha256Of(tampered) },
            document,
          );
        },
      },
      {
        label: 'a document that is not JSON',
        error: 'SignatureMalformed',
        given: async () => h.uploadWithKmsSignature(KEY, h.web, text('MEUCIQ==')),
      },
      {
        label: 'a document naming another algorithm',
        error: 'SignatureMalformed',
        given: async () => {
          const document = JSON.parse(new TextDecoder().decode(await h.kmsSigned(h.web)));
          const changed = { ...document, algorithm: 'ECDSA_SHA_384' };
          h.uploadWithKmsSignature(KEY, h.web, text(JSON.stringify(changed)));
        },
      },
    ])('$label with $error', async ({ error, given }) => {
      // Prepare
      h.givenApp({ keys: {}, kmsKeys: { release: h.kmsReleaseKey } });
      await given();

      // Act
      const result = h.verify({ request: request() }, testTools());

      // Assess
      await expect(result).rejects.toMatchObject({ name: error, retryable: false });
      expect(h.getKeys()).toContain(KEY);
    });

    it.each<{ label: string; kmsKeys: () => Record<string, string>; fragment: string }>([
      {
        label: 'an alias ARN',
        kmsKeys: () => ({ release: 'arn:aws:kms:us-east-1:123456789012:alias/release' }),
        fragment: 'not a KMS key ARN',
      },
      {
        label: 'a bare key id',
        kmsKeys: () => ({ release: h.kmsReleaseKey.split('/')[1] ?? '' }),
        fragment: 'not a KMS key ARN',
      },
      {
        label: 'one key under two labels',
        kmsKeys: () => ({ a: h.kmsReleaseKey, b: h.kmsReleaseKey }),
        fragment: 'is trusted twice',
      },
    ])('an app whose allow-list holds $label, as ConfigInvalid', async ({ kmsKeys, fragment }) => {
      // Prepare
      h.givenApp({ kmsKeys: kmsKeys() });
      h.uploadWithKmsSignature(KEY, h.web, await h.kmsSigned(h.web));

      // Act
      const result = h.verify({ request: request() }, testTools());

      // Assess
      await expect(result).rejects.toMatchObject({
        name: 'ConfigInvalid',
        message: expect.stringContaining(fragment),
      });
      expect(h.getKeys()).not.toContain(KEY);
    });

    it('an app that trusts neither OpenPGP nor KMS keys, as ConfigInvalid', async () => {
      // Prepare
      h.givenApp({ keys: {}, kmsKeys: {} });
      h.uploadWithKmsSignature(KEY, h.web, await h.kmsSigned(h.web));

      // Act
      const result = h.verify({ request: request() }, testTools());

      // Assess
      await expect(result).rejects.toMatchObject({
        name: 'ConfigInvalid',
        message: expect.stringContaining('neither OpenPGP keys nor KMS keys'),
      });
    });
  });
});
