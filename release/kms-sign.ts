import { writeFile } from 'node:fs/promises';
import { type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { SHA256_HEX_PATTERN } from '../core/release-names.ts';
import {
  formatKmsSignature,
  isKmsKeyArn,
  KMS_SIGNING_ALGORITHM,
} from '../core/verification/index.ts';
import { ReleaseFailed } from './errors.ts';

export interface KmsSignOptions {
  /**
   * The KMS key to sign with: its key ARN (what the app's trust lists), or any id KMS accepts
   * (an alias); the document records the key ARN KMS answers with.
   */
  readonly keyId: string;
  /** Lower-case hex SHA-256 of the artifact, as packageRelease returns it. */
  readonly sha256: string;
}

/**
 * Asks KMS to sign an artifact's digest (Sign: ECDSA_SHA_256, MessageType DIGEST, Message the
 * raw 32 bytes of the SHA-256, not its hex text) and returns the signature document
 * (`signet-kms-signature-v1`, docs/VERIFICATION.md). ReleaseFailed when KMS refuses.
 *
 * @example
 * const text = await kmsSignatureDocument(kms, { keyId: keyArn, sha256: artifact.sha256 });
 */
export async function kmsSignatureDocument(
  kms: KMSClient,
  options: KmsSignOptions,
): Promise<string> {
  if (!SHA256_HEX_PATTERN.test(options.sha256)) {
    throw new ReleaseFailed(`signing with KMS: ${options.sha256} is not a hex SHA-256 digest`);
  }
  let answer: { KeyId?: string | undefined; Signature?: Uint8Array | undefined };
  try {
    answer = await kms.send(
      new SignCommand({
        KeyId: options.keyId,
        Message: Buffer.from(options.sha256, 'hex'),
        MessageType: 'DIGEST',
        SigningAlgorithm: KMS_SIGNING_ALGORITHM,
      }),
    );
  } catch (error) {
    const name = (error as Error).name;
    throw new ReleaseFailed(
      `signing with KMS key ${options.keyId} failed: ${name}: ${(error as Error).message}`,
      { cause: error, details: { keyId: options.keyId } },
    );
  }
  const keyArn = answer.KeyId ?? options.keyId;
  if (!isKmsKeyArn(keyArn) || answer.Signature === undefined) {
    throw new ReleaseFailed(
      `signing with KMS key ${options.keyId}: KMS answered without a key ARN and a signature`,
      { details: { keyId: options.keyId } },
    );
  }
  return formatKmsSignature({ keyArn, signature: answer.Signature });
}

/**
 * Signs an artifact with KMS and writes the document next to it as `<artifact>.kms.json`,
 * which uploadRelease puts next to the artifact's key. Returns the document's path.
 */
export async function signWithKms(
  kms: KMSClient,
  artifactFile: string,
  options: KmsSignOptions,
): Promise<string> {
  const output = `${artifactFile}.kms.json`;
  await writeFile(output, await kmsSignatureDocument(kms, options));
  return output;
}
