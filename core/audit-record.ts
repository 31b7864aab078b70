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
  /** Null when the input named no valid app: the entry is in the unattributed chain. */
  readonly app: string | null;
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

/**
 * An entry whose stored record does not parse (edited or corrupted in the table). Its hashes
 * are still readable, so the chain can be verified around it and appended after it.
 */
export interface UnreadableAuditEntry {
  readonly sequence: number;
  readonly previousHash: string;
  readonly hash: string;
  readonly record: null;
  /** Why the record could not be read. */
  readonly unreadable: string;
}

/** An entry as read back from the table: readable, or not. */
export type StoredAuditEntry = AuditEntry | UnreadableAuditEntry;

/**
 * The chain of entries whose input named no valid app. Parentheses make it a name no app can
 * have (core/release-names.ts, APP_NAME_PATTERN), so no app's history can be mixed into it.
 */
export const UNATTRIBUTED_CHAIN = '(unattributed)';

/** The chain a record belongs to: its app's, or the unattributed one. */
export function chainOf(record: Pick<AuditRecord, 'app'>): string {
  return record.app ?? UNATTRIBUTED_CHAIN;
}

/**
 * The newest entry of a chain as the append that wrote it saw it, kept in an item of its own:
 * removing entries from the end of the chain leaves the head pointing past them.
 */
export interface AuditHead {
  readonly sequence: number;
  readonly hash: string;
}

/** The previousHash of an app's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

// $$.Execution.StartTime (what RecordOutcome is given) and DescribeExecution's startDate (what a
// stopped execution is recorded from) are the same instant in AWS; the local interpreter reads
// its own clock for the first in the same synchronous step, a few milliseconds apart at most.
// Two runs of one execution name are 90 days apart in AWS, and locally at least a stack restart
// apart (seconds). 100 ms sits between the two by well over an order of magnitude each way.
const SAME_START_TOLERANCE_MS = 100;

/**
 * Whether two records are of the same execution run: the same execution ARN, started at the
 * same time. A name reused by a later run (after 90 days in AWS, or after a local restart) is
 * another run and gets its own entry.
 */
export function isSameRun(
  a: Pick<AuditRecord, 'execution' | 'startedAt'>,
  b: Pick<AuditRecord, 'execution' | 'startedAt'>,
): boolean {
  if (a.execution !== b.execution) return false;
  if (a.startedAt === null || b.startedAt === null) return a.startedAt === b.startedAt;
  const apart = Math.abs(Date.parse(a.startedAt) - Date.parse(b.startedAt));
  return apart < SAME_START_TOLERANCE_MS;
}
