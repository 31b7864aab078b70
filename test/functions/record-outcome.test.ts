import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../core/audit-log.ts';
import { type Outcome, UNATTRIBUTED_CHAIN } from '../../core/audit-record.ts';
import type { CommandPhase } from '../../core/command-phase.ts';
import type { CommandState } from '../../core/command-state.ts';
import type { DeploymentRequest } from '../../core/deployment-request.ts';
import type { DeploymentState } from '../../core/deployment-state.ts';
import type { DeployedRelease } from '../../core/release-record.ts';
import type { VerifiedRelease } from '../../core/verified-release.ts';
import { recordOutcome } from '../../functions/record-outcome/handler.ts';
import { testTools } from '../helpers/handler-tools.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from '../helpers/local-dynamodb.ts';

const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:signet-deploy:';
const STARTED = '2026-12-04T10:00:00.000Z';
const FINISHED = '2026-12-04T10:05:00.000Z';
const SHA = 'a'.repeat(64);

// Every key of an audit record and of its artifact: a key missing from the stored JSON was
// undefined when it was written (canonical JSON drops undefined).
const RECORD_KEYS = [
  'app',
  'artifact',
  'cause',
  'checks',
  'error',
  'execution',
  'finishedAt',
  'fromVersion',
  'instances',
  'intent',
  'outcome',
  'requestedBy',
  'source',
  'startedAt',
];
const ARTIFACT_KEYS = [
  'bucket',
  'key',
  'sha256',
  'signer',
  'signerLabel',
  'signerType',
  'size',
  'version',
  'versionId',
];
const SUMMARY_KEYS = [
  'app',
  'auditSequence',
  'cause',
  'error',
  'executionCause',
  'fromVersion',
  'instances',
  'severity',
  'status',
  'summary',
  'version',
];

const lambdaCause = (error: string, message: string) =>
  JSON.stringify({ errorType: error, errorMessage: message, trace: [] });

function deployed(app: string, version: string): DeployedRelease {
  return {
    version,
    bucket: 'artifacts',
    key: `releases/${app}/${app}-${version}.tar.gz`,
    versionId: `v-${version}`,
    etag: `etag-${version}`,
    sha256: 'c'.repeat(64),
    signer: 'F'.repeat(40),
    signatureKey: null,
    signatureVersionId: null,
    deployedAt: '2026-12-01T09:00:00.000Z',
    execution: `${EXECUTION}earlier`,
  };
}

/** The state an execution of `app` 2.0.0 carries after each stage, up to where it stopped. */
function stateOf(app: string, stage: 'locked' | 'rolling-out' | 'recorded', from: string | null) {
  const request: DeploymentRequest = {
    app,
    version: '2.0.0',
    bucket: 'artifacts',
    key: `releases/${app}/${app}-2.0.0.tar.gz`,
    versionId: 'v-2.0.0',
    etag: 'etag-2.0.0',
    intent: 'release',
    requestedBy: 'arn:aws:iam::000000000000:user/ci',
    source: 'eventbridge',
    expectedSha256: null,
    signature: null,
  };
  const lock = { app, owner: `${EXECUTION}${app}`, acquiredAt: STARTED, expiresAt: FINISHED };
  if (stage === 'locked') return { request, lock };
  const artifact: VerifiedRelease = {
    app,
    version: '2.0.0',
    bucket: 'artifacts',
    key: request.key,
    versionId: 'v-2.0.0',
    etag: 'etag-2.0.0',
    sha256: SHA,
    size: 2048,
    signer: {
      type: 'openpgp',
      label: 'ci',
      fingerprint: 'F'.repeat(40),
      keyId: 'F'.repeat(16),
      userIds: ['CI <ci@example.test>'],
      signedAt: STARTED,
    },
    signatureKey: `${request.key}.sig`,
    signatureVersionId: null,
  };
  const plan = {
    batches: [['i-00000000000000001', 'i-00000000000000002'], ['i-00000000000000003']],
    batchCount: 2,
    instanceCount: 3,
    excluded: [],
    rollbackTarget: from === null ? null : deployed(app, from),
  };
  const rolling = { request, lock, artifact, plan, rollout: { batchIndex: 0 } };
  if (stage === 'rolling-out') return rolling;
  return {
    ...rolling,
    rollout: { batchIndex: 1 },
    command: command(app, 'health', 1),
    record: {
      app,
      current: deployed(app, '2.0.0'),
      previous: from ? deployed(app, from) : null,
      highestVersion: '2.0.0',
    },
  };
}

function command(app: string, phase: CommandPhase, batchIndex: number): CommandState {
  return {
    phase,
    app,
    version: '2.0.0',
    commands: [{ commandId: `command-${batchIndex}`, instanceIds: ['i-00000000000000001'] }],
    sentAt: STARTED,
    deadline: FINISHED,
    waitSeconds: 2,
    maxWaitSeconds: 15,
    polls: 3,
    done: true,
  };
}

interface Case {
  readonly label: string;
  /** The audit chain the entry goes to: the app's, or the unattributed one. */
  readonly app: string;
  readonly state: DeploymentState & Record<string, unknown>;
  readonly outcome: Outcome;
  readonly error: string | null;
  readonly cause: string | null;
  readonly summary: string;
  readonly instances: number;
}

