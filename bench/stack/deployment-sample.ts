import {
  type CommandInvocation,
  ListCommandInvocationsCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { HistoryEvent } from '../../local/stepfunctions/execution-history.ts';
import type { ExecutionRecord } from '../../local/stepfunctions/execution-record.ts';

/** What one measured deployment cost. */
export interface DeploymentSample {
  readonly status: string;
  readonly error: string | null;
  /** From the start of the upload to the execution's end. */
  readonly uploadToEndMs: number;
  /** How long host scripts ran on the instances (the union of their run times). */
  readonly scriptMs: number;
  /** uploadToEndMs minus scriptMs: what Signet adds around the install itself. */
  readonly overheadMs: number;
  readonly stateTransitions: number;
  /** Task Lambdas the state machine called, plus start-deployment (called by the rule). */
  readonly lambdaInvocations: number;
  readonly apiCalls: number;
  readonly apiCallsByOperation: Readonly<Record<string, number>>;
  /** Script runs on instances (one per instance per command). */
  readonly scriptRuns: number;
  /** Present when the deployment rolled back: from the failed health check to healthy again. */
  readonly rollback?: RollbackTiming;
}

export interface RollbackTiming {
  readonly ms: number;
  /** How long host scripts (the rollback and its health check) ran inside the window. */
  readonly scriptMs: number;
  /** Milliseconds spent in each state in the rollback window, by state name. */
  readonly steps: Readonly<Record<string, number>>;
}

export interface ScriptInterval {
  readonly start: number;
  readonly end: number;
}

/** Run times of every invocation of the commands sent since `since` (epoch ms). */
export async function scriptIntervals(ssm: SSMClient, since: number): Promise<ScriptInterval[]> {
  const invocations: CommandInvocation[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ssm.send(
      new ListCommandInvocationsCommand({
        Details: true,
        MaxResults: 50,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    invocations.push(...(page.CommandInvocations ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  const intervals: ScriptInterval[] = [];
  for (const invocation of invocations) {
    if ((invocation.RequestedDateTime?.getTime() ?? 0) < since) continue;
    for (const plugin of invocation.CommandPlugins ?? []) {
      const start = plugin.ResponseStartDateTime?.getTime();
      const end = plugin.ResponseFinishDateTime?.getTime();
      if (start !== undefined && end !== undefined) intervals.push({ start, end });
    }
  }
  return intervals;
}

/** The total length of the union of the intervals: scripts running in parallel count once. */
export function unionMs(intervals: readonly ScriptInterval[]): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let total = 0;
  let current: ScriptInterval | null = null;
  for (const next of sorted) {
    if (current !== null && next.start <= current.end) {
      current = { start: current.start, end: Math.max(current.end, next.end) };
      continue;
    }
    if (current !== null) total += current.end - current.start;
    current = next;
  }
  return current === null ? total : total + current.end - current.start;
}

export function summarise(input: {
  readonly record: ExecutionRecord;
  readonly started: number;
  readonly ended: number;
  readonly scripts: readonly ScriptInterval[];
  readonly apiCalls: ReadonlyMap<string, number>;
}): DeploymentSample {
  const { record, started, ended } = input;
  const history = record.history;
  const uploadToEndMs = ended - started;
  const scriptMs = unionMs(input.scripts);
  let apiCalls = 0;
  for (const count of input.apiCalls.values()) apiCalls += count;
  const rollback = rollbackTiming(history, input.scripts);
  return {
    status: record.status,
    error: record.error ?? null,
    uploadToEndMs,
    scriptMs,
    overheadMs: uploadToEndMs - scriptMs,
    stateTransitions: history.filter((e) => e.type.endsWith('StateEntered')).length,
    lambdaInvocations: history.filter((e) => e.type === 'LambdaFunctionScheduled').length + 1,
    apiCalls,
    apiCallsByOperation: Object.fromEntries(input.apiCalls),
    scriptRuns: input.scripts.length,
    ...(rollback === null ? {} : { rollback }),
  };
}

/**
 * The rollback window: from the moment the health check's Lambda reported the failure to the
 * moment the rollback's health check reported healthy, with the time of each state in it.
 */
export function rollbackTiming(
  history: readonly HistoryEvent[],
  scripts: readonly ScriptInterval[],
): RollbackTiming | null {
  const entered = (e: HistoryEvent) => stateName(e);
  const failedAt = history.find(
    (e) =>
      e.type === 'LambdaFunctionFailed' && lastEnteredBefore(history, e) === 'CheckHealthCheck',
  )?.timestamp;
  const healthyAt = [...history]
    .reverse()
    .find(
      (e) => e.type === 'TaskStateExited' && entered(e) === 'CheckRollbackHealthCheck',
    )?.timestamp;
  if (failedAt === undefined || healthyAt === undefined) return null;
  const steps: Record<string, number> = {};
  let current: { name: string; since: number } | null = null;
  for (const event of history) {
    if (event.timestamp < failedAt || event.timestamp > healthyAt) continue;
    const name = stateName(event);
    if (name !== null && event.type.endsWith('StateEntered'))
      current = { name, since: event.timestamp };
    if (name !== null && event.type.endsWith('StateExited') && current !== null) {
      steps[current.name] = (steps[current.name] ?? 0) + event.timestamp - current.since;
      current = null;
    }
  }
  const inWindow = scripts
    .map((s) => ({ start: Math.max(s.start, failedAt), end: Math.min(s.end, healthyAt) }))
    .filter((s) => s.end > s.start);
  return { ms: healthyAt - failedAt, scriptMs: unionMs(inWindow), steps };
}

function stateName(event: HistoryEvent): string | null {
  for (const key of ['stateEnteredEventDetails', 'stateExitedEventDetails']) {
    const details = event[key] as { name?: string } | undefined;
    if (details?.name !== undefined) return details.name;
  }
  return null;
}

function lastEnteredBefore(history: readonly HistoryEvent[], event: HistoryEvent): string | null {
  let name: string | null = null;
  for (const e of history) {
    if (e === event) return name;
    if (e.type.endsWith('StateEntered')) name = stateName(e);
  }
  return name;
}
