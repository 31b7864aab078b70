import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpgKey } from '../helpers/gpg.ts';
import { concat } from '../helpers/tar-builder.ts';
import { expectDeployed, expectFailClosed, snapshot } from './support/deployments.ts';
import { SecurityStack } from './support/security-stack.ts';

// Cases 1 to 8 of docs/SECURITY.md: who signed the artifact, and how.
describe('hostile signatures, on the local stack', () => {
  let h: SecurityStack;
  let stranger: GpgKey;
  let rsa: GpgKey;
  let revoked: GpgKey;
  let expired: GpgKey;

  beforeAll(async () => {
    h = await SecurityStack.start('signatures');
    const gpg = h.gpg;
    stranger = await gpg.generateKey({ userId: 'Stranger <s@x.invalid>', algorithm: 'ed25519' });
    rsa = await gpg.generateKey({ userId: 'RSA CI <rsa@x.invalid>', algorithm: 'rsa2048' });
    revoked = await gpg.generateKey({ userId: 'Revoked <r@x.invalid>', algorithm: 'ed25519' });
    // gpg will not sign with an expired key nor set a past expiry: the key is made "in 2020"
    // and its expiry is set later, dated before the signature (see the case 8 test).
    expired = await gpg.generateKey({
      userId: 'Expired <e@x.invalid>',
      algorithm: 'ed25519',
      fakedTime: '20200101T000000',
    });
    const exported = async (label: string, key: GpgKey) => ({
      label,
      armoredPublicKey: await gpg.exportPublicKey(key.fingerprint),
    });
    await h.registerApp('web', {
      trustedKeys: [
        await exported('ci', h.ci),
        await exported('ci-rsa', rsa),
        await exported('revoked', revoked),
        await exported('expired', expired),
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await h.close();
  });

  /** A release of the example app under its own key; `sign` makes its signature. */
  async function refuse(
    sign: ((artifact: Uint8Array) => Promise<Uint8Array | undefined>) | null,
    options: { suffix?: '.sig' | '.asc'; change?: (artifact: Uint8Array) => Uint8Array } = {},
  ) {
    const version = h.nextVersion();
    const signed = await h.packageExample({ app: 'web', version });
    const signature = sign === null ? undefined : await sign(signed);
    const artifact = options.change?.(signed) ?? signed;
    const before = await snapshot(h, 'web');
    const run = await h.release({
      app: 'web',
      version,
      artifact,
      ...(signature === undefined ? {} : { signature }),
      ...(options.suffix === undefined ? {} : { signatureSuffix: options.suffix }),
    });
    return { before, run };
  }

  describe('case 1: a missing signature', () => {
    it('refuses an artifact whose signature never arrives, after the grace period', async () => {
      // Act
      const started = Date.now();
      const { before, run } = await refuse(null);

      // Assess: 12 looks, 100 ms apart locally (5 s apart in AWS)
      const { alert } = await expectFailClosed(h, before, run.execution, {
        error: 'SignatureMissing',
      });
      expect(Date.now() - started).toBeGreaterThan(1_000);
      expect(alert.detail.summary).toContain('SignatureMissing');
    });

    it('deploys a release whose signature is uploaded after the artifact', async () => {
      // Prepare
      const version = h.nextVersion();
      const artifact = await h.packageExample({ app: 'web', version });

      // Act
      const run = await h.release({
        app: 'web',
        version,
        artifact,
        signature: await h.sign(artifact),
        signatureLate: true,
      });

      // Assess
      await expectDeployed(h, 'web', run.execution, version);
    });
  });

  it('case 2: refuses a signature by a key not trusted for the app as SignerNotTrusted', async () => {
    const { before, run } = await refuse((a) => h.sign(a, { signer: stranger.fingerprint }));

    await expectFailClosed(h, before, run.execution, { error: 'SignerNotTrusted' });
  });

  it('case 3: refuses bytes changed after signing as SignatureInvalid', async () => {
    const { before, run } = await refuse((a) => h.sign(a), { change: flipMiddleByte });

    await expectFailClosed(h, before, run.execution, { error: 'SignatureInvalid' });
  });

  describe('case 4: a malformed signature object', () => {
    it.each<{ label: string; suffix: '.sig' | '.asc'; make: (good: Uint8Array) => Uint8Array }>([
      { label: 'a zero-byte .sig', suffix: '.sig', make: () => new Uint8Array() },
      { label: 'a truncated .sig', suffix: '.sig', make: (good) => good.subarray(0, 40) },
      {
        label: 'a garbage .sig',
        suffix: '.sig',
        make: () => new TextEncoder().encode('not a signature at all\n'),
      },
      { label: 'an .asc without its end line', suffix: '.asc', make: withoutArmorEnd },
      { label: 'an .asc with a wrong checksum line', suffix: '.asc', make: withWrongArmorCrc },
    ])('refuses $label as SignatureMalformed', async ({ suffix, make }) => {
      const { before, run } = await refuse(
        async (a) => make(await h.sign(a, { armor: suffix === '.asc' })),
        { suffix },
      );

      await expectFailClosed(h, before, run.execution, { error: 'SignatureMalformed' });
    });

    it('refuses a garbage .sig beside a valid .asc, naming both objects', async () => {
      // Prepare: what users expect is the valid .asc, but a .sig is looked at first
      const version = h.nextVersion();
      const artifact = await h.packageExample({ app: 'web', version });
      const key = `releases/web/web-${version}.tar.gz`;
      await h.put(`${key}.asc`, await h.sign(artifact, { armor: true }));
      const before = await snapshot(h, 'web');

      // Act
      const run = await h.release({
        app: 'web',
        version,
        artifact,
        signature: new TextEncoder().encode('garbage'),
      });

      // Assess
      await expectFailClosed(h, before, run.execution, { error: 'SignatureMalformed' });
      expect(run.execution.cause).toContain(`${key}.sig`);
      expect(run.execution.cause).toContain(`${key}.asc`);
    });
  });

  it('case 5: deploys a CRLF-armored signature over CR LF and invalid UTF-8 bytes, unchanged', async () => {
    // Prepare
    const version = h.nextVersion();
    const binary = Uint8Array.of(0x61, 0x0d, 0x0a, 0x62, 0xff, 0xfe, 0xc3, 0x28, 0x0d, 0x0a);
    const artifact = await h.packageExample({
      app: 'web',
      version,
      extraFiles: { 'data/crlf.bin': binary },
    });
    const armored = new TextDecoder().decode(await h.sign(artifact, { armor: true }));
    const crlf = new TextEncoder().encode(armored.replace(/\r?\n/g, '\r\n'));

    // Act
    const run = await h.release({
      app: 'web',
      version,
      artifact,
      signature: crlf,
      signatureSuffix: '.asc',
    });

    // Assess
    await expectDeployed(h, 'web', run.execution, version);
    const instance = h.stack.instances[0];
    const deployed = await readFile(
      join(instance?.signetHome ?? '', 'web', 'current', 'data', 'crlf.bin'),
    );
    expect(new Uint8Array(deployed)).toEqual(binary);
  });

  describe('case 6: several signatures in one object', () => {
    it('refuses an invalid one from the trusted key beside a valid one from an unknown key', async () => {
      const other = await h.packageExample({ app: 'web', version: '9.9.9' });
      const { before, run } = await refuse(async (a) =>
        concat([await h.sign(other), await h.sign(a, { signer: stranger.fingerprint })]),
      );

      await expectFailClosed(h, before, run.execution, { error: 'SignatureInvalid' });
    });

    it('deploys exactly one valid signature from the trusted key beside an unknown one', async () => {
      // Prepare
      const version = h.nextVersion();
      const artifact = await h.packageExample({ app: 'web', version });
      const signature = concat([
        await h.sign(artifact, { signer: stranger.fingerprint }),
        await h.sign(artifact),
      ]);

      // Act
      const run = await h.release({ app: 'web', version, artifact, signature });

      // Assess
      await expectDeployed(h, 'web', run.execution, version);
    });
  });

  it.each([
    ['SHA-1', 'SHA1'],
    ['MD5', 'MD5'],
  ])(
    'case 7: refuses a %s signature from a trusted key as SignatureWeakHash',
    async (_label, digestAlgo) => {
      const { before, run } = await refuse((a) =>
        h.sign(a, { signer: rsa.fingerprint, digestAlgo }),
      );

      const { alert } = await expectFailClosed(h, before, run.execution, {
        error: 'SignatureWeakHash',
      });
      expect(alert.detail.summary).toContain('SignatureWeakHash');
    },
  );

  describe('case 8: the signing key', () => {
    it('refuses a signature by a key revoked since as SignerRevoked', async () => {
      const { before, run } = await refuse(async (a) => {
        const signature = await h.sign(a, { signer: revoked.fingerprint });
        await h.gpg.revokeKey(revoked.fingerprint);
        await h.registerApp('web', {
          trustedKeys: [
            {
              label: 'revoked',
              armoredPublicKey: await h.gpg.exportPublicKey(revoked.fingerprint),
            },
          ],
        });
        return signature;
      });

      await expectFailClosed(h, before, run.execution, { error: 'SignerRevoked' });
    });

    it('refuses a signature made after the key expired as SignerExpired', async () => {
      const { before, run } = await refuse(async (a) => {
        const signature = await h.gpg.detachSignBytes(a, {
          signer: expired.fingerprint,
          fakedTime: '20200103T000000',
        });
        await h.gpg.setExpiry(expired.fingerprint, '20200102T000000', '20200101T120000');
        await h.registerApp('web', {
          trustedKeys: [
            {
              label: 'expired',
              armoredPublicKey: await h.gpg.exportPublicKey(expired.fingerprint),
            },
          ],
        });
        return signature;
      });

      await expectFailClosed(h, before, run.execution, { error: 'SignerExpired' });
    });
  });
});

function flipMiddleByte(bytes: Uint8Array): Uint8Array {
  const changed = Uint8Array.from(bytes);
  const middle = Math.floor(changed.length / 2);
  changed[middle] = (changed[middle] ?? 0) ^ 0xff;
  return changed;
}

function withoutArmorEnd(armored: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(armored);
  return new TextEncoder().encode(text.replace(/-----END PGP SIGNATURE-----\s*$/, ''));
}

function withWrongArmorCrc(armored: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(armored);
  return new TextEncoder().encode(text.replace(/^=[A-Za-z0-9+/]{4}$/m, '=AAAA'));
}
