import type { JsonService } from '../service-types.ts';
import { createKmsKeyStore } from './kms-key-store.ts';
import { kmsOperations } from './kms-operations.ts';

/**
 * The AWS KMS JSON 1.1 service (`X-Amz-Target: TrentService.<Op>`): asymmetric ECC_NIST_P256
 * signing keys kept under the state directory.
 *
 * @example
 * const kms = await kmsService({ stateDir, region: 'us-east-1', account: '123456789012' });
 * const plane = await startControlPlane({ services: [kms] });
 */
export async function kmsService(options: {
  readonly stateDir: string;
  readonly region: string;
  readonly account: string;
}): Promise<JsonService> {
  return {
    protocol: 'json',
    targetPrefix: 'TrentService',
    operations: kmsOperations(await createKmsKeyStore(options), options.account),
  };
}
