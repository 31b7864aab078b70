import { DeleteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../core/audit-log.ts';
import type { AuditRecord } from '../../core/audit-record.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from '../helpers/local-dynamodb.ts';
import { runSignet } from '../helpers/run-signet.ts';

function record(app: string | null, execution: string): AuditRecord {
  return {
    app,
    execution,
    intent: 'redeploy',
    requestedBy: 'ops',
    source: 'manual',
    artifact: {
      version: '9.8.1',
      bucket: null,
      key: null,
      versionId: null,
      sha256: null,
      size: null,
      signer: null,
      signerType: null,
      signerLabel: null,
    },
    fromVersion: null,
    instances: [],
    checks: [],
    outcome: 'Refused',
    error: 'InputInvalid',
    cause: null,
    startedAt: '2026-12-04T10:00:00.000Z',
    finishedAt: '2026-12-04T10:00:01.000Z',
  };
}

describe('signet history and signet audit verify', () => {
  let db: LocalDynamoDb;
  let log: AuditLog;
  let env: NodeJS.ProcessEnv;

  const setRecordText = (app: string, sequence: number, text: string) =>
    db.client.send(
      new UpdateItemCommand({
        TableName: db.table,
        Key: { pk: { S: `audit#${app}` }, sk: { S: String(sequence).padStart(12, '0') } },
        UpdateExpression: 'SET #r = :r',
        ExpressionAttributeNames: { '#r': 'record' },
        ExpressionAttributeValues: { ':r': { S: text } },
      }),
    );

  beforeAll(async () => {
    db = await startLocalDynamoDb();
    log = new AuditLog(db.client, db.table);
    // The CLI's clients are made once per process, from the environment (as against AWS).
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    env = { ...process.env, SIGNET_STATE_TABLE: db.table };
  });
  afterAll(async () => db.close());

  it('verifies an intact trail and exits 0', async () => {
    for (const execution of ['a', 'b']) await log.append(record('intact', execution));

    const run = await runSignet(['audit', 'verify', 'intact'], env);

    expect(run).toMatchObject({ code: 0, out: expect.stringMatching(/^intact: 2 audit entries/) });
  });

  it('says plainly that an app with no entries has nothing to verify, and exits 1', async () => {
    const run = await runSignet(['audit', 'verify', 'nothing'], env);

    expect(run.code).toBe(1);
    expect(run.out).toBe(
      'nothing: no audit entries recorded, nothing to verify (is the name right?)',
    );
  });

  it('reports the removed newest entry and exits 1', async () => {
    // Prepare
    for (const execution of ['a', 'b', 'c']) await log.append(record('tail', execution));
    await db.client.send(
      new DeleteItemCommand({
        TableName: db.table,
        Key: { pk: { S: 'audit#tail' }, sk: { S: '000000000003' } },
      }),
    );

    // Act
    const run = await runSignet(['audit', 'verify', 'tail'], env);

    // Assess
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^tail: entry 3 is missing: the head names entry 3/);
  });

  it('names a malformed entry, lists it as unreadable and keeps appending after it', async () => {
    // Prepare: the tester's input, record = `{not json`
    for (const execution of ['a', 'b']) await log.append(record('broken', execution));
    await setRecordText('broken', 1, '{not json');

    // Act
    const verify = await runSignet(['audit', 'verify', 'broken'], env);
    const history = await runSignet(['history', 'broken'], env);
    const appended = await log.append(record('broken', 'c'));

    // Assess
    expect(verify.code).toBe(1);
    expect(verify.out).toMatch(/^broken: entry 1 is unreadable: not JSON/);
    expect(verify.err).toBe('');
    expect(history.code).toBe(0);
    expect(history.out.split('\n')).toEqual([
      'broken: newest first',
      expect.stringMatching(/^ {3}2 .* 9\.8\.1 +Refused InputInvalid/),
      expect.stringMatching(/^ {3}1 {2}unreadable entry \(not JSON/),
    ]);
    expect(appended.sequence).toBe(3);
  });

  it('shows executions whose input named no valid app with --unattributed', async () => {
    await log.append(record(null, 'arn:hostile'));

    const history = await runSignet(['history', '--unattributed'], env);
    const verify = await runSignet(['audit', 'verify', '--unattributed'], env);

    expect(history.out.split('\n')[0]).toBe('(unattributed): newest first');
    expect(history.out).toContain('InputInvalid');
    expect(verify.code).toBe(0);
  });

  it.each([
    ['an app and --unattributed', ['history', 'web', '--unattributed']],
    ['neither', ['audit', 'verify']],
  ])('refuses %s as a usage error', async (_label, argv) => {
    expect((await runSignet(argv, env)).code).toBe(2);
  });
});
