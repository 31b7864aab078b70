import type { DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';

/** One line for an execution that ended: its status, and its error and cause if it failed. */
export function renderExecutionEnd(execution: DescribeExecutionCommandOutput): string {
  const name = execution.name ?? execution.executionArn ?? 'execution';
  if (execution.status === 'SUCCEEDED') return `${name}: SUCCEEDED`;
  const cause = execution.cause ? `\n  ${execution.cause}` : '';
  return `${name}: ${execution.status}${execution.error ? ` (${execution.error})` : ''}${cause}`;
}
