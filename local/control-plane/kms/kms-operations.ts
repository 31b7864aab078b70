import {
  optionalBoolean,
  optionalNumber,
  optionalString,
  requiredString,
  validationError,
} from '../input-fields.ts';
import { paginate } from '../pagination.ts';
import { AwsServiceError, type JsonObject, type JsonOperation } from '../service-types.ts';
import {
  enumValue,
  KEY_SPECS,
  KEY_USAGES,
  MESSAGE_TYPES,
  ORIGINS,
  requiredBlob,
  SIGNING_ALGORITHMS,
} from './kms-fields.ts';
import type { KmsKeyStore, LocalKmsKey } from './kms-key-store.ts';
import { sha256, signDigest, verifyDigest } from './p256-ecdsa.ts';

// The model's bounds (botocore kms-2014-11-01): PlaintextType 1-4096, CiphertextType 1-6144.
const MESSAGE_BOUNDS = { min: 1, max: 4096 };
const SIGNATURE_BOUNDS = { min: 1, max: 6144 };
const SIGNING_ALGORITHM = 'ECDSA_SHA_256';
const DIGEST_BYTES = 32;

/**
 * KMS's key and signing operations over the local key store: CreateKey, DescribeKey,
 * GetPublicKey, Sign, Verify and ListKeys, for ECC_NIST_P256 SIGN_VERIFY keys only
 * (docs/local/CONTROL-PLANE.md).
 */
export function kmsOperations(store: KmsKeyStore, account: string): Record<string, JsonOperation> {
  const metadata = (key: LocalKmsKey): JsonObject => ({
    AWSAccountId: account,
    KeyId: key.record.KeyId,
    Arn: key.record.Arn,
    CreationDate: new Date(key.record.CreationDate),
    Enabled: true,
    Description: key.record.Description,
    KeyUsage: key.record.KeyUsage,
    KeyState: 'Enabled',
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.record.KeySpec,
    KeySpec: key.record.KeySpec,
    SigningAlgorithms: [SIGNING_ALGORITHM],
    MultiRegion: false,
  });

  return {
    async CreateKey(input) {
      const keySpec = enumValue(
        optionalString(input, 'KeySpec') ??
          optionalString(input, 'CustomerMasterKeySpec') ??
          'SYMMETRIC_DEFAULT',
        KEY_SPECS,
        'keySpec',
      );
      const keyUsage = enumValue(
        optionalString(input, 'KeyUsage') ?? 'ENCRYPT_DECRYPT',
        KEY_USAGES,
        'keyUsage',
      );
      const origin = enumValue(optionalString(input, 'Origin') ?? 'AWS_KMS', ORIGINS, 'origin');
      const description = optionalString(input, 'Description') ?? '';
      if (description.length > 8192) {
        throw validationError('description', 'Member must have length less than or equal to 8192');
      }
      const elsewhere =
        optionalBoolean(input, 'MultiRegion') === true ||
        optionalString(input, 'CustomKeyStoreId') !== undefined;
      if (
        keySpec !== 'ECC_NIST_P256' ||
        keyUsage !== 'SIGN_VERIFY' ||
        origin !== 'AWS_KMS' ||
        elsewhere
      ) {
        throw new AwsServiceError(
          'UnsupportedOperationException',
          `The local KMS makes only KeySpec ECC_NIST_P256 keys with KeyUsage SIGN_VERIFY, ` +
            `Origin AWS_KMS, in one Region (asked: ${keySpec}, ${keyUsage}, ${origin})`,
        );
      }
      return { KeyMetadata: metadata(await store.create(description)) };
    },

    async DescribeKey(input) {
      return { KeyMetadata: metadata(store.resolve(requiredString(input, 'KeyId'))) };
    },

    async GetPublicKey(input) {
      const key = store.resolve(requiredString(input, 'KeyId'));
      return {
        KeyId: key.record.Arn,
        PublicKey: key.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
        CustomerMasterKeySpec: key.record.KeySpec,
        KeySpec: key.record.KeySpec,
        KeyUsage: key.record.KeyUsage,
        SigningAlgorithms: [SIGNING_ALGORITHM],
      };
    },

    async Sign(input) {
      const message = requiredBlob(input, 'Message', MESSAGE_BOUNDS);
      const request = signingRequest(input, store);
      const digest = digestOf(message, request.messageType);
      dryRun(input);
      return {
        KeyId: request.key.record.Arn,
        Signature: Buffer.from(signDigest(request.key.d, digest)).toString('base64'),
        SigningAlgorithm: SIGNING_ALGORITHM,
      };
    },

    async Verify(input) {
      const message = requiredBlob(input, 'Message', MESSAGE_BOUNDS);
      const signature = requiredBlob(input, 'Signature', SIGNATURE_BOUNDS);
      const request = signingRequest(input, store);
      const digest = digestOf(message, request.messageType);
      dryRun(input);
      if (!verifyDigest(request.key.d, digest, signature)) {
        throw new AwsServiceError('KMSInvalidSignatureException', '');
      }
      return {
        KeyId: request.key.record.Arn,
        SignatureValid: true,
        SigningAlgorithm: SIGNING_ALGORITHM,
      };
    },

    async ListKeys(input) {
      const limit = optionalNumber(input, 'Limit') ?? 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw validationError('limit', 'Member must have value between 1 and 1000');
      }
      const rows = store.list().map((key) => ({ KeyId: key.record.KeyId, KeyArn: key.record.Arn }));
      const page = paginate(
        rows,
        limit,
        optionalString(input, 'Marker'),
        () => new AwsServiceError('InvalidMarkerException', 'The marker is not valid.'),
      );
      return page.nextToken === undefined
        ? { Keys: page.items, Truncated: false }
        : { Keys: page.items, Truncated: true, NextMarker: page.nextToken };
    },
  };
}

/** The key, message type and algorithm of a Sign or Verify, checked against the key. */
function signingRequest(input: JsonObject, store: KmsKeyStore) {
  const messageType = enumValue(
    optionalString(input, 'MessageType') ?? 'RAW',
    MESSAGE_TYPES,
    'messageType',
  );
  const algorithm = enumValue(
    requiredString(input, 'SigningAlgorithm'),
    SIGNING_ALGORITHMS,
    'signingAlgorithm',
  );
  const key = store.resolve(requiredString(input, 'KeyId'));
  if (algorithm !== SIGNING_ALGORITHM) {
    throw new AwsServiceError(
      'InvalidKeyUsageException',
      `${algorithm} is not a signing algorithm of ${key.record.Arn} (KeySpec ECC_NIST_P256 ` +
        `supports ${SIGNING_ALGORITHM} only)`,
    );
  }
  if (messageType === 'EXTERNAL_MU') {
    throw new AwsServiceError(
      'InvalidKeyUsageException',
      'MessageType EXTERNAL_MU is for ML-DSA keys only',
    );
  }
  return { key, messageType };
}

/** What the signature is over: the message's SHA-256 (RAW), or the message itself (DIGEST). */
function digestOf(message: Uint8Array, messageType: string): Uint8Array {
  if (messageType === 'RAW') return sha256(message);
  if (message.length !== DIGEST_BYTES) {
    throw new AwsServiceError(
      'ValidationException',
      `Digest is invalid length for algorithm ${SIGNING_ALGORITHM}.`,
    );
  }
  return message;
}

function dryRun(input: JsonObject): void {
  if (optionalBoolean(input, 'DryRun') === true) {
    throw new AwsServiceError(
      'DryRunOperationException',
      'The request would have succeeded, but the DryRun option is set.',
      412,
    );
  }
}
