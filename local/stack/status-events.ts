import type { LocalEventBus } from '../control-plane/index.ts';
import type { ExecutionRecord } from '../stepfunctions/execution-record.ts';

/**
 * Publishes the event Step Functions sends to EventBridge when a Standard execution changes
 * status, so the alert rule on FAILED / TIMED_OUT / ABORTED has the same input locally.
 */
export async function publishExecutionStatus(
  bus: LocalEventBus,
  execution: ExecutionRecord,
): Promise<void> {
  await bus.publish({
    source: 'aws.states',
    detailType: 'Step Functions Execution Status Change',
    resources: [execution.executionArn],
    detail: {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      stopDate: execution.stopDate ?? null,
      input: execution.input,
      output: execution.output ?? null,
      error: execution.error ?? null,
      cause: execution.cause ?? null,
    },
  });
}
