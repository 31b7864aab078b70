/**
 * Artifact verification: one streaming pass that hashes the artifact, checks its signature
 * (an OpenPGP detached signature, or an AWS KMS ECDSA signature over the SHA-256 digest)
 * against the app's trusted keys, and scans its gzip'd tar archive. See docs/VERIFICATION.md
 * for what is checked, in what order, and which error each refusal raises.
 */
export {
  APPSPEC_FILE,
  DEFAULT_ARCHIVE_LIMITS,
  RELEASE_METADATA_FILE,
} from './constants.ts';
export {
  decodeEcdsaDer,
  type EcdsaSignatureValues,
  encodeEcdsaDer,
  P256_ORDER,
} from './ecdsa-der.ts';
export { isKmsKeyArn, KMS_KEY_ARN_SHAPE } from './kms-key-arn.ts';
export {
  formatKmsSignature,
  KMS_SIGNATURE_FORMAT,
  KMS_SIGNING_ALGORITHM,
  type KmsSignatureDocument,
  parseKmsSignature,
} from './kms-signature.ts';
export { kmsVerifier } from './kms-verifier.ts';
export { type ParsedTrustedKeys, parseTrustedKeys } from './trusted-keys.ts';
export type {
  ArchiveLimits,
  ArchiveSummary,
  KmsSigner,
  KmsVerifier,
  KmsVerifyRequest,
  OpenPgpSigner,
  ReleaseMetadata,
  Signer,
  TrustedKey,
  TrustedKmsKey,
  VerifiedArtifact,
  VerifyArtifactInput,
} from './types.ts';
export { verifyArtifactStream } from './verify-artifact-stream.ts';
