import type { OutcomeSummary } from '../../core/outcome.ts';

/**
 * The outcome when its audit entry could not be written: the execution ends FAILED with
 * AuditWriteFailed, and the alert still names the app, the version and what happened to the
 * fleet. A deployment that went live stays visible as such (DeployedNotRecorded), never as a
 * plain failure.
 */
export function notAudited(outcome: OutcomeSummary, error: unknown): OutcomeSummary {
  const reason = error instanceof Error ? error.message : String(error);
  const summary = `${outcome.summary}; its audit entry could not be written: check the state table`;
  return {
    ...outcome,
    status: outcome.status === 'Succeeded' ? 'DeployedNotRecorded' : outcome.status,
    error: 'AuditWriteFailed',
    cause: outcome.error === null ? reason : `${outcome.error}: ${outcome.cause ?? ''}; ${reason}`,
    summary,
    executionCause: `${summary}: ${reason}`,
    severity: 'critical',
  };
}
