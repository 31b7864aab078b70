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
  readonly signer: {
    readonly type: 'openpgp';
    readonly label: string;
    readonly fingerprint: string;
    readonly keyId: string;
    readonly userIds: readonly string[];
    readonly signedAt: string;
  };
  /** The signature object (and its version) that vouched for it. */
  readonly signatureKey: string;
  readonly signatureVersionId: string | null;
}
