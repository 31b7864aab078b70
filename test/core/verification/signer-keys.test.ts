import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustedKeys, verifyArtifactStream } from '../../../core/verification/index.ts';
import { GpgHome, type GpgKey } from '../../helpers/gpg.ts';
import { chunksOf, expectError, gnuTarGz, rejectionOf, releaseTree } from './fixtures.ts';

/**
 * The signing key's state at signing time, with keys gpg made. gpg refuses to set an expiry in
 * the past and to sign with an expired or revoked key, so these keys are built in order with
 * --faked-system-time: sign while the key is good, then expire or revoke it "earlier".
 */
describe('signing key status', () => {
  let gpg: GpgHome;
  let artifact: Uint8Array;

  const verifyWith = async (key: GpgKey, signature: Uint8Array) =>
    verifyArtifactStream({
      app: 'web',
      artifact: chunksOf(artifact),
      expectedSize: artifact.length,
      signature,
      trustedKeys: await parseTrustedKeys('web', [
        { label: 'release', armoredPublicKey: await gpg.exportPublicKey(key.fingerprint) },
      ]),
    });

  beforeAll(async () => {
    gpg = await GpgHome.create();
    artifact = await gnuTarGz(releaseTree());
  });

  afterAll(async () => {
    await gpg.dispose();
  });

  it('refuses a signature by a revoked key as SignerRevoked', async () => {
    // Prepare
    const key = await gpg.generateKey({ userId: 'Revoked <r@example.test>', algorithm: 'ed25519' });
    const signature = await gpg.detachSignBytes(artifact, { signer: key.fingerprint });
    await gpg.revokeKey(key.fingerprint);

    // Act
    const error = await rejectionOf(verifyWith(key, signature));

    // Assess
    expectError(error, 'SignerRevoked', '"release"', 'comes from a revoked key');
  });

  it('refuses a signature made after the key expired as SignerExpired', async () => {
    // Prepare
    const key = await gpg.generateKey({
      userId: 'Expired <e@example.test>',
      algorithm: 'ed25519',
      fakedTime: '20200101T000000',
    });
    const signature = await gpg.detachSignBytes(artifact, {
      signer: key.fingerprint,
      fakedTime: '20200103T000000',
    });
    await gpg.setExpiry(key.fingerprint, '20200102T000000', '20200101T120000');

    // Act
    const error = await rejectionOf(verifyWith(key, signature));

    // Assess
    expectError(
      error,
      'SignerExpired',
      'was made at 2020-01-03T00:00:00.000Z, after its key expired at 2020-01-02T00:00:00.000Z',
    );
  });

  it('accepts a signature made before the key expired', async () => {
    // Prepare: a key born with a one-day lifetime, used within it
    const key = await gpg.generateKey({
      userId: 'Expired later <el@example.test>',
      algorithm: 'ed25519',
      expires: '1d',
      fakedTime: '20200101T000000',
    });
    const signature = await gpg.detachSignBytes(artifact, {
      signer: key.fingerprint,
      fakedTime: '20200101T060000',
    });

    // Act
    const verified = await verifyWith(key, signature);

    // Assess
    expect(verified.signer.signedAt).toBe('2020-01-01T06:00:00.000Z');
  });

  it('accepts a signature made before the key expiry was changed', async () => {
    // Prepare: gpg replaces the self-signature, so none is as old as the signature
    const key = await gpg.generateKey({
      userId: 'Extended <ex@example.test>',
      algorithm: 'ed25519',
      expires: '1d',
      fakedTime: '20200101T000000',
    });
    const signature = await gpg.detachSignBytes(artifact, {
      signer: key.fingerprint,
      fakedTime: '20200101T060000',
    });
    await gpg.setExpiry(key.fingerprint, '2099-01-01', '20200101T120000');

    // Act
    const verified = await verifyWith(key, signature);

    // Assess
    expect(verified.signer.signedAt).toBe('2020-01-01T06:00:00.000Z');
  });

  it.each([
    ['a minute ahead of this clock', 60_000, true],
    ['a day ahead of this clock', 86_400_000, false],
  ])('judges a signature dated %s by the 5-minute skew allowance', async (_label, ahead, ok) => {
    // Prepare
    const key = await gpg.generateKey({
      userId: `Clock ${ahead} <c@example.test>`,
      algorithm: 'ed25519',
    });
    const fakedTime = new Date(Date.now() + ahead).toISOString().replace(/[-:]|\.\d+Z$/g, '');
    const signature = await gpg.detachSignBytes(artifact, { signer: key.fingerprint, fakedTime });

    // Act
    const outcome = await verifyWith(key, signature).then(
      () => 'accepted',
      (error: unknown) => error,
    );

    // Assess
    if (ok) expect(outcome).toBe('accepted');
    else expectError(outcome, 'SignatureInvalid', 'creation time is in the future');
  });

  describe('with a signing subkey', () => {
    const subkeyCase = async (name: string) => {
      const key = await gpg.generateKey({
        userId: `${name} <${name}@example.test>`,
        algorithm: 'ed25519',
        usage: 'cert',
        fakedTime: '20200101T000000',
      });
      const subkeyId = await gpg.addSubkey(key.fingerprint, 'ed25519', 'sign', '20200101T000100');
      return { key, subkeyId };
    };

    it('reports the primary fingerprint and the subkey id', async () => {
      // Prepare
      const { key, subkeyId } = await subkeyCase('sub');
      const signature = await gpg.detachSignBytes(artifact, { signer: key.fingerprint });

      // Act
      const verified = await verifyWith(key, signature);

      // Assess
      expect(verified.signer).toMatchObject({ fingerprint: key.fingerprint, keyId: subkeyId });
      expect(subkeyId).not.toBe(key.keyId);
    });

    it.each([
      ['without a reason', 0],
      ['as compromised', 1],
    ] as const)(
      'refuses a signature by a subkey revoked %s, whenever signed',
      async (_l, reason) => {
        // Prepare
        const { key } = await subkeyCase(`hard${reason}`);
        const signature = await gpg.detachSignBytes(artifact, { signer: key.fingerprint });
        await gpg.revokeSubkey(key.fingerprint, 1, reason);

        // Act
        const error = await rejectionOf(verifyWith(key, signature));

        // Assess
        expectError(error, 'SignerRevoked', 'comes from a revoked subkey');
      },
    );

    it('accepts a signature made before its subkey was retired (a soft revocation)', async () => {
      // Prepare
      const { key } = await subkeyCase('retired-later');
      const signature = await gpg.detachSignBytes(artifact, {
        signer: key.fingerprint,
        fakedTime: '20200201T000000',
      });
      await gpg.revokeSubkey(key.fingerprint, 1, 3, '20200301T000000');

      // Act
      const verified = await verifyWith(key, signature);

      // Assess
      expect(verified.signer.signedAt).toBe('2020-02-01T00:00:00.000Z');
    });

    it('refuses a signature made after its subkey was retired as SignerRevoked', async () => {
      // Prepare
      const { key } = await subkeyCase('retired-before');
      const signature = await gpg.detachSignBytes(artifact, {
        signer: key.fingerprint,
        fakedTime: '20200401T000000',
      });
      await gpg.revokeSubkey(key.fingerprint, 1, 3, '20200301T000000');

      // Act
      const error = await rejectionOf(verifyWith(key, signature));

      // Assess
      expectError(error, 'SignerRevoked', 'revoked subkey');
    });
  });

  describe('with an RFC 9580 (version 6) key made by openpgp', () => {
    let armoredPublicKey: string;
    let signature: Uint8Array;

    beforeAll(async () => {
      const { privateKey, publicKey } = await openpgp.generateKey({
        type: 'curve25519',
        userIDs: [{ name: 'V6', email: 'v6@example.test' }],
        config: { v6Keys: true },
      });
      armoredPublicKey = publicKey;
      const signingKey = await openpgp.readPrivateKey({ armoredKey: privateKey });
      signature = await openpgp.sign({
        message: await openpgp.createMessage({ binary: artifact }),
        signingKeys: signingKey,
        detached: true,
        format: 'binary',
      });
    });

    const verifyV6 = async (bytes: Uint8Array) =>
      verifyArtifactStream({
        app: 'web',
        artifact: chunksOf(bytes),
        expectedSize: bytes.length,
        signature,
        trustedKeys: await parseTrustedKeys('web', [{ label: 'v6', armoredPublicKey }]),
      });

    it('accepts its salted signature', async () => {
      // Act
      const verified = await verifyV6(artifact);

      // Assess
      expect(verified.signer).toMatchObject({ label: 'v6', userIds: ['V6 <v6@example.test>'] });
      expect(verified.signer).toMatchObject({
        fingerprint: expect.stringMatching(/^[0-9A-F]{64}$/),
      });
    });

    it('refuses it over a changed artifact as SignatureInvalid', async () => {
      // Prepare
      const tampered = artifact.slice();
      tampered[100] = (tampered[100] ?? 0) ^ 0x80;

      // Act
      const error = await rejectionOf(verifyV6(tampered));

      // Assess
      expectError(error, 'SignatureInvalid', '"v6"');
    });
  });
});
