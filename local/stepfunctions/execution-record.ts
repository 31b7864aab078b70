import type { HistoryEvent } from './execution-history.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** One local execution, with the fields DescribeExecution returns. */
export interface ExecutionRecord {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  status: ExecutionStatus;
  readonly startDate: number;
  stopDate?: number;
  readonly input: string;
  output?: string;
  error?: string;
  cause?: string;
  readonly history: HistoryEvent[];
}

/** The record as DescribeExecution returns it (dates as epoch seconds). */
export function describeExecution(record: ExecutionRecord): Record<string, unknown> {
  return {
    ...listExecutionItem(record),
    input: record.input,
    inputDetails: { included: true },
    ...(record.output === undefined
      ? {}
      : { output: record.output, outputDetails: { included: true } }),
    ...(record.error === undefined ? {} : { error: record.error }),
    ...(record.cause === undefined ? {} : { cause: record.cause }),
  };
}

/** The record as ListExecutions returns it: `ExecutionListItem`, no data. */
export function listExecutionItem(record: ExecutionRecord): Record<string, unknown> {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: record.startDate / 1000,
    ...(record.stopDate === undefined ? {} : { stopDate: record.stopDate / 1000 }),
  };
}
