/**
 * The shapes verification takes in and hands back. Callers (the verify Lambda, the CLI, local
 * mode) code against these; everything else in this folder is private to it.
 */

import type { SignatureFormat } from '../release-names.ts';
import type { ParsedTrustedKeys } from './trusted-keys.ts';

/** One public key trusted to sign an app's releases, as stored in the app's configuration. */
export interface TrustedKey {
  /** Who holds the key ("ci-release", "alice"); named in messages and in the audit record. */
  readonly label: string;
  /** The ASCII-armored public key, exactly as `gpg --armor --export` prints it. */
  readonly armoredPublicKey: string;
}

/** An AWS KMS key trusted to sign an app's releases, as stored in the app's configuration. */
export interface TrustedKmsKey {
  /** Who holds the key ("github-release"); named in messages and in the audit record. */
  readonly label: string;
  /** The key's ARN (`arn:aws:kms:<region>:<account>:key/<key id>`); aliases are refused. */
  readonly keyArn: string;
}

/** Caps on what an archive may unpack to; each refusal names the entry that passed it. */
export interface ArchiveLimits {
  /** Most entries (files, directories, links) the archive may hold. */
  readonly maxEntries: number;
  /** Most bytes the gzip stream may inflate to (the tar stream's length). */
  readonly maxUnpackedBytes: number;
  /** Most path components in one entry's name. */
  readonly maxDepth: number;
  /** Most UTF-8 bytes in one entry's name or link target, as stored; never more than 4095. */
  readonly maxPathLength: number;
}

/** What `signet-release.json` says, validated; unknown extra keys are dropped. */
export interface ReleaseMetadata {
  readonly app: string;
  readonly version: string;
  readonly createdAt?: string;
  readonly createdBy?: string;
  readonly source?: string;
}

/** Who signed the artifact, as the audit record and the operator see it. */
export interface OpenPgpSigner {
  readonly type: 'openpgp';
  /** The trusted key's label from the app's configuration. */
  readonly label: string;
  /** The primary key's fingerprint, upper-case hex. */
  readonly fingerprint: string;
  /** The id of the (sub)key that made the signature, upper-case hex. */
  readonly keyId: string;
  readonly userIds: readonly string[];
  /** The signature's creation time, ISO 8601. */
  readonly signedAt: string;
}

/** Who signed the artifact when an allow-listed AWS KMS key did. */
export interface KmsSigner {
  readonly type: 'kms';
  /** The allow-listed key's ARN, which KMS Verify was asked with. */
  readonly keyArn: string;
  /** The allow-listed key's label from the app's configuration. */
  readonly label: string;
  /** A KMS signature carries no time: always null. */
  readonly signedAt: null;
}

/** Who signed the artifact: an OpenPGP key or a KMS key trusted for the app. */
export type Signer = OpenPgpSigner | KmsSigner;

/** One KMS Verify question: was `signature` made over `digest` by the key `keyArn`? */
export interface KmsVerifyRequest {
  /** The app and key label, for the messages of errors the answer raises. */
  readonly app: string;
  readonly label: string;
  readonly keyArn: string;
  /** The artifact's raw 32-byte SHA-256 digest (MessageType DIGEST). */
  readonly digest: Uint8Array;
  /** DER-encoded ECDSA signature. */
  readonly signature: Uint8Array;
}

/**
 * Asks KMS whether a signature is valid: true or false for a verdict; it throws a Signet error
 * when KMS gives none (AwsThrottled when a retry may help). `kmsVerifier` makes one.
 */
export type KmsVerifier = (request: KmsVerifyRequest) => Promise<boolean>;

/** What the archive scan saw; `regularFiles` lets callers check that hook scripts exist. */
export interface ArchiveSummary {
  readonly entries: number;
  /** Length of the inflated tar stream: an upper bound of what extraction writes. */
  readonly unpackedBytes: number;
  /** Normalised paths (no leading './') of every regular file, hardlinks to them included. */
  readonly regularFiles: ReadonlySet<string>;
}

export interface VerifyArtifactInput {
  /** The app the artifact claims to belong to; used in messages only. */
  readonly app: string;
  /** The artifact's bytes, e.g. the S3 GetObject Body (a Node Readable). Read exactly once. */
  readonly artifact: AsyncIterable<Uint8Array>;
  /** The object's length (S3 ContentLength): reading fewer or more bytes is refused. */
  readonly expectedSize: number;
  /**
   * The signature object's bytes: an OpenPGP signature, binary (`.sig`) or ASCII-armored
   * (`.asc`), or a KMS signature document (`.kms.json`).
   */
  readonly signature: Uint8Array;
  /** Which kind the signature object is (`signatureFormatOf` its key). Default: 'openpgp'. */
  readonly signatureFormat?: SignatureFormat;
  readonly trustedKeys: ParsedTrustedKeys;
  /** Checks a KMS signature; required to accept one (without it a KMS signature is refused). */
  readonly kmsVerifier?: KmsVerifier;
  /** Default: DEFAULT_ARCHIVE_LIMITS. */
  readonly limits?: ArchiveLimits;
}

export interface VerifiedArtifact {
  /** Lower-case hex SHA-256 of every byte read. */
  readonly sha256: string;
  readonly size: number;
  readonly signer: Signer;
  readonly metadata: ReleaseMetadata;
  /** The raw text of `appspec.yml` at the archive root; another module parses it. */
  readonly appspecText: string;
  readonly archive: ArchiveSummary;
}
