import type { Outcome } from './audit-record.ts';
import { type DeploymentEventDetail, severityOf } from './deployment-events.ts';
import type { CaughtError, DeploymentState } from './deployment-state.ts';

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
  'RollbackOutdated',
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
    const tolerated = state.command?.tolerated ?? [];
    const live = instances - new Set(tolerated.map((failure) => failure.instanceId)).size;
    return finish(
      'Succeeded',
      null,
      null,
      `${name} is live on ${live} instance(s)${leftOut(state)}`,
    );
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
  if (state.rollbackFailure !== undefined && fromVersion === null) {
    return finish(
      'RollbackFailed',
      'RollbackFailed',
      `${cause ?? error}; then: ${causeMessage(state.rollbackFailure) ?? state.rollbackFailure.Error}`,
      `${name} failed (${error}); there was nothing to roll back to and stopping it failed: ` +
        'a person is needed',
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
      : state.rollback?.status === 'Stopped'
        ? `nothing to roll back to: ${instances} instance(s) stopped and flagged failed`
        : `nothing to roll back to on ${instances} instance(s)`;
  return finish('Failed', error, cause, `${name} failed (${error}); ${touched}`);
}

/** What a successful rollout left behind: tolerated failures and skipped instances, named. */
function leftOut(state: DeploymentState): string {
  const tolerated = state.command?.tolerated ?? [];
  const skipped = state.plan?.excluded ?? [];
  const parts: string[] = [];
  if (tolerated.length > 0) {
    const named = tolerated.map((f) => `${f.instanceId} (${f.phase}: ${f.status})`).join(', ');
    parts.push(`failures tolerated by the rollout policy: ${named}`);
  }
  if (skipped.length > 0) {
    const named = skipped.map((e) => `${e.instanceId} (${e.reason})`).join(', ');
    parts.push(`unreachable instances skipped: ${named}`);
  }
  return parts.length === 0 ? '' : `; ${parts.join('; ')}`;
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
