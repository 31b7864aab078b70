import type { AuditLog } from '../../core/audit-log.ts';
import type { DeploymentState } from '../../core/deployment-state.ts';
import { auditRecordFor, decideOutcome, type OutcomeSummary } from '../../core/outcome.ts';
import { defaultAuditLog } from '../shared/default-deps.ts';
import { type PlainHandler, signetHandler } from '../shared/signet-handler.ts';

export interface RecordOutcomeEvent {
  readonly state: DeploymentState;
  readonly execution: string;
  readonly startedAt: string | null;
}

export interface RecordOutcomeDeps {
  readonly auditLog: () => AuditLog;
  readonly now?: () => Date;
}

/**
 * Every execution passes here exactly once on its way out, whatever happened: it decides the
 * outcome and appends the execution's one audit entry to the app's hash chain.
 */
export function recordOutcome(
  deps: RecordOutcomeDeps,
): PlainHandler<RecordOutcomeEvent, OutcomeSummary & { readonly auditSequence: number }> {
  return async ({ state, execution, startedAt }, { logger }) => {
    const outcome = decideOutcome(state);
    const record = auditRecordFor(
      state,
      outcome,
      { id: execution, startedAt },
      (deps.now ?? (() => new Date()))(),
    );
    const entry = await deps.auditLog().append(record);
    logger.info('outcome recorded', {
      outcome: outcome.status,
      error: outcome.error,
      auditSequence: entry.sequence,
    });
    return { ...outcome, auditSequence: entry.sequence };
  };
}

export const handler = signetHandler(
  'record-outcome',
  recordOutcome({ auditLog: defaultAuditLog }),
);
