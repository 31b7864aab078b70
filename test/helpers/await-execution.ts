import type { LocalStack } from '../../local/stack/options.ts';
import type { ExecutionRecord } from '../../local/stepfunctions/execution-record.ts';

/** Waits for an execution matching `which` to start on the local stack, then for its end. */
export async function awaitExecution(
  stack: LocalStack,
  which: (execution: ExecutionRecord) => boolean,
  timeoutMs = 60_000,
): Promise<ExecutionRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = stack.stepFunctions.executions().find(which);
    if (found !== undefined) return stack.stepFunctions.waitFor(found.executionArn);
    if (Date.now() > deadline) throw new Error('no matching execution started');
    await stack.idle();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** True for executions whose input names this key (S3 events carry it in detail.object.key). */
export function forKey(key: string): (execution: ExecutionRecord) => boolean {
  return (execution) => execution.input.includes(JSON.stringify(key).slice(1, -1));
}
