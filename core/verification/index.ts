/**
 * Artifact verification: one streaming pass that hashes the artifact, checks its OpenPGP
 * detached signature against the app's trusted keys, and scans its gzip'd tar archive.
 * See docs/VERIFICATION.md for what is checked, in what order, and which error each refusal
 * raises.
 */
export {
  APPSPEC_FILE,
  DEFAULT_ARCHIVE_LIMITS,
  RELEASE_METADATA_FILE,
} from './constants.ts';
export { type ParsedTrustedKeys, parseTrustedKeys } from './trusted-keys.ts';
export type {
  ArchiveLimits,
  ArchiveSummary,
  OpenPgpSigner,
  ReleaseMetadata,
  TrustedKey,
  VerifiedArtifact,
  VerifyArtifactInput,
} from './types.ts';
export { verifyArtifactStream } from './verify-artifact-stream.ts';
