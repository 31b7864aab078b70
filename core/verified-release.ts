import type { Signer } from './verification/types.ts';

/**
 * A release that passed verification, as later states carry it: where its exact bytes are,
 * their digest, and who signed them. Small on purpose: it travels in the execution's state.
 */
export interface VerifiedRelease {
  readonly app: string;
  readonly version: string;
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
  readonly etag: string;
  readonly sha256: string;
  readonly size: number;
  /** An OpenPGP key (`type: 'openpgp'`) or an AWS KMS key (`type: 'kms'`) trusted for the app. */
  readonly signer: Signer;
  /** The signature object (and its version) that vouched for it. */
  readonly signatureKey: string;
  readonly signatureVersionId: string | null;
}

/**
 * The one string that names a signer in records and logs: an OpenPGP key's fingerprint, or a
 * KMS key's ARN.
 */
export function signerIdentity(signer: Signer): string {
  return signer.type === 'kms' ? signer.keyArn : signer.fingerprint;
}
