import { DescribeKeyCommand, type KeyMetadata, type KMSClient } from '@aws-sdk/client-kms';
import type { StoredKmsKey } from '../app-config-store.ts';
import { isAwsCallError, isErrorNamed } from './aws-failure.ts';

// What verification asks KMS for: ECDSA P-256 Verify (core/verification/kms-verifier.ts).
const KEY_SPEC = 'ECC_NIST_P256';
const KEY_USAGE = 'SIGN_VERIFY';

/**
 * Why KMS cannot verify releases with a trusted key (DescribeKey): it does not exist or cannot
 * be described, is not an ECC_NIST_P256 SIGN_VERIFY key, or is not Enabled. Undefined when it
 * can.
 */
export async function kmsKeyProblem(
  kms: KMSClient,
  app: string,
  key: StoredKmsKey,
): Promise<{ problem: string; fix: string } | undefined> {
  const named = `app ${app}: trusted KMS key "${key.label}" (${key.keyArn})`;
  let metadata: KeyMetadata | undefined;
  try {
    metadata = (await kms.send(new DescribeKeyCommand({ KeyId: key.keyArn }))).KeyMetadata;
  } catch (error) {
    if (isErrorNamed(error, 'NotFoundException')) {
      return {
        problem: `${named} does not exist`,
        fix: 'put the ARN of an existing ECC_NIST_P256 SIGN_VERIFY key there',
      };
    }
    if (!isAwsCallError(error)) throw error;
    return {
      problem: `${named} cannot be described: ${error.name}: ${error.message}`,
      fix: 'let these credentials call kms:DescribeKey on it (verification needs kms:Verify)',
    };
  }
  if (metadata?.KeySpec !== KEY_SPEC || metadata.KeyUsage !== KEY_USAGE) {
    return {
      problem:
        `${named} is a ${metadata?.KeySpec ?? 'spec-less'} ${metadata?.KeyUsage ?? ''} key, ` +
        `not ${KEY_SPEC} ${KEY_USAGE}: its signatures are not ones Signet verifies`,
      fix:
        `trust a key made with \`aws kms create-key --key-spec ${KEY_SPEC} ` +
        `--key-usage ${KEY_USAGE}\``,
    };
  }
  if (metadata.KeyState !== 'Enabled') {
    return {
      problem: `${named} is ${metadata.KeyState ?? 'in no state'}: KMS verifies nothing with it`,
      fix:
        metadata.KeyState === 'Disabled'
          ? `aws kms enable-key --key-id ${key.keyArn}`
          : 'trust an Enabled key instead (or cancel its deletion)',
    };
  }
  return undefined;
}
