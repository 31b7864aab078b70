/** How a deployment execution ended, in the words operators see in history and alerts. */
export type Outcome =
  | 'Succeeded'
  | 'RolledBack'
  | 'RollbackFailed'
  | 'Refused'
  | 'Failed'
  | 'DeployedNotRecorded';

export interface CheckResult {
  /** signature, checksum, archive, targets, install, health, rollback, rollback-health, record */
  readonly name: string;
  readonly result: 'passed' | 'failed' | 'skipped';
  readonly detail?: string;
}

/** What one execution did, whatever its end: the body of one audit entry. */
export interface AuditRecord {
  readonly app: string;
  readonly execution: string;
  readonly intent: 'release' | 'redeploy' | 'rollback' | null;
  /** Who asked: the S3 requester for uploads, the operator's claim for manual runs. */
  readonly requestedBy: string | null;
  readonly source: string | null;
  readonly artifact: {
    readonly version: string | null;
    readonly bucket: string | null;
    readonly key: string | null;
    readonly versionId: string | null;
    readonly sha256: string | null;
    readonly size: number | null;
    /** The OpenPGP key's fingerprint or the KMS key's ARN (`signerIdentity`). */
    readonly signer: string | null;
    readonly signerType: 'openpgp' | 'kms' | null;
    readonly signerLabel: string | null;
  };
  readonly fromVersion: string | null;
  readonly instances: readonly string[];
  readonly checks: readonly CheckResult[];
  readonly outcome: Outcome;
  readonly error: string | null;
  readonly cause: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string;
}

/** An audit record as stored: its place in the app's chain and the hashes that seal it. */
export interface AuditEntry {
  readonly sequence: number;
  readonly previousHash: string;
  readonly hash: string;
  readonly record: AuditRecord;
}

/** The previousHash of an app's first entry. */
export const GENESIS_HASH = '0'.repeat(64);
