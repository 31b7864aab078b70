import { createHash, createPublicKey, verify } from 'node:crypto';
import {
  CreateKeyCommand,
  GetPublicKeyCommand,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { expect } from 'vitest';
import { kmsVerifier } from '../../core/verification/kms-verifier.ts';
import { kmsSignatureDocument } from '../../release/kms-sign.ts';
import { type Contract, type ContractWorld, contractCase, thrown } from './contract.ts';
import { RECORDED_ACCOUNT, recordedError } from './recorded-answers.ts';

// Sources: KMS API Reference, CreateKey, Sign, Verify ("fails with an
// KMSInvalidSignatureException"), GetPublicKey; MessageType DIGEST "skips the hashing step".

const RECORDED_KEY_ARN = `arn:aws:kms:us-east-1:${RECORDED_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const MESSAGE = 'release bytes';
const DIGEST = createHash('sha256').update(MESSAGE).digest();

async function signingKey(world: ContractWorld): Promise<string> {
  const created = await world.clients.kms.send(
    new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
  );
  return created.KeyMetadata?.Arn ?? '';
}

async function signDigest(world: ContractWorld, keyArn: string): Promise<Uint8Array> {
  const signed = await world.clients.kms.send(
    new SignCommand({
      KeyId: keyArn,
      Message: DIGEST,
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    }),
  );
  return signed.Signature ?? new Uint8Array();
}

const verifyAs = (world: ContractWorld, keyArn: string, signature: Uint8Array) =>
  kmsVerifier(() => world.clients.kms)({
    app: 'web',
    label: 'release',
    keyArn,
    digest: DIGEST,
    signature,
  });

const recordedKey = (stubs: Parameters<Parameters<typeof contractCase>[0]['recorded']>[0]) => {
  stubs.kms.on(CreateKeyCommand).resolves({
    KeyMetadata: {
      KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      Arn: RECORDED_KEY_ARN,
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: ['ECDSA_SHA_256'],
    },
  });
  stubs.kms.on(SignCommand).resolves({
    KeyId: RECORDED_KEY_ARN,
    Signature: new Uint8Array([0x30, 0x44, 1, 2, 3]),
    SigningAlgorithm: 'ECDSA_SHA_256',
  });
};

export const kmsContract: Contract = {
  api: 'KMS',
  operations: ['CreateKey', 'Sign', 'Verify', 'GetPublicKey'],
  cases: [
    contractCase({
      name: 'signs a digest for a release and verifies it as valid',
      recorded: (stubs) => {
        recordedKey(stubs);
        stubs.kms.on(VerifyCommand).resolves({
          KeyId: RECORDED_KEY_ARN,
          SignatureValid: true,
          SigningAlgorithm: 'ECDSA_SHA_256',
        });
      },
      act: async (world) => {
        const keyArn = await signingKey(world);
        const document = JSON.parse(
          await kmsSignatureDocument(world.clients.kms, {
            keyId: keyArn,
            sha256: DIGEST.toString('hex'),
          }),
        ) as { keyArn: string; signature: string };
        const valid = await verifyAs(world, keyArn, Buffer.from(document.signature, 'base64'));
        return { keyArn, document, valid };
      },
      assess: (result) => {
        expect(result.document.keyArn).toBe(result.keyArn);
        expect(result.valid).toBe(true);
      },
    }),
    contractCase({
      name: 'reads a signature that does not verify as invalid, however KMS says so',
      recorded: (stubs) => {
        recordedKey(stubs);
        stubs.kms.on(VerifyCommand).rejects(recordedError('KMSInvalidSignatureException', '', 400));
      },
      act: async (world) => {
        const keyArn = await signingKey(world);
        const signature = Buffer.from(await signDigest(world, keyArn));
        signature[signature.length - 1] = (signature.at(-1) ?? 0) ^ 0x01;
        // moto answers SignatureValid false here, AWS throws: Signet must read both as false.
        return verifyAs(world, keyArn, signature);
      },
      assess: (valid) => {
        expect(valid).toBe(false);
      },
    }),
    contractCase({
      name: 'refuses a trusted key ARN naming no key as ConfigInvalid (NotFoundException)',
      recorded: (stubs) => {
        stubs.kms
          .on(VerifyCommand)
          .rejects(recordedError('NotFoundException', `Key '${RECORDED_KEY_ARN}' does not exist`));
      },
      act: (world) =>
        thrown(() =>
          verifyAs(
            world,
            `arn:aws:kms:us-east-1:${RECORDED_ACCOUNT}:key/00000000-0000-4000-8000-000000000000`,
            new Uint8Array([0x30, 0x06, 2, 1, 1, 2, 1, 1]),
          ),
        ),
      assess: (error) => {
        expect(error.name).toBe('ConfigInvalid');
      },
    }),
    contractCase({
      name: 'refuses a DIGEST that is not 32 bytes long (ValidationException)',
      divergent: { moto: 'moto 5.2 Sign hashes any DIGEST message again, whatever its length' },
      recorded: (stubs) => {
        recordedKey(stubs);
        stubs.kms
          .on(SignCommand)
          .rejects(
            recordedError(
              'ValidationException',
              'Digest is invalid length for algorithm ECDSA_SHA_256.',
            ),
          );
      },
      act: async (world) => {
        const keyArn = await signingKey(world);
        return thrown(() =>
          world.clients.kms.send(
            new SignCommand({
              KeyId: keyArn,
              Message: new Uint8Array(31),
              MessageType: 'DIGEST',
              SigningAlgorithm: 'ECDSA_SHA_256',
            }),
          ),
        );
      },
      assess: (error) => {
        expect(error.name).toBe('ValidationException');
      },
    }),
    contractCase({
      name: 'makes DIGEST signatures that verify with the public key (OpenSSL)',
      unsupported: {
        recorded: 'a replayed signature says nothing about how KMS signs a digest',
      },
      divergent: {
        moto: 'moto hashes a DIGEST message again before signing (moto 5.2 moto/kms/models.py)',
      },
      recorded: () => undefined,
      act: async (world) => {
        const keyArn = await signingKey(world);
        const signature = await signDigest(world, keyArn);
        const publicKey = await world.clients.kms.send(new GetPublicKeyCommand({ KeyId: keyArn }));
        const key = createPublicKey({
          key: Buffer.from(publicKey.PublicKey ?? new Uint8Array()),
          format: 'der',
          type: 'spki',
        });
        return verify('sha256', Buffer.from(MESSAGE), key, signature);
      },
      assess: (valid) => {
        expect(valid).toBe(true);
      },
    }),
  ],
};