const CASES: readonly Case[] = [
  {
    label: 'success',
    app: 'success',
    state: stateOf('success', 'recorded', '1.0.0'),
    outcome: 'Succeeded',
    error: null,
    cause: null,
    summary: 'success 2.0.0 is live on 3 instance(s)',
    instances: 3,
  },
  {
    label: 'a refusal at verification',
    app: 'refused',
    state: {
      ...stateOf('refused', 'locked', null),
      failure: { Error: 'SignatureInvalid', Cause: lambdaCause('SignatureInvalid', 'bad sig') },
    },
    outcome: 'Refused',
    error: 'SignatureInvalid',
    cause: 'bad sig',
    summary: 'refused 2.0.0 was refused (SignatureInvalid); no instance was touched',
    instances: 0,
  },
  {
    label: 'a failed health check rolled back',
    app: 'rolled-back',
    state: {
      ...stateOf('rolled-back', 'rolling-out', '1.0.0'),
      command: command('rolled-back', 'rollback-health', 0),
      failure: { Error: 'HealthCheckFailed', Cause: lambdaCause('HealthCheckFailed', '503') },
      rollback: { status: 'RolledBack' },
    },
    outcome: 'RolledBack',
    error: 'HealthCheckFailed',
    cause: '503',
    summary: 'rolled-back 2.0.0 failed (HealthCheckFailed); 2 instance(s) rolled back to 1.0.0',
    instances: 2,
  },
  {
    label: 'a rollback that failed too',
    app: 'rollback-failed',
    state: {
      ...stateOf('rollback-failed', 'rolling-out', '1.0.0'),
      command: command('rollback-failed', 'rollback', 0),
      failure: { Error: 'InstallFailed', Cause: lambdaCause('InstallFailed', 'hook exit 1') },
      rollbackFailure: { Error: 'RollbackFailed', Cause: lambdaCause('RollbackFailed', 'gone') },
    },
    outcome: 'RollbackFailed',
    error: 'RollbackFailed',
    cause: 'hook exit 1; then: gone',
    summary:
      'rollback-failed 2.0.0 failed (InstallFailed) and rolling back to 1.0.0 failed: ' +
      'a person is needed',
    instances: 2,
  },
  {
    label: 'a first release that failed with nothing to roll back to',
    app: 'first-failed',
    state: {
      ...stateOf('first-failed', 'rolling-out', null),
      command: command('first-failed', 'install', 0),
      failure: { Error: 'InstallFailed', Cause: lambdaCause('InstallFailed', 'hook exit 1') },
    },
    outcome: 'Failed',
    error: 'InstallFailed',
    cause: 'hook exit 1',
    summary: 'first-failed 2.0.0 failed (InstallFailed); nothing to roll back to on 2 instance(s)',
    instances: 2,
  },
  {
    label: 'a deployment whose record was not written',
    app: 'not-recorded',
    state: {
      ...stateOf('not-recorded', 'rolling-out', '1.0.0'),
      rollout: { batchIndex: 1 },
      command: command('not-recorded', 'health', 1),
      failure: { Error: 'RecordWriteFailed', Cause: lambdaCause('RecordWriteFailed', 'denied') },
    },
    outcome: 'DeployedNotRecorded',
    error: 'RecordWriteFailed',
    cause: 'denied',
    summary:
      'not-recorded 2.0.0 is live but its release record was not written: fix the record by hand',
    instances: 3,
  },
  {
    label: 'an invalid input, with no request at all',
    app: UNATTRIBUTED_CHAIN,
    // NormalizeInput's Catch keeps the raw input beside the failure.
    state: {
      bogus: true,
      failure: { Error: 'InputInvalid', Cause: lambdaCause('InputInvalid', 'no app') },
    },
    outcome: 'Refused',
    error: 'InputInvalid',
    cause: 'no app',
    summary: 'unknown app was refused (InputInvalid); no instance was touched',
    instances: 0,
  },
];

function expectNoUndefined(value: unknown, path = '$'): void {
  expect(value, path).not.toBeUndefined();
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) expectNoUndefined(child, `${path}.${key}`);
  }
}

