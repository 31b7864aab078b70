import type { AuditRecord, CheckResult } from './audit-record.ts';
import type { DeploymentState } from './deployment-state.ts';
import { type OutcomeSummary, touchedInstances } from './outcome.ts';
import { signerIdentity } from './verified-release.ts';

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
    app: outcome.app,
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

// The checks of verification, each with the errors that say it failed (core/errors.ts).
const VERIFICATION_CHECKS: readonly (readonly [string, readonly string[]])[] = [
  [
    'signature',
    [
      'SignatureMissing',
      'SignatureMalformed',
      'SignatureInvalid',
      'SignerNotTrusted',
      'SignerRevoked',
      'SignerExpired',
      'SignatureWeakHash',
    ],
  ],
  ['checksum', ['ChecksumMismatch', 'ArtifactReadIncomplete', 'ArtifactChanged']],
  [
    'archive',
    [
      'ArtifactTooLarge',
      'ArchiveInvalid',
      'UnsafeArchiveEntry',
      'ReleaseMetadataInvalid',
      'AppSpecInvalid',
    ],
  ],
  ['release', ['ReleaseMismatch', 'VersionNotNewer', 'DigestReused']],
];

/**
 * Verification's checks: all passed once the artifact is verified; when verification refused
 * it, the check its error belongs to failed and the others are not concluded (skipped).
 */
function verificationChecks(state: DeploymentState): CheckResult[] {
  const verified = state.artifact !== undefined;
  const error = state.failure?.Error;
  const failedInVerify = !verified && state.request !== undefined && error !== undefined;
  return VERIFICATION_CHECKS.map(([name, errors]) => {
    if (verified) return { name, result: 'passed' };
    if (failedInVerify && errors.includes(error)) return { name, result: 'failed', detail: error };
    return { name, result: 'skipped' };
  });
}

function checksOf(state: DeploymentState, outcome: OutcomeSummary): CheckResult[] {
  const failedPhase = state.failure === undefined ? null : (state.command?.phase ?? null);
  const checks: CheckResult[] = [
    ...verificationChecks(state),
    // Targets are resolved once the lock is held: a failure there means resolving failed.
    {
      name: 'targets',
      result: state.plan ? 'passed' : state.lock && state.failure ? 'failed' : 'skipped',
    },
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
  for (const failure of state.command?.tolerated ?? []) {
    const detail = `${failure.instanceId}: ${failure.phase} ${failure.status}, tolerated`;
    checks.push({ name: 'tolerated', result: 'failed', detail });
  }
  return checks;
}
