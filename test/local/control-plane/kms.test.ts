import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as opensslSign,
  verify,
} from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  GetPublicKeyCommand,
  ListKeysCommand,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalKms, startLocalKms } from '../../helpers/local-kms.ts';
import { rejection } from './local-stack.ts';

const MESSAGE = new TextEncoder().encode('signet release web 1.4.0');
const DIGEST = new Uint8Array(createHash('sha256').update(MESSAGE).digest());
const KEY_ARN = /^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]{36}$/;

describe('local KMS (TrentService)', () => {
  let kms: LocalKms;
  let keyArn: string;
  beforeEach(async () => {
    kms = await startLocalKms();
    keyArn = await kms.createSigningKey('release key');
  });
  afterEach(async () => {
    await kms.close();
  });

  const send = <T>(command: T) => kms.client.send(command as never) as Promise<never>;
  const sign = (message: Uint8Array, messageType: 'RAW' | 'DIGEST') =>
    kms.client.send(
      new SignCommand({
        KeyId: keyArn,
        Message: message,
        MessageType: messageType,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
  const publicKey = async () => {
    const answer = await kms.client.send(new GetPublicKeyCommand({ KeyId: keyArn }));
    return createPublicKey({
      key: Buffer.from(answer.PublicKey ?? []),
      format: 'der',
      type: 'spki',
    });
  };

  it('creates an ECC_NIST_P256 signing key and describes it by id and by ARN', async () => {
    // Act
    const created = await kms.client.send(
      new CreateKeyCommand({
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        Description: 'ci',
      }),
    );
    const id = created.KeyMetadata?.KeyId ?? '';
    const byId = await kms.client.send(new DescribeKeyCommand({ KeyId: id }));
    const byArn = await kms.client.send(
      new DescribeKeyCommand({ KeyId: created.KeyMetadata?.Arn }),
    );

    // Assess
    expect(created.KeyMetadata).toMatchObject({
      AWSAccountId: '123456789012',
      Arn: expect.stringMatching(KEY_ARN),
      Enabled: true,
      Description: 'ci',
      KeyUsage: 'SIGN_VERIFY',
      KeyState: 'Enabled',
      KeySpec: 'ECC_NIST_P256',
      CustomerMasterKeySpec: 'ECC_NIST_P256',
      SigningAlgorithms: ['ECDSA_SHA_256'],
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
    });
    expect(created.KeyMetadata?.Arn).toBe(`arn:aws:kms:us-east-1:123456789012:key/${id}`);
    expect(created.KeyMetadata?.CreationDate).toBeInstanceOf(Date);
    expect(byId.KeyMetadata).toEqual(created.KeyMetadata);
    expect(byArn.KeyMetadata).toEqual(created.KeyMetadata);
  });

  it.each([
    { label: 'a RAW message', messageType: 'RAW' as const, message: MESSAGE },
    { label: 'a SHA-256 digest', messageType: 'DIGEST' as const, message: DIGEST },
  ])(
    'signs $label so that OpenSSL verifies it with the public key',
    async ({ messageType, message }) => {
      // Act
      const signed = await sign(message, messageType);

      // Assess: both sign the message's SHA-256, which node:crypto computes itself here.
      expect(signed).toMatchObject({ KeyId: keyArn, SigningAlgorithm: 'ECDSA_SHA_256' });
      expect(
        verify('sha256', MESSAGE, await publicKey(), Buffer.from(signed.Signature ?? [])),
      ).toBe(true);
    },
  );

  it('verifies a signature made by OpenSSL, as RAW and as DIGEST', async () => {
    // Prepare: OpenSSL signs with the key's private half, read from the state directory.
    const stored = JSON.parse(await readFile(join(kms.stateDir, 'kms-keys.json'), 'utf8')) as {
      keys: { Arn: string; PrivateKeyPem: string }[];
    };
    const pem = stored.keys.find((key) => key.Arn === keyArn)?.PrivateKeyPem ?? '';
    const signature = opensslSign('sha256', MESSAGE, createPrivateKey(pem));
    const ask = (message: Uint8Array, messageType: 'RAW' | 'DIGEST') =>
      kms.client.send(
        new VerifyCommand({
          KeyId: keyArn,
          Message: message,
          MessageType: messageType,
          Signature: signature,
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );

    // Act
    const raw = await ask(MESSAGE, 'RAW');
    const digest = await ask(DIGEST, 'DIGEST');

    // Assess
    expect(raw).toMatchObject({
      KeyId: keyArn,
      SignatureValid: true,
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    expect(digest.SignatureValid).toBe(true);
  });

  it.each([
    { label: 'another message', message: new TextEncoder().encode('other'), flip: false },
    { label: 'a signature with one bit flipped', message: MESSAGE, flip: true },
  ])('throws KMSInvalidSignatureException for $label, as AWS does', async ({ message, flip }) => {
    // Prepare
    const signature = new Uint8Array((await sign(MESSAGE, 'RAW')).Signature ?? []);
    if (flip) signature[10] = (signature[10] ?? 0) ^ 0x01;

    // Act
    const error = await rejection(
      kms.client.send(
        new VerifyCommand({
          KeyId: keyArn,
          Message: message,
          Signature: signature,
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    );

    // Assess
    expect(error.name).toBe('KMSInvalidSignatureException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it.each([
    {
      label: 'a DIGEST that is not 32 bytes',
      input: () => ({
        KeyId: keyArn,
        Message: MESSAGE,
        MessageType: 'DIGEST',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
      error: 'ValidationException',
    },
    {
      label: 'an algorithm the key does not support',
      input: () => ({ KeyId: keyArn, Message: MESSAGE, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
      error: 'InvalidKeyUsageException',
    },
    {
      label: 'an algorithm not in the model',
      input: () => ({ KeyId: keyArn, Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_1' }),
      error: 'ValidationException',
    },
    {
      label: 'a key that does not exist',
      input: () => ({
        KeyId: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000',
        Message: MESSAGE,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
      error: 'NotFoundException',
    },
    {
      label: 'a key ARN of another account',
      input: () => ({
        KeyId: keyArn.replace('123456789012', '210987654321'),
        Message: MESSAGE,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
      error: 'NotFoundException',
    },
    {
      label: 'an alias',
      input: () => ({
        KeyId: 'alias/release',
        Message: MESSAGE,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
      error: 'NotFoundException',
    },
    {
      label: 'DryRun',
      input: () => ({
        KeyId: keyArn,
        Message: MESSAGE,
        SigningAlgorithm: 'ECDSA_SHA_256',
        DryRun: true,
      }),
      error: 'DryRunOperationException',
    },
  ])('refuses to sign with $label: $error', async ({ input, error: name }) => {
    // Act
    const error = await rejection(send(new SignCommand(input() as never)));

    // Assess
    expect(error.name).toBe(name);
  });

  it.each([
    { label: 'the default symmetric key', input: {} },
    { label: 'an RSA signing key', input: { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' } },
    {
      label: 'a multi-Region key',
      input: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', MultiRegion: true },
    },
  ])('answers CreateKey of $label with UnsupportedOperationException', async ({ input }) => {
    // Act
    const error = await rejection(send(new CreateKeyCommand(input as never)));

    // Assess
    expect(error.name).toBe('UnsupportedOperationException');
  });

  it('lists keys a page at a time and refuses a forged marker', async () => {
    // Prepare: two more keys, three in all.
    const second = await kms.createSigningKey();
    const third = await kms.createSigningKey();

    // Act
    const first = await kms.client.send(new ListKeysCommand({ Limit: 2 }));
    const rest = await kms.client.send(new ListKeysCommand({ Limit: 2, Marker: first.NextMarker }));
    const forged = await rejection(kms.client.send(new ListKeysCommand({ Marker: 'Zm9yZ2Vk' })));

    // Assess
    expect(first).toMatchObject({ Truncated: true });
    expect([...(first.Keys ?? []), ...(rest.Keys ?? [])].map((k) => k.KeyArn)).toEqual([
      keyArn,
      second,
      third,
    ]);
    expect(rest).toMatchObject({ Truncated: false });
    expect(rest.NextMarker).toBeUndefined();
    expect(forged.name).toBe('InvalidMarkerException');
  });

  it('keeps keys under the state directory, readable by the owner only, across restarts', async () => {
    // Prepare: a key made and used by one run on a state directory of its own.
    const stateDir = await mkdtemp(join(tmpdir(), 'signet-kms-restart-'));
    try {
      const first = await startLocalKms({ stateDir });
      const arn = await first.createSigningKey();
      const signed = await first.client.send(
        new SignCommand({
          KeyId: arn,
          Message: DIGEST,
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      await first.close();

      // Act
      const second = await startLocalKms({ stateDir });
      const answer = await second.client
        .send(
          new VerifyCommand({
            KeyId: arn,
            Message: DIGEST,
            MessageType: 'DIGEST',
            Signature: signed.Signature,
            SigningAlgorithm: 'ECDSA_SHA_256',
          }),
        )
        .finally(() => second.close());
      const mode = (await stat(join(stateDir, 'kms-keys.json'))).mode & 0o777;

      // Assess
      expect(answer.SignatureValid).toBe(true);
      expect(mode).toBe(0o600);
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
