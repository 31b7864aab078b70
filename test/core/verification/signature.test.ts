import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ParsedTrustedKeys,
  parseTrustedKeys,
  verifyArtifactStream,
} from '../../../core/verification/index.ts';
import { GpgHome, type GpgKey } from '../../helpers/gpg.ts';
import { buildTar, concat, tarEntry } from '../../helpers/tar-builder.ts';
import {
  chunksOf,
  expectError,
  gnuTarGz,
  rejectionOf,
  releaseRootEntries,
  releaseTree,
} from './fixtures.ts';

function verify(artifact: Uint8Array, signature: Uint8Array, trustedKeys: ParsedTrustedKeys) {
  return verifyArtifactStream({
    app: 'web',
    artifact: chunksOf(artifact, 1000),
    expectedSize: artifact.length,
    signature,
    trustedKeys,
  });
}

describe('OpenPGP signature verdicts', () => {
  let gpg: GpgHome;
  let ed: GpgKey;
  let rsa: GpgKey;
  let stranger: GpgKey;
  let trusted: ParsedTrustedKeys;
  let artifact: Uint8Array;
  let sign: (
    signer: GpgKey,
    options?: { armor?: boolean; textMode?: boolean; digestAlgo?: string },
  ) => Promise<Uint8Array>;

  beforeAll(async () => {
    gpg = await GpgHome.create();
    ed = await gpg.generateKey({ userId: 'CI Ed <ci-ed@example.test>', algorithm: 'ed25519' });
    rsa = await gpg.generateKey({ userId: 'CI Rsa <ci-rsa@example.test>', algorithm: 'rsa3072' });
    stranger = await gpg.generateKey({ userId: 'Mallory <m@example.test>', algorithm: 'ed25519' });
    trusted = await parseTrustedKeys('web', [
      { label: 'ci-ed', armoredPublicKey: await gpg.exportPublicKey(ed.fingerprint) },
      { label: 'ci-rsa', armoredPublicKey: await gpg.exportPublicKey(rsa.fingerprint) },
    ]);
    artifact = await gnuTarGz(releaseTree());
    sign = (signer, options = {}) =>
      gpg.detachSignBytes(artifact, { signer: signer.fingerprint, ...options });
  });

  afterAll(async () => {
    await gpg.dispose();
  });

  it.each([
    ['an ed25519 binary signature', 'ed', false],
    ['an rsa3072 binary signature', 'rsa', false],
    ['an ed25519 armored signature', 'ed', true],
    ['an rsa3072 armored signature', 'rsa', true],
  ] as const)('accepts %s from a trusted key', async (_label, which, armor) => {
    // Prepare
    const key = which === 'ed' ? ed : rsa;
    const signature = await sign(key, { armor });

    // Act
    const verified = await verify(artifact, signature, trusted);

    // Assess
    expect(verified.sha256).toBe(createHash('sha256').update(artifact).digest('hex'));
    expect(verified.size).toBe(artifact.length);
    expect(verified.signer).toEqual({
      type: 'openpgp',
      label: `ci-${which}`,
      fingerprint: key.fingerprint,
      keyId: key.keyId,
      userIds: [key.userId],
      signedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
    });
    expect(Math.abs(Date.parse(verified.signer.signedAt ?? '') - Date.now())).toBeLessThan(60_000);
  });

  it.each([
    ['CRLF line endings', (text: string) => text.replace(/\n/g, '\r\n')],
    ['a byte order mark and leading blank lines', (text: string) => `\ufeff\n \n${text}`],
    ['trailing spaces and blank lines', (text: string) => `${text.replace(/\n/g, '  \n')}\n\n`],
  ])('accepts an armored signature with %s', async (_label, reshape) => {
    // Prepare
    const armored = new TextDecoder().decode(await sign(ed, { armor: true }));
    const signature = new TextEncoder().encode(reshape(armored));

    // Act
    const verified = await verify(artifact, signature, trusted);

    // Assess
    expect(verified.signer.label).toBe('ci-ed');
  });

  it('verifies the exact bytes of an artifact holding CR LF pairs and invalid UTF-8', async () => {
    // Prepare: gzip level 0 stores the tar bytes verbatim, so the artifact holds them as-is
    const tar = buildTar([
      ...releaseRootEntries(),
      tarEntry({ name: 'crlf', data: 'a\r\nb\r\n\xff\xfe' }),
    ]);
    const stored = new Uint8Array(gzipSync(tar, { level: 0 }));
    expect(Buffer.from(stored).includes(Buffer.from([0x0d, 0x0a]))).toBe(true);
    const signature = await gpg.detachSignBytes(stored, { signer: ed.fingerprint });

    // Act
    const verified = await verify(stored, signature, trusted);

    // Assess
    expect(verified.archive.regularFiles).toContain('crlf');
  });

  it.each([
    ['its first byte', (length: number) => 0 * length],
    ['a middle byte', (length: number) => Math.floor(length / 2)],
    ['its last byte', (length: number) => length - 1],
  ])('refuses an artifact with %s changed as SignatureInvalid', async (_label, position) => {
    // Prepare
    const signature = await sign(rsa);
    const tampered = artifact.slice();
    const index = position(tampered.length);
    tampered[index] = (tampered[index] ?? 0) ^ 0x01;

    // Act
    const error = await rejectionOf(verify(tampered, signature, trusted));

    // Assess
    expectError(error, 'SignatureInvalid', 'app web: the signature by trusted key "ci-rsa"');
  });

  it('refuses a signature by a key the app does not trust as SignerNotTrusted', async () => {
    // Prepare
    const signature = await sign(stranger);

    // Act
    const error = await rejectionOf(verify(artifact, signature, trusted));

    // Assess
    expectError(error, 'SignerNotTrusted', stranger.keyId, 'trusted: ci-ed, ci-rsa');
  });

  it('refuses a text-mode signature as SignatureInvalid, saying why', async () => {
    // Prepare
    const signature = await sign(ed, { textMode: true });

    // Act
    const error = await rejectionOf(verify(artifact, signature, trusted));

    // Assess
    expectError(error, 'SignatureInvalid', 'text-mode signature (type 0x01)', 'without --textmode');
  });

  it.each([
    ['SHA-1', 'SHA1'],
    ['MD5', 'MD5'],
    ['RIPEMD-160', 'RIPEMD160'],
  ])('refuses a %s signature as SignatureWeakHash', async (label, digestAlgo) => {
    // Prepare
    const signature = await sign(rsa, { digestAlgo });

    // Act
    const error = await rejectionOf(verify(artifact, signature, trusted));

    // Assess
    expectError(error, 'SignatureWeakHash', `uses the weak hash ${label}`);
  });

  it.each([
    ['SHA-384', 'SHA384', 'ed'],
    ['SHA-512', 'SHA512', 'ed'],
    ['SHA-224', 'SHA224', 'rsa'],
    ['SHA-256', 'SHA256', 'rsa'],
  ] as const)('accepts a %s signature', async (_label, digestAlgo, which) => {
    // Prepare
    const signature = await sign(which === 'ed' ? ed : rsa, { digestAlgo });

    // Act
    const verified = await verify(artifact, signature, trusted);

    // Assess
    expect(verified.signer.label).toBe(`ci-${which}`);
  });

  describe('with several signature packets', () => {
    let otherArtifact: Uint8Array;

    beforeAll(async () => {
      otherArtifact = await gnuTarGz(releaseTree({ 'extra.txt': 'another release' }));
    });

    it.each([
      ['a valid trusted one and a valid unknown one', ['ed', 'stranger'], 'ci-ed'],
      ['a valid unknown one and a valid trusted one', ['stranger', 'rsa'], 'ci-rsa'],
      ['two valid trusted ones', ['ed', 'rsa'], 'ci-ed'],
      ['a valid trusted one and a weak unknown one', ['rsa', 'stranger-sha1'], 'ci-rsa'],
    ])('accepts %s', async (_label, signers, label) => {
      // Prepare
      const byName: Record<string, () => Promise<Uint8Array>> = {
        ed: () => sign(ed),
        rsa: () => sign(rsa),
        stranger: () => sign(stranger),
        'stranger-sha1': () =>
          gpg.detachSignBytes(artifact, { signer: stranger.fingerprint, digestAlgo: 'SHA1' }),
      };
      const parts = signers.map((name) => {
        const make = byName[name];
        if (make === undefined) throw new Error(`no signer named ${name}`);
        return make();
      });
      const signature = concat(await Promise.all(parts));

      // Act
      const verified = await verify(artifact, signature, trusted);

      // Assess
      expect(verified.signer.label).toBe(label);
    });

    it('accepts two packets made in one gpg run with two --local-user', async () => {
      // Prepare
      const signature = await gpg.detachSignBytes(artifact, {
        signer: [ed.fingerprint, stranger.fingerprint],
        armor: true,
      });

      // Act
      const verified = await verify(artifact, signature, trusted);

      // Assess
      expect(verified.signer.label).toBe('ci-ed');
    });

    it.each([
      ['an invalid trusted one beside a valid unknown one', 'ed', 'stranger', 'SignatureInvalid'],
      ['an invalid trusted one beside a valid trusted one', 'rsa', 'ed', 'SignatureInvalid'],
      [
        'a valid trusted one beside an invalid trusted one',
        'ed-valid-first',
        'rsa',
        'SignatureInvalid',
      ],
    ])('refuses %s', async (_label, first, second, errorName) => {
      // Prepare: "invalid" means made by the key, but over other bytes
      const wrong = (key: GpgKey) =>
        gpg.detachSignBytes(otherArtifact, { signer: key.fingerprint });
      const parts =
        first === 'ed-valid-first'
          ? [await sign(ed), await wrong(rsa)]
          : [await wrong(first === 'ed' ? ed : rsa), await sign(second === 'ed' ? ed : stranger)];

      // Act
      const error = await rejectionOf(verify(artifact, concat(parts), trusted));

      // Assess
      expectError(error, errorName, 'does not match the artifact');
    });
  });
});
