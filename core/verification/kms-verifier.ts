import { type KMSClient, VerifyCommand } from '@aws-sdk/client-kms';
import {
  AwsRequestFailed,
  AwsThrottled,
  ConfigInvalid,
  SignerRevoked,
  type SignetErrorClass,
} from '../errors.ts';
import { KMS_SIGNING_ALGORITHM } from './kms-signature.ts';
import { messageOf } from './messages.ts';
import type { KmsVerifier, KmsVerifyRequest } from './types.ts';

/** AWS says "the signature does not verify" with this error; moto answers SignatureValid false. */
const INVALID_SIGNATURE = 'KMSInvalidSignatureException';

// KMS's own "try again" answers (the API reference: "The request can be retried"), and its
// request-rate throttling. The SDK has already retried them by the time they arrive here.
const RETRYABLE = new Set([
  'ThrottlingException',
  'KMSInternalException',
  'DependencyTimeoutException',
  'KeyUnavailableException',
]);

// The allow-listed key can no longer vouch for anything: disabled, or pending deletion.
const WITHDRAWN = new Set(['DisabledException', 'KMSInvalidStateException']);

// The allow-listed ARN names no key this account can use to verify ECDSA P-256 signatures.
const MISCONFIGURED = new Set(['NotFoundException', 'InvalidKeyUsageException']);

/**
 * A KmsVerifier that asks AWS KMS (Verify, MessageType DIGEST, ECDSA_SHA_256). The client is
 * made on first use, so a verification of an OpenPGP signature never creates one.
 *
 * An invalid signature is `false` whichever way KMS says it; throttling, KMS's 5xx answers and
 * network failures, once the SDK's own retries are spent, are AwsThrottled, which the state
 * machine retries; a disabled key or one pending deletion is SignerRevoked; an ARN naming no
 * usable signing key is ConfigInvalid; anything else (access denied) is AwsRequestFailed.
 *
 * @example
 * const verified = await verifyArtifactStream({ ...input, kmsVerifier: kmsVerifier(() => kms) });
 */
export function kmsVerifier(kms: () => KMSClient): KmsVerifier {
  return async (request) => {
    try {
      const answer = await kms().send(
        new VerifyCommand({
          KeyId: request.keyArn,
          Message: request.digest,
          MessageType: 'DIGEST',
          Signature: request.signature,
          SigningAlgorithm: KMS_SIGNING_ALGORITHM,
        }),
      );
      return answer.SignatureValid === true;
    } catch (error) {
      if ((error as Error).name === INVALID_SIGNATURE) return false;
      throw asSignetError(request, error);
    }
  };
}

function asSignetError(request: KmsVerifyRequest, error: unknown): Error {
  const name = (error as Error).name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const refuse = (ErrorClass: SignetErrorClass, reason: string) =>
    new ErrorClass(
      `app ${request.app}: KMS Verify with trusted key "${request.label}" ` +
        `(${request.keyArn}) ${reason}: ${name}: ${messageOf(error)}`,
      { cause: error, details: { app: request.app, label: request.label, keyArn: request.keyArn } },
    );
  if (RETRYABLE.has(name) || status === undefined || status >= 500) {
    return refuse(AwsThrottled, 'got no answer after retries');
  }
  if (WITHDRAWN.has(name)) return refuse(SignerRevoked, 'refused: the key is disabled or deleted');
  if (MISCONFIGURED.has(name)) {
    return refuse(ConfigInvalid, 'failed: the ARN names no usable ECC_NIST_P256 signing key');
  }
  return refuse(AwsRequestFailed, 'failed');
}
