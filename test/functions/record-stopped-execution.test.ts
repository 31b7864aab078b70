import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../core/audit-log.ts';
import { UNATTRIBUTED_CHAIN } from '../../core/audit-record.ts';
import { DeploymentLock } from '../../core/deployment-lock.ts';
import {
  type ExecutionStatusChange,
  isStatusChange,
  recordStoppedExecution,
} from '../../functions/record-outcome/stopped-execution.ts';
import { stoppedRecord } from '../../functions/record-outcome/stopped-record.ts';
import { testTools } from '../helpers/handler-tools.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from '../helpers/local-dynamodb.ts';

const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:signet-deploy';
const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:signet-deploy:';
const STARTED = new Date('2026-12-04T10:00:00.123Z');
const STOPPED = new Date('2026-12-04T10:03:00.000Z');

function statusEvent(name: string, status = 'ABORTED'): ExecutionStatusChange {
  return {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: { executionArn: `${EXECUTION}${name}`, status },
  };
}

function described(
  name: string,
  input: unknown,
  status: DescribeExecutionCommandOutput['status'] = 'ABORTED',
): Partial<DescribeExecutionCommandOutput> {
  return {
    executionArn: `${EXECUTION}${name}`,
    stateMachineArn: MACHINE,
    status,
    input: JSON.stringify(input),
    startDate: STARTED,
    stopDate: STOPPED,
  };
}

describe('record-outcome for a stopped execution', () => {
  const sfn = mockClient(SFNClient);
  const events = mockClient(EventBridgeClient);
  let db: LocalDynamoDb;
  let auditLog: AuditLog;
  let lock: DeploymentLock;
  const handler = recordStoppedExecution({
    auditLog: () => auditLog,
    lock: () => lock,
    sfn: () => new SFNClient({ region: 'us-east-1' }),
    eventBridge: () => new EventBridgeClient({ region: 'us-east-1' }),
    eventBusName: () => 'default',
    now: () => STOPPED,
  });

  beforeAll(async () => {
    db = await startLocalDynamoDb();
    auditLog = new AuditLog(db.client, db.table);
    lock = new DeploymentLock({
      dynamodb: db.client,
      sfn: new SFNClient({ region: 'us-east-1' }),
      table: db.table,
      leaseSeconds: 600,
    });
  });
  afterAll(async () => db.close());
  beforeEach(() => {
    sfn.reset();
    events.reset();
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  });

  it('recognises the status event and nothing else', () => {
    expect(isStatusChange(statusEvent('x'))).toBe(true);
    expect(isStatusChange({ state: {}, execution: 'arn', startedAt: null })).toBe(false);
  });

  it.each([
    ['ABORTED', 'was stopped (StopExecution or the console) before it finished'],
    ['TIMED_OUT', "ran past the state machine's TimeoutSeconds"],
  ] as const)('writes one ExecutionStopped entry for an execution %s', async (status, how) => {
    // Prepare: the execution holds web's lock
    const name = `web-${status}`;
    sfn
      .on(DescribeExecutionCommand)
      .resolves(described(name, { app: 'web', version: '1.4.0' }, status));
    await lock.acquire('web', `${EXECUTION}${name}`);

    // Act
    const result = await handler(statusEvent(name, status), testTools());

    // Assess
    expect(result).toMatchObject({ recorded: true, lockReleased: true });
    expect(await lock.holder('web')).toBeNull();
    const mine = (await auditLog.all('web')).filter((e) => e.record.execution.endsWith(name));
    expect(mine.map((e) => e.record)).toEqual([
      expect.objectContaining({
        app: 'web',
        intent: 'redeploy',
        outcome: 'Failed',
        error: 'ExecutionStopped',
        cause: `The execution ${how} (${status})`,
        startedAt: STARTED.toISOString(),
        finishedAt: STOPPED.toISOString(),
        artifact: expect.objectContaining({ version: '1.4.0' }),
      }),
    ]);
    const sent = events.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.[0]);
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]?.Detail ?? '{}')).toMatchObject({
      app: 'web',
      version: '1.4.0',
      outcome: 'Failed',
      error: 'ExecutionStopped',
    });
  });

  it('writes and alerts once when the event is delivered twice', async () => {
    // Prepare
    sfn.on(DescribeExecutionCommand).resolves(described('twice', { app: 'api', version: '2.0.0' }));

    // Act
    const first = await handler(statusEvent('twice'), testTools());
    const again = await handler(statusEvent('twice'), testTools());

    // Assess
    expect([first.recorded, again.recorded]).toEqual([true, false]);
    expect(again.auditSequence).toBe(first.auditSequence);
    expect(await auditLog.all('api')).toHaveLength(1);
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('adds no entry when the run already recorded its outcome before it was stopped', async () => {
    // Prepare: RecordOutcome wrote the entry (its start time a few ms after startDate locally)
    sfn.on(DescribeExecutionCommand).resolves(described('late', { app: 'late', version: '1.0.0' }));
    const written = await auditLog.append({
      ...stoppedRecordOf('late'),
      outcome: 'Succeeded',
      error: null,
      cause: null,
      startedAt: new Date(STARTED.getTime() + 3).toISOString(),
    });

    // Act
    const result = await handler(statusEvent('late'), testTools());

    // Assess
    expect(result).toMatchObject({ recorded: false, auditSequence: written.sequence });
    expect(await auditLog.all('late')).toHaveLength(1);
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('keeps the lock of another execution', async () => {
    // Prepare
    sfn
      .on(DescribeExecutionCommand)
      .resolves(described('loser', { app: 'held', version: '1.0.0' }));
    await lock.acquire('held', `${EXECUTION}someone-else`);

    // Act
    const result = await handler(statusEvent('loser'), testTools());

    // Assess
    expect(result.lockReleased).toBe(false);
    expect((await lock.holder('held'))?.owner).toBe(`${EXECUTION}someone-else`);
  });

  it('audits an input naming no valid app in the unattributed chain', async () => {
    sfn.on(DescribeExecutionCommand).resolves(described('hostile', { app: '../etc' }));
    const result = await handler(statusEvent('hostile'), testTools());
    expect(result.recorded).toBe(true);
    const [entry] = await auditLog.all(UNATTRIBUTED_CHAIN);
    expect(entry?.record).toMatchObject({ app: null, error: 'ExecutionStopped' });
  });

  it('records nothing for an execution that did not stop', async () => {
    sfn.on(DescribeExecutionCommand).resolves(described('ran', { app: 'web' }, 'SUCCEEDED'));
    const result = await handler(statusEvent('ran'), testTools());
    expect(result).toEqual({ recorded: false, auditSequence: null, lockReleased: false });
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  function stoppedRecordOf(name: string) {
    return stoppedRecord(
      {
        executionArn: `${EXECUTION}${name}`,
        status: 'ABORTED',
        input: JSON.stringify({ app: name, version: '1.0.0' }),
        startDate: STARTED,
        stopDate: STOPPED,
        error: null,
        cause: null,
      },
      STOPPED,
    );
  }
});
