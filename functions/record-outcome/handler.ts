import type { AuditLog } from '../../core/audit-log.ts';
import type { DeploymentState } from '../../core/deployment-state.ts';
import { decideOutcome, type OutcomeSummary } from '../../core/outcome.ts';
import { auditRecordFor } from '../../core/outcome-record.ts';
import { defaultAuditLog } from '../shared/default-deps.ts';
import { type PlainHandler, signetHandler } from '../shared/signet-handler.ts';
import { notAudited } from './not-audited.ts';
import { defaultStoppedDeps, isStatusChange, recordStoppedExecution } from './stopped-execution.ts';

export interface RecordOutcomeEvent {
  readonly state: DeploymentState;
  readonly execution: string;
  readonly startedAt: string | null;
}

export interface RecordOutcomeDeps {
  readonly auditLog: () => AuditLog;
  readonly now?: () => Date;
}

/** The outcome, with the audit entry's sequence (null when it could not be written). */
export type RecordedOutcome = OutcomeSummary & { readonly auditSequence: number | null };

/**
 * Every execution passes here exactly once on its way out, whatever happened: it decides the
 * outcome and appends the execution's one audit entry to the app's hash chain. An entry that
 * cannot be written (after the log's own retries) is reported in the outcome, not thrown, so
 * the alert names the app and the version.
 */
export function recordOutcome(
  deps: RecordOutcomeDeps,
): PlainHandler<RecordOutcomeEvent, RecordedOutcome> {
  return async ({ state, execution, startedAt }, { logger }) => {
    const outcome = decideOutcome(state);
    const record = auditRecordFor(
      state,
      outcome,
      { id: execution, startedAt },
      (deps.now ?? (() => new Date()))(),
    );
    try {
      const entry = await deps.auditLog().append(record);
      logger.info('outcome recorded', {
        outcome: outcome.status,
        error: outcome.error,
        auditSequence: entry.sequence,
      });
      return { ...outcome, auditSequence: entry.sequence };
    } catch (error) {
      logger.error('audit entry not written', { outcome: outcome.status }, error);
      return { ...notAudited(outcome, error), auditSequence: null };
    }
  };
}

/**
 * Two callers: the state machine's RecordOutcome Task, and the EventBridge rule on the state
 * machine's ABORTED and TIMED_OUT status events (executions that never reach RecordOutcome).
 */
const fromStateMachine = recordOutcome({ auditLog: defaultAuditLog });
const fromStatusEvent = recordStoppedExecution(defaultStoppedDeps);

export const handler = signetHandler(
  'record-outcome',
  async (event: unknown, tools): Promise<unknown> =>
    isStatusChange(event)
      ? fromStatusEvent(event, tools)
      : fromStateMachine(event as RecordOutcomeEvent, tools),
);