describe('record-outcome', () => {
  let db: LocalDynamoDb;
  let auditLog: AuditLog;
  const handler = recordOutcome({ auditLog: () => auditLog, now: () => new Date(FINISHED) });

  const storedItems = async (app: string) =>
    (
      await db.client.send(
        new QueryCommand({
          TableName: db.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: `audit#${app}` } },
        }),
      )
    ).Items ?? [];

  beforeAll(async () => {
    db = await startLocalDynamoDb();
    auditLog = new AuditLog(db.client, db.table);
  });
  afterAll(async () => db.close());

  it.each(CASES)('writes one complete audit entry for $label', async (c) => {
    // Prepare
    const execution = `${EXECUTION}${c.label.replaceAll(' ', '-')}`;

    // Act
    const result = await handler({ state: c.state, execution, startedAt: STARTED }, testTools());

    // Assess
    expect(result).toMatchObject({
      status: c.outcome,
      error: c.error,
      cause: c.cause,
      summary: c.summary,
      instances: c.instances,
      auditSequence: 1,
    });
    expect(Object.keys(result).sort()).toEqual(SUMMARY_KEYS);
    expectNoUndefined(result);

    const items = await storedItems(c.app);
    expect(items).toHaveLength(1);
    const stored = JSON.parse(items[0]?.['record']?.S ?? '{}') as Record<string, unknown>;
    expect(Object.keys(stored).sort()).toEqual(RECORD_KEYS);
    expect(Object.keys(stored['artifact'] as object).sort()).toEqual(ARTIFACT_KEYS);
    expectNoUndefined(stored);
    expect(stored).toMatchObject({
      app: c.app === UNATTRIBUTED_CHAIN ? null : c.app,
      execution,
      outcome: c.outcome,
      error: c.error,
      cause: c.cause,
      startedAt: STARTED,
      finishedAt: FINISHED,
    });
    expect(stored['instances']).toHaveLength(c.instances);
  });

  it('writes no second entry when called again for the same execution', async () => {
    // Prepare
    const event = {
      state: stateOf('twice', 'recorded', '1.0.0'),
      execution: `${EXECUTION}twice`,
      startedAt: STARTED,
    };
    const first = await handler(event, testTools());

    // Act
    const second = await handler(event, testTools());

    // Assess
    expect(second).toEqual(first);
    expect(await storedItems('twice')).toHaveLength(1);
  });

  it('chains the next execution of the same app after the first', async () => {
    // Prepare
    const state = stateOf('chained', 'recorded', '1.0.0');
    await handler({ state, execution: `${EXECUTION}chained-1`, startedAt: STARTED }, testTools());

    // Act
    const next = await handler(
      { state, execution: `${EXECUTION}chained-2`, startedAt: STARTED },
      testTools(),
    );

    // Assess
    expect(next.auditSequence).toBe(2);
    expect(await storedItems('chained')).toHaveLength(2);
  });

  it('audits every one of 16 refusals started at once for one app', async () => {
    // Prepare: the tester's burst, {"app":"web","version":"9.8.<i>"} each refused
    const runs = Array.from({ length: 16 }, (_, i) => ({
      state: {
        rejected: {
          app: 'burst',
          version: `9.8.${i}`,
          intent: 'redeploy' as const,
          requestedBy: null,
        },
        failure: { Error: 'InputInvalid', Cause: lambdaCause('InputInvalid', 'no such version') },
      },
      execution: `${EXECUTION}burst-9_8_${i}`,
      startedAt: STARTED,
    }));

    // Act
    const results = await Promise.all(runs.map((run) => handler(run, testTools())));

    // Assess
    expect(results.map((r) => r.error)).toEqual(runs.map(() => 'InputInvalid'));
    expect(results.map((r) => r.auditSequence).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      runs.map((_, i) => i + 1),
    );
    expect(await storedItems('burst')).toHaveLength(16);
  }, 30_000);

  it('writes a new entry for a run that reuses an earlier execution name', async () => {
    // Prepare: after a local restart (or 90 days in AWS) the same name runs again
    const state = stateOf('reused', 'recorded', '1.0.0');
    const execution = `${EXECUTION}reused`;
    const first = await handler({ state, execution, startedAt: STARTED }, testTools());

    // Act
    const later = await handler(
      { state, execution, startedAt: '2027-03-04T10:00:00.000Z' },
      testTools(),
    );

    // Assess
    expect([first.auditSequence, later.auditSequence]).toEqual([1, 2]);
    expect(await storedItems('reused')).toHaveLength(2);
  });

  it.each([
    {
      label: 'a deployment that went live',
      state: stateOf('unaudited', 'recorded', '1.0.0'),
      status: 'DeployedNotRecorded',
      summary: /^unaudited 2\.0\.0 is live on 3 instance\(s\); its audit entry could not be/,
    },
    {
      label: 'a refusal',
      state: {
        ...stateOf('unaudited', 'locked', null),
        failure: { Error: 'SignatureInvalid', Cause: lambdaCause('SignatureInvalid', 'bad') },
      },
      status: 'Refused',
      summary: /^unaudited 2\.0\.0 was refused \(SignatureInvalid\).*could not be written/,
    },
  ])('names app and version when the audit entry of $label cannot be written', async (c) => {
    // Prepare: a table that refuses every write
    const failing = recordOutcome({
      auditLog: () =>
        ({
          append: async () => {
            throw new Error('AccessDeniedException: not allowed');
          },
        }) as unknown as AuditLog,
      now: () => new Date(FINISHED),
    });

    // Act
    const result = await failing(
      { state: c.state, execution: `${EXECUTION}unaudited`, startedAt: STARTED },
      testTools(),
    );

    // Assess
    expect(result).toMatchObject({
      status: c.status,
      error: 'AuditWriteFailed',
      app: 'unaudited',
      version: '2.0.0',
      severity: 'critical',
      auditSequence: null,
      summary: expect.stringMatching(c.summary),
    });
    expect(result.executionCause).toContain('AccessDeniedException: not allowed');
  });
});
