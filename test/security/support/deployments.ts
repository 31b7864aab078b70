import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { AuditLog } from '../../../core/audit-log.ts';
import type { AuditEntry } from '../../../core/audit-record.ts';
import type { DeploymentEventDetail } from '../../../core/deployment-events.ts';
import { executionArnFor, executionNameForObject } from '../../../core/execution-name.ts';
import type { ReleaseRecord } from '../../../core/release-record.ts';
import { countCommandsSent } from '../../../local/demo/commands-sent.ts';
import type { LocalStack } from '../../../local/stack/options.ts';
import type { ExecutionRecord } from '../../../local/stepfunctions/execution-record.ts';
import type { SecurityStack } from './security-stack.ts';

/** Waits for the execution an upload starts (named after the object version) to exist. */
export async function waitForUpload(
  stack: LocalStack,
  release: { readonly app: string; readonly version: string },
  upload: { bucket: string; key: string; versionId: string | null; etag: string },
): Promise<ExecutionRecord> {
  const arn = executionArnFor(stack.stateMachineArn, executionNameForObject(release, upload));
  return waitForExecution(stack, arn);
}

export async function waitForExecution(stack: LocalStack, arn: string): Promise<ExecutionRecord> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = stack.stepFunctions.executions().find((e) => e.executionArn === arn);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no execution ${arn} started`);
    await stack.idle();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A Signet event on the local bus, as an alert rule would receive it. */
export interface SignetEvent {
  readonly source: string;
  readonly 'detail-type': string;
  readonly resources: readonly string[];
  readonly detail: DeploymentEventDetail;
}

export async function busEvents(stack: LocalStack): Promise<SignetEvent[]> {
  const text = await readFile(stack.paths.events, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SignetEvent);
}

export async function signetEventsFor(stack: LocalStack, arn: string): Promise<SignetEvent[]> {
  return (await busEvents(stack)).filter(
    (event) => event.source === 'signet' && event.resources.includes(arn),
  );
}

export async function auditEntries(h: SecurityStack, app: string): Promise<AuditEntry[]> {
  return new AuditLog(h.dynamodb, h.stack.env['SIGNET_STATE_TABLE'] ?? 'signet-state').all(app);
}

/** What must not change when a release is refused: commands sent and the release record. */
export interface Snapshot {
  readonly app: string;
  readonly commands: number;
  readonly record: ReleaseRecord;
  readonly auditLength: number;
}

export async function snapshot(h: SecurityStack, app: string): Promise<Snapshot> {
  return {
    app,
    commands: await countCommandsSent(h.ssm),
    record: await h.releaseRecord(app),
    auditLength: (await auditEntries(h, app)).length,
  };
}

export interface FailClosed {
  readonly alert: SignetEvent;
  readonly audit: AuditEntry;
}

/**
 * The fail-closed contract: the execution failed with the named error, one alert on the bus
 * says so, exactly one audit entry records the refusal, no command reached an instance (unless
 * `commandsAllowed`: the host is the one that catches it) and the release record is unchanged.
 */
export async function expectFailClosed(
  h: SecurityStack,
  before: Snapshot,
  execution: ExecutionRecord,
  expected: { readonly error: string; readonly outcome?: string; readonly commandsAllowed?: true },
): Promise<FailClosed> {
  const outcome = expected.outcome ?? 'Refused';
  expect({ status: execution.status, error: execution.error }).toEqual({
    status: 'FAILED',
    error: expected.error,
  });

  const events = await signetEventsFor(h.stack, execution.executionArn);
  expect(events.map((e) => [e['detail-type'], e.detail.outcome, e.detail.error])).toEqual([
    [
      expect.stringMatching(/^Signet (Release Refused|Deployment Failed)$/),
      outcome,
      expected.error,
    ],
  ]);

  const entries = await auditEntries(h, before.app);
  const mine = entries.filter((e) => e.record.execution === execution.executionArn);
  expect(mine.map((e) => [e.record.outcome, e.record.error])).toEqual([[outcome, expected.error]]);
  expect(entries).toHaveLength(before.auditLength + 1);

  if (expected.commandsAllowed === undefined) {
    expect(await countCommandsSent(h.ssm)).toBe(before.commands);
  }
  expect(await h.releaseRecord(before.app)).toEqual(before.record);
  return { alert: events[0] as SignetEvent, audit: mine[0] as AuditEntry };
}

/** A deployment that succeeded, with its success event and one audit entry. */
export async function expectDeployed(
  h: SecurityStack,
  app: string,
  execution: ExecutionRecord,
  version: string,
): Promise<void> {
  expect({ status: execution.status, error: execution.error, cause: execution.cause }).toEqual({
    status: 'SUCCEEDED',
    error: undefined,
    cause: undefined,
  });
  expect((await h.releaseRecord(app)).current?.version).toBe(version);
  const mine = (await auditEntries(h, app)).filter(
    (e) => e.record.execution === execution.executionArn,
  );
  expect(mine.map((e) => e.record.outcome)).toEqual(['Succeeded']);
}

/** How many uploads start-deployment has logged as not a release (and started nothing for). */
export async function ignoredUploads(h: SecurityStack): Promise<number> {
  const logs = await readFile(h.stack.paths.lambdaLogs, 'utf8').catch(() => '');
  return logs.split('\n').filter((line) => line.includes('"not a release, nothing started"'))
    .length;
}

/** Waits until an execution's history shows it entered the Task state `state`. */
export async function waitForState(
  history: readonly { readonly type: string }[],
  state: string,
): Promise<void> {
  const deadline = Date.now() + 20_000;
  const entered = () =>
    history.some((e) => e.type === 'TaskStateEntered' && JSON.stringify(e).includes(`"${state}"`));
  while (!entered()) {
    if (Date.now() > deadline) throw new Error(`the execution never reached ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
