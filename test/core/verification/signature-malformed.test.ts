import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ParsedTrustedKeys,
  parseTrustedKeys,
  verifyArtifactStream,
} from '../../../core/verification/index.ts';
import { GpgHome, type GpgKey } from '../../helpers/gpg.ts';
import { concat } from '../../helpers/tar-builder.ts';
import { chunksOf, expectError, gnuTarGz, rejectionOf, releaseTree } from './fixtures.ts';

const text = (value: string) => new TextEncoder().encode(value);

describe('malformed signature objects', () => {
  let gpg: GpgHome;
  let key: GpgKey;
  let trusted: ParsedTrustedKeys;
  let artifact: Uint8Array;
  let binary: Uint8Array;
  let armored: string;

  const verify = (signature: Uint8Array) =>
    verifyArtifactStream({
      app: 'web',
      artifact: chunksOf(artifact),
      expectedSize: artifact.length,
      signature,
      trustedKeys: trusted,
    });

  beforeAll(async () => {
    gpg = await GpgHome.create();
    key = await gpg.generateKey({ userId: 'CI <ci@example.test>', algorithm: 'rsa2048' });
    trusted = await parseTrustedKeys('web', [
      { label: 'ci', armoredPublicKey: await gpg.exportPublicKey(key.fingerprint) },
    ]);
    artifact = await gnuTarGz(releaseTree());
    binary = await gpg.detachSignBytes(artifact, { signer: key.fingerprint });
    armored = new TextDecoder().decode(
      await gpg.detachSignBytes(artifact, { signer: key.fingerprint, armor: true }),
    );
  });

  afterAll(async () => {
    await gpg.dispose();
  });

  const flipBodyCharacter = (armor: string) => {
    const lines = armor.split('\n');
    const index = lines.findIndex((line) => line.length > 60);
    const line = lines[index] ?? '';
    lines[index] = `${line.slice(0, 10)}${line[10] === 'A' ? 'B' : 'A'}${line.slice(11)}`;
    return lines.join('\n');
  };

  it.each([
    ['an empty object', () => new Uint8Array(), 'is empty'],
    ['plain text', () => text('not a signature\n'), 'is not an OpenPGP signature'],
    ['random bytes', () => new Uint8Array(200).fill(0x9c), 'is not an OpenPGP signature'],
    ['a truncated binary signature', () => binary.subarray(0, 40), 'is not an OpenPGP signature'],
    [
      'a binary signature with a trailing byte',
      () => concat([binary, text('x')]),
      'not an OpenPGP',
    ],
    ['more than 64 KiB', () => new Uint8Array(64 * 1024 + 1).fill(0x88), 'more than the 65536'],
    [
      'a binary public key instead',
      async () => gpg.gpg(['--export', key.fingerprint]),
      'is not an OpenPGP signature (Packet not allowed in this context: publicKey)',
    ],
    [
      'an armored public key instead',
      async () => text(await gpg.exportPublicKey(key.fingerprint)),
      'armor starts with "-----BEGIN PGP PUBLIC KEY BLOCK-----"',
    ],
    [
      'armor with a wrong checksum',
      () => text(armored.replace(/^=[A-Za-z0-9+/]{4}$/m, '=AAAA')),
      'armor checksum does not match',
    ],
    ['armor with a changed body character', () => text(flipBodyCharacter(armored)), 'checksum'],
    [
      'armor without its end line',
      () => text(armored.replace('-----END PGP SIGNATURE-----', '')),
      'lacks its "-----END PGP SIGNATURE-----" line',
    ],
    ['armor followed by text', () => text(`${armored}\nmore text\n`), 'text follows the armor'],
    [
      'armor without the blank line after its headers',
      () => text(armored.replace('-----\n\n', '-----\n')),
      'not followed by a blank line',
    ],
    [
      'armor with a character outside base64',
      () => text(armored.replace(/\n([A-Za-z0-9+/]{10})/, '\n$1*')),
      'is neither base64 nor',
    ],
    [
      'armor holding non-ASCII bytes',
      () => text(armored.replace('-----\n\n', '-----\nComment: caf\u00e9\n\n')),
      'not printable ASCII',
    ],
  ])('refuses %s as SignatureMalformed', async (_label, signature, fragment) => {
    // Act
    const error = await rejectionOf(verify(new Uint8Array(await signature())));

    // Assess
    expectError(error, 'SignatureMalformed', 'app web: the signature object', fragment);
  });

  it.each([
    ['armor without a checksum line', () => armored.replace(/^=[A-Za-z0-9+/]{4}\n/m, '')],
    ['armor with a Comment header', () => armored.replace('-----\n\n', '-----\nComment: CI\n\n')],
  ])('accepts %s', async (_label, reshape) => {
    // Act
    const verified = await verify(text(reshape()));

    // Assess
    expect(verified.signer.label).toBe('ci');
  });
});
