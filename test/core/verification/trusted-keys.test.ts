import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ParsedTrustedKeys,
  parseTrustedKeys,
  verifyArtifactStream,
} from '../../../core/verification/index.ts';
import { GpgHome, type GpgKey } from '../../helpers/gpg.ts';
import { chunksOf, expectError, rejectionOf } from './fixtures.ts';

describe('parseTrustedKeys', () => {
  let gpg: GpgHome;
  let ed: GpgKey;
  let rsa: GpgKey;
  let certOnly: GpgKey;
  let revoked: GpgKey;

  beforeAll(async () => {
    gpg = await GpgHome.create();
    ed = await gpg.generateKey({ userId: 'Ed <ed@example.test>', algorithm: 'ed25519' });
    rsa = await gpg.generateKey({ userId: 'Rsa <rsa@example.test>', algorithm: 'rsa3072' });
    certOnly = await gpg.generateKey({
      userId: 'Cert only <cert@example.test>',
      algorithm: 'ed25519',
      usage: 'cert',
    });
    await gpg.addSubkey(certOnly.fingerprint, 'cv25519', 'encr');
    revoked = await gpg.generateKey({ userId: 'Gone <gone@example.test>', algorithm: 'ed25519' });
    await gpg.revokeKey(revoked.fingerprint);
  });

  afterAll(async () => {
    await gpg.dispose();
  });

  it('parses gpg-exported ed25519 and rsa3072 public keys, keeping their labels', async () => {
    // Prepare
    const keys = [
      { label: 'alice', armoredPublicKey: await gpg.exportPublicKey(ed.fingerprint) },
      { label: 'ci', armoredPublicKey: await gpg.exportPublicKey(rsa.fingerprint) },
    ];

    // Act
    const parsed = await parseTrustedKeys('web', keys);

    // Assess
    expect(parsed).toMatchObject({ app: 'web', labels: ['alice', 'ci'] });
  });

  it('accepts a revoked key, so that verification can name the revocation', async () => {
    // Act
    const parsed = await parseTrustedKeys('web', [
      { label: 'gone', armoredPublicKey: await gpg.exportPublicKey(revoked.fingerprint) },
    ]);

    // Assess
    expect(parsed.labels).toEqual(['gone']);
  });

  it.each([
    ['an empty list', async () => [], 'app web: no trusted signing keys are configured'],
    [
      'text that is not a key',
      async () => [{ label: 'junk', armoredPublicKey: 'hello' }],
      'app web: trusted key "junk" is not an armored OpenPGP public key',
    ],
    [
      'a private key',
      async () => [{ label: 'oops', armoredPublicKey: await gpg.exportSecretKey(ed.fingerprint) }],
      'app web: trusted key "oops" is a PRIVATE key',
    ],
    [
      'a key that cannot sign data',
      async () => [
        { label: 'cert', armoredPublicKey: await gpg.exportPublicKey(certOnly.fingerprint) },
      ],
      'app web: trusted key "cert" has no (sub)key allowed to sign data',
    ],
    [
      'two keys under one label',
      async () => [
        {
          label: 'both',
          armoredPublicKey: (
            await gpg.gpg(['--armor', '--export', ed.fingerprint, rsa.fingerprint])
          ).toString(),
        },
      ],
      'trusted key "both" holds 2 keys',
    ],
    [
      'a label used twice',
      async () => {
        const armoredPublicKey = await gpg.exportPublicKey(ed.fingerprint);
        return [
          { label: 'dup', armoredPublicKey },
          { label: 'dup', armoredPublicKey },
        ];
      },
      'trusted key label "dup" is used twice',
    ],
  ])('refuses %s as ConfigInvalid', async (_label, keys, fragment) => {
    // Act
    const error = await rejectionOf(parseTrustedKeys('web', await keys()));

    // Assess
    expectError(error, 'ConfigInvalid', fragment);
  });

  it('refuses to verify against trusted keys that parseTrustedKeys did not make', async () => {
    // Prepare
    const forged = { app: 'web', labels: ['ci'] } as unknown as ParsedTrustedKeys;

    // Act
    const error = await rejectionOf(
      verifyArtifactStream({
        app: 'web',
        artifact: chunksOf(new Uint8Array([1])),
        expectedSize: 1,
        signature: new Uint8Array([1]),
        trustedKeys: forged,
      }),
    );

    // Assess
    expectError(error, 'ConfigInvalid', 'must come from parseTrustedKeys');
  });
});
