import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKmsKeyArn, parseTrustedKeys } from '../../../core/verification/index.ts';
import { GpgHome } from '../../helpers/gpg.ts';
import { expectError, rejectionOf } from './fixtures.ts';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/0d5e7bbe-8a3c-4f4e-9a26-0ad1d5c3e0a1';
const OTHER_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1b6c2f0e-3d4a-4b5c-8d9e-0f1a2b3c4d5e';

describe('parseTrustedKeys with KMS keys', () => {
  let gpg: GpgHome;
  let armored: string;

  beforeAll(async () => {
    gpg = await GpgHome.create();
    const key = await gpg.generateKey({ userId: 'CI <ci@example.test>', algorithm: 'ed25519' });
    armored = await gpg.exportPublicKey(key.fingerprint);
  });
  afterAll(async () => {
    await gpg.dispose();
  });

  it.each([
    { label: 'KMS keys alone', openpgp: false, labels: ['release', 'backup'] },
    { label: 'OpenPGP and KMS keys together', openpgp: true, labels: ['ci', 'release', 'backup'] },
  ])('accepts $label, listing OpenPGP labels first', async ({ openpgp, labels }) => {
    // Act
    const parsed = await parseTrustedKeys(
      'web',
      openpgp ? [{ label: 'ci', armoredPublicKey: armored }] : [],
      [
        { label: 'release', keyArn: KEY_ARN },
        { label: 'backup', keyArn: OTHER_ARN },
      ],
    );

    // Assess
    expect(parsed.labels).toEqual(labels);
  });

  it.each([
    ['an alias ARN', 'arn:aws:kms:eu-west-1:123456789012:alias/release'],
    ['a bare key id', '0d5e7bbe-8a3c-4f4e-9a26-0ad1d5c3e0a1'],
    ['an alias name', 'alias/release'],
    ['an S3 ARN', 'arn:aws:s3:::artifacts'],
    [
      'a key ARN with an upper-case key id',
      KEY_ARN.toUpperCase().replace('ARN:AWS:KMS', 'arn:aws:kms'),
    ],
    ['a key ARN with a space after it', `${KEY_ARN} `],
  ])('refuses %s as ConfigInvalid', async (_label, keyArn) => {
    // Act
    const error = await rejectionOf(parseTrustedKeys('web', [], [{ label: 'release', keyArn }]));

    // Assess
    expectError(error, 'ConfigInvalid', 'app web: trusted KMS key "release"', 'not a KMS key ARN');
  });

  it.each([
    [
      'no key of either kind',
      () => parseTrustedKeys('web', [], []),
      'neither OpenPGP keys nor KMS keys',
    ],
    [
      'a label used by an OpenPGP key and a KMS key',
      () =>
        parseTrustedKeys(
          'web',
          [{ label: 'ci', armoredPublicKey: armored }],
          [{ label: 'ci', keyArn: KEY_ARN }],
        ),
      'trusted key label "ci" is used twice',
    ],
    [
      'one KMS key under two labels',
      () =>
        parseTrustedKeys(
          'web',
          [],
          [
            { label: 'a', keyArn: KEY_ARN },
            { label: 'b', keyArn: KEY_ARN },
          ],
        ),
      'is trusted twice, as "a" and "b"',
    ],
  ])('refuses %s as ConfigInvalid', async (_label, parse, fragment) => {
    // Act
    const error = await rejectionOf(parse());

    // Assess
    expectError(error, 'ConfigInvalid', fragment);
  });

  it.each([
    ['a commercial Region key', KEY_ARN, true],
    [
      'a GovCloud key',
      KEY_ARN.replace('arn:aws:kms:eu-west-1', 'arn:aws-us-gov:kms:us-gov-west-1'),
      true,
    ],
    [
      'a China Region key',
      KEY_ARN.replace('arn:aws:kms:eu-west-1', 'arn:aws-cn:kms:cn-north-1'),
      true,
    ],
    [
      'a multi-Region key',
      'arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab',
      true,
    ],
    ['an account id of 11 digits', KEY_ARN.replace('123456789012', '12345678901'), false],
    ['another service', KEY_ARN.replace(':kms:', ':sns:'), false],
  ])('tells %s apart (isKmsKeyArn)', (_label, value, expected) => {
    // Act, Assess
    expect(isKmsKeyArn(value)).toBe(expected);
  });
});
