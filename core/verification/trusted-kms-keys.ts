import { ConfigInvalid } from '../errors.ts';
import { isKmsKeyArn, KMS_KEY_ARN_SHAPE } from './kms-key-arn.ts';
import type { TrustedKmsKey } from './types.ts';

/** One allow-listed KMS key with the label the app's configuration gives it. */
export interface TrustedKmsKeyEntry {
  readonly label: string;
  readonly keyArn: string;
}

/**
 * Checks an app's allow-listed KMS keys: each value a KMS key ARN (ConfigInvalid for an alias,
 * a bare key id or anything else), no key listed twice. Labels are checked by the caller,
 * across OpenPGP and KMS keys together.
 */
export function parseKmsKeys(app: string, keys: readonly TrustedKmsKey[]): TrustedKmsKeyEntry[] {
  const entries: TrustedKmsKeyEntry[] = [];
  for (const { label, keyArn } of keys) {
    const details = { app, label };
    if (!isKmsKeyArn(keyArn)) {
      throw new ConfigInvalid(
        `app ${app}: trusted KMS key "${label}" is ${JSON.stringify(keyArn)}, not a KMS key ARN ` +
          `(${KMS_KEY_ARN_SHAPE}; aliases are not accepted)`,
        { details },
      );
    }
    const twin = entries.find((entry) => entry.keyArn === keyArn);
    if (twin !== undefined) {
      throw new ConfigInvalid(
        `app ${app}: KMS key ${keyArn} is trusted twice, as "${twin.label}" and "${label}"`,
        { details },
      );
    }
    entries.push({ label, keyArn });
  }
  return entries;
}
