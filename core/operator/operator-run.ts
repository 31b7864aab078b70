import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { executionNameForOperator } from '../execution-name.ts';

export type OperatorAction =
  | { readonly action: 'redeploy'; readonly app: string; readonly version: string }
  | { readonly action: 'rollback'; readonly app: string };

/**
 * Starts a deployment on an operator's request: a redeploy of a named version (older ones
 * included) or a rollback to the recorded previous release. The input is the same the console
 * would take, so "start again" with it repeats the same operation.
 */
export async function startOperatorRun(
  sfn: SFNClient,
  stateMachineArn: string,
  request: OperatorAction & { readonly requestedBy: string },
  now = new Date(),
): Promise<{ executionArn: string; name: string }> {
  const name = executionNameForOperator(request.action, request.app, now);
  const input =
    request.action === 'redeploy'
      ? {
          app: request.app,
          version: request.version,
          intent: 'redeploy',
          requestedBy: request.requestedBy,
        }
      : { app: request.app, intent: 'rollback', requestedBy: request.requestedBy };
  const result = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
  );
  return { executionArn: result.executionArn ?? '', name };
}

/** Polls an execution until it is no longer RUNNING (or the time runs out), and returns it. */
export async function waitForExecution(
  sfn: SFNClient,
  executionArn: string,
  options: { readonly pollMs?: number; readonly timeoutMs?: number } = {},
): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + (options.timeoutMs ?? 2 * 60 * 60 * 1000);
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING' || Date.now() > deadline) return execution;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2000));
  }
}
