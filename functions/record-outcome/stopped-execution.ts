import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { AuditLog } from '../../core/audit-log.ts';
import { deploymentEvent } from '../../core/deployment-events.ts';
import type { DeploymentLock } from '../../core/deployment-lock.ts';
import { setting } from '../../core/settings.ts';
import {
  defaultAuditLog,
  defaultLock,
  eventBridgeClient,
  sfnClient,
} from '../shared/default-deps.ts';
import type { PlainHandler } from '../shared/signet-handler.ts';
import { type StoppedExecution, stoppedRecord } from './stopped-record.ts';

/** Step Functions' status event, as the EventBridge rule delivers it. */
export interface ExecutionStatusChange {
  readonly source: 'aws.states';
  readonly 'detail-type': 'Step Functions Execution Status Change';
  readonly detail: { readonly executionArn: string; readonly status: string };
}

export function isStatusChange(event: unknown): event is ExecutionStatusChange {
  const shape = event as Partial<ExecutionStatusChange> | null;
  return (
    shape?.source === 'aws.states' &&
    shape['detail-type'] === 'Step Functions Execution Status Change' &&
    typeof shape.detail?.executionArn === 'string'
  );
}

export interface StoppedExecutionDeps {
  readonly auditLog: () => AuditLog;
  readonly lock: () => DeploymentLock;
  readonly sfn: () => SFNClient;
  readonly eventBridge: () => EventBridgeClient;
  readonly eventBusName: () => string;
  readonly now?: () => Date;
}

export interface StoppedExecutionResult {
  /** False when the execution had not stopped, or its run already had an entry. */
  readonly recorded: boolean;
  readonly auditSequence: number | null;
  readonly lockReleased: boolean;
}

/**
 * An execution stopped or timed out never reaches RecordOutcome: this writes its one audit
 * entry (ExecutionStopped) from DescribeExecution, frees the app's lock if the execution held
 * it, and emits one Signet alert. EventBridge delivers at least once; a repeated event finds
 * the run's entry and emits nothing.
 */
export function recordStoppedExecution(
  deps: StoppedExecutionDeps,
): PlainHandler<ExecutionStatusChange, StoppedExecutionResult> {
  return async (event, { logger }) => {
    const stopped = await describe(deps.sfn(), event.detail.executionArn);
    if (stopped === null) {
      logger.info('execution did not stop; nothing to record', { status: event.detail.status });
      return { recorded: false, auditSequence: null, lockReleased: false };
    }
    const now = (deps.now ?? (() => new Date()))();
    const record = stoppedRecord(stopped, now);
    const { entry, appended } = await deps.auditLog().appendOnce(record);
    const lockReleased =
      record.app === null ? false : await deps.lock().release(record.app, stopped.executionArn);
    if (appended) {
      const name = `${record.app ?? 'an input naming no app'} ${record.artifact.version ?? ''}`;
      await emit(deps, {
        app: record.app,
        version: record.artifact.version,
        fromVersion: null,
        outcome: 'Failed',
        error: 'ExecutionStopped',
        summary:
          `${name.trim()} failed (ExecutionStopped): ${record.cause}; instances it reached ` +
          'may run either release: check them with signet status',
        execution: stopped.executionArn,
        instances: 0,
        severity: 'warning',
      });
    }
    logger.info('stopped execution recorded', {
      status: stopped.status,
      auditSequence: entry.sequence,
      appended,
      lockReleased,
    });
    return { recorded: appended, auditSequence: entry.sequence, lockReleased };
  };
}

async function describe(sfn: SFNClient, executionArn: string): Promise<StoppedExecution | null> {
  const found = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  if (found.status !== 'ABORTED' && found.status !== 'TIMED_OUT') return null;
  return {
    executionArn,
    status: found.status,
    input: found.input ?? null,
    startDate: found.startDate ?? null,
    stopDate: found.stopDate ?? null,
    error: found.error ?? null,
    cause: found.cause ?? null,
  };
}

async function emit(
  deps: StoppedExecutionDeps,
  detail: Parameters<typeof deploymentEvent>[0],
): Promise<void> {
  const entry = deploymentEvent(detail, deps.eventBusName());
  const result = await deps.eventBridge().send(new PutEventsCommand({ Entries: [entry] }));
  if ((result.FailedEntryCount ?? 0) > 0) {
    const first = result.Entries?.[0];
    throw new Error(
      `EventBridge refused the ${entry.DetailType} event: ${first?.ErrorCode} ${first?.ErrorMessage}`,
    );
  }
}

export const defaultStoppedDeps: StoppedExecutionDeps = {
  auditLog: defaultAuditLog,
  lock: defaultLock,
  sfn: sfnClient,
  eventBridge: eventBridgeClient,
  eventBusName: () => setting('eventBusName'),
};
