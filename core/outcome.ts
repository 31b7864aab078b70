import type { AuditRecord, CheckResult, Outcome } from './audit-record.ts';
import { type DeploymentEventDetail, severityOf } from './deployment-events.ts';
import type { CaughtError, DeploymentState } from './deployment-state.ts';
import { signerIdentity } from './verified-release.ts';

/** How an execution ended, as the last states need it: small, and ready for people. */
export interface OutcomeSummary {
  readonly status: Outcome;
  /** The execution's error name; null only for Succeeded. */
  readonly error: string | null;
  readonly cause: string | null;
  readonly app: string | null;
  readonly version: string | null;
  readonly fromVersion: string | null;
  readonly instances: number;
  readonly summary: string;
  /** The execution's Cause: the summary, then the underlying cause. */
  readonly executionCause: string | null;
  readonly severity: DeploymentEventDetail['severity'];
}

// Errors that mean "this release may not be deployed", as opposed to "deploying it failed".
const REFUSALS = new Set([
  'InputInvalid',
  'ConfigInvalid',
  'NothingToRollBackTo',
  'SignatureMissing',
  'SignatureMalformed',
  'SignatureInvalid',
  'SignerNotTrusted',
  'SignerRevoked',
  'SignerExpired',
  'SignatureWeakHash',
  'ChecksumMismatch',
  'ArtifactTooLarge',
  'ArtifactChanged',
  'ArchiveInvalid',
  'UnsafeArchiveEntry',
  'ReleaseMetadataInvalid',
  'AppSpecInvalid',
  'ReleaseMismatch',
  'VersionNotNewer',
  'DigestReused',
]);

/** Decides the outcome from what the execution's state holds when it reaches the end. */
export function decideOutcome(state: DeploymentState): OutcomeSummary {
  const app = state.request?.app ?? state.rejected?.app ?? null;
  const version = state.request?.version ?? state.rejected?.version ?? null;
  const fromVersion = state.plan?.rollbackTarget?.version ?? null;
  const instances = touchedInstances(state).length;
  const base = { app, version, fromVersion, instances };
  const name = `${app ?? 'unknown app'} ${version ?? ''}`.trim();

  const finish = (
    status: Outcome,
    error: string | null,
    cause: string | null,
    summary: string,
  ) => ({
    ...base,
    status,
    error,
    cause,
    summary,
    executionCause: status === 'Succeeded' ? null : cause ? `${summary}: ${cause}` : summary,
    severity: severityOf(status),
  });

  if (state.failure === undefined) {
    return finish('Succeeded', null, null, `${name} is live on ${instances} instance(s)`);
  }
  const error = state.failure.Error;
  const cause = causeMessage(state.failure);
  if (error === 'RecordWriteFailed') {
    return finish(
      'DeployedNotRecorded',
      error,
      cause,
      `${name} is live but its release record was not written: fix the record by hand`,
    );
  }
  if (state.rollbackFailure !== undefined) {
    return finish(
      'RollbackFailed',
      'RollbackFailed',
      `${cause ?? error}; then: ${causeMessage(state.rollbackFailure) ?? state.rollbackFailure.Error}`,
      `${name} failed (${error}) and rolling back to ${fromVersion} failed: a person is needed`,
    );
  }
  if (state.rollback?.status === 'RolledBack') {
    return finish(
      'RolledBack',
      error,
      cause,
      `${name} failed (${error}); ${instances} instance(s) rolled back to ${fromVersion}`,
    );
  }
  if (state.rollout === undefined && REFUSALS.has(error)) {
    return finish(
      'Refused',
      error,
      cause,
      `${name} was refused (${error}); no instance was touched`,
    );
  }
  const touched =
    state.rollout === undefined
      ? 'no instance was touched'
      : `nothing to roll back to on ${instances} instance(s)`;
  return finish('Failed', error, cause, `${name} failed (${error}); ${touched}`);
}

/** Instances that received a command: every batch up to the one in progress. */
export function touchedInstances(state: DeploymentState): string[] {
  if (state.plan === undefined || state.rollout === undefined) return [];
  return state.plan.batches.slice(0, state.rollout.batchIndex + 1).flat();
}

/** The human part of a caught error: Lambda causes are JSON with an errorMessage. */
export function causeMessage(caught: CaughtError): string | null {
  if (caught.Cause === undefined) return null;
  try {
    const parsed = JSON.parse(caught.Cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // Not JSON: a cause written by a Fail state or by Step Functions itself.
  }
  return caught.Cause;
}

/** The audit entry's body for this execution. */
export function auditRecordFor(
  state: DeploymentState,
  outcome: OutcomeSummary,
  execution: { readonly id: string; readonly startedAt: string | null },
  finishedAt: Date,
): AuditRecord {
  const artifact = state.artifact;
  const request = state.request;
  return {
    app: outcome.app ?? 'unknown',
    execution: execution.id,
    intent: request?.intent ?? state.rejected?.intent ?? null,
    requestedBy: request?.requestedBy ?? state.rejected?.requestedBy ?? null,
    source: request?.source ?? null,
    artifact: {
      version: artifact?.version ?? request?.version ?? state.rejected?.version ?? null,
      bucket: artifact?.bucket ?? request?.bucket ?? null,
      key: artifact?.key ?? request?.key ?? null,
      versionId: artifact?.versionId ?? request?.versionId ?? null,
      sha256: artifact?.sha256 ?? null,
      size: artifact?.size ?? null,
      signer: artifact === undefined ? null : signerIdentity(artifact.signer),
      signerType: artifact?.signer.type ?? null,
      signerLabel: artifact?.signer.label ?? null,
    },
    fromVersion: outcome.fromVersion,
    instances: touchedInstances(state),
    checks: checksOf(state, outcome),
    outcome: outcome.status,
    error: outcome.error,
    cause: outcome.cause,
    startedAt: execution.startedAt,
    finishedAt: finishedAt.toISOString(),
  };
}

function checksOf(state: DeploymentState, outcome: OutcomeSummary): CheckResult[] {
  const failedPhase = state.failure === undefined ? null : (state.command?.phase ?? null);
  const verified = state.artifact !== undefined;
  const checks: CheckResult[] = [
    { name: 'verification', result: verified ? 'passed' : state.lock ? 'failed' : 'skipped' },
    { name: 'targets', result: state.plan ? 'passed' : verified ? 'failed' : 'skipped' },
  ];
  const rolloutDone = state.record !== undefined || outcome.status === 'DeployedNotRecorded';
  for (const phase of ['install', 'health'] as const) {
    let result: CheckResult['result'] = 'skipped';
    if (rolloutDone) result = 'passed';
    else if (failedPhase === phase) result = 'failed';
    else if (phase === 'install' && failedPhase === 'health') result = 'passed';
    checks.push({ name: phase, result });
  }
  checks.push({
    name: 'rollback',
    result: state.rollback !== undefined ? 'passed' : state.rollbackFailure ? 'failed' : 'skipped',
  });
  checks.push({ name: 'record', result: state.record !== undefined ? 'passed' : 'skipped' });
  if (outcome.error !== null && !checks.some((check) => check.result === 'failed')) {
    checks.push({ name: 'deployment', result: 'failed', detail: outcome.error });
  }
  return checks;
}
