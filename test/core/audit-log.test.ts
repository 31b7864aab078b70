import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, verifyChain, verifyTrail } from '../../core/audit-log.ts';
import { type AuditRecord, UNATTRIBUTED_CHAIN } from '../../core/audit-record.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from '../helpers/local-dynamodb.ts';

function record(
  app: string | null,
  execution: string,
  outcome: AuditRecord['outcome'] = 'Succeeded',
): AuditRecord {
  return {
    app,
    execution,
    intent: 'release',
    requestedBy: '123456789012',
    source: 'eventbridge',
    artifact: {
      version: '1.0.0',
      bucket: 'artifacts',
      key: app === null ? null : `releases/${app}/${app}-1.0.0.tar.gz`,
      versionId: 'v1',
      sha256: 'a'.repeat(64),
      size: 10,
      signer: 'F'.repeat(40),
      signerType: 'openpgp',
      signerLabel: 'ci',
    },
    fromVersion: null,
    instances: ['i-0123456789abcdef0'],
    checks: [{ name: 'signature', result: 'passed' }],
    outcome,
    error: outcome === 'Succeeded' ? null : 'HealthCheckFailed',
    cause: null,
    startedAt: '2026-12-04T10:00:00.000Z',
    finishedAt: '2026-12-04T10:01:00.000Z',
  };
}

describe('AuditLog', () => {
  let db: LocalDynamoDb;
  let log: AuditLog;

  beforeAll(async () => {
    db = await startLocalDynamoDb();
    log = new AuditLog(db.client, db.table);
  });
  afterAll(async () => db.close());

  it('chains each entry to the one before and verifies clean', async () => {
    // Act
    const first = await log.append(record('chain', 'exec-1'));
    const second = await log.append(record('chain', 'exec-2', 'RolledBack'));

    // Assess
    expect(first.sequence).toBe(1);
    expect(second.sequence).toBe(2);
    expect(second.previousHash).toBe(first.hash);
    expect(verifyChain(await log.all('chain'))).toEqual([]);
  });

  it('writes one entry per execution however often it is asked', async () => {
    const first = await log.append(record('once', 'exec-1'));
    const again = await log.append(record('once', 'exec-1'));
    expect(again).toEqual(first);
    expect(await log.all('once')).toHaveLength(1);
  });

  it('keeps one unbroken chain under concurrent appends', async () => {
    await Promise.all(Array.from({ length: 6 }, (_, i) => log.append(record('busy', `exec-${i}`))));
    const entries = await log.all('busy');
    expect(entries.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(verifyChain(entries)).toEqual([]);
  });

  it('detects an entry edited in the table', async () => {
    // Prepare
    await log.append(record('edited', 'exec-1'));
    await log.append(record('edited', 'exec-2'));
    const [first] = await log.all('edited');
    if (first === undefined) throw new Error('no entry');
    const forged = { ...first.record, outcome: 'Succeeded', error: null, requestedBy: 'mallory' };

    // Act: rewrite the stored record but keep its old hash, as an attacker with table access would
    await db.client.send(
      new PutItemCommand({
        TableName: db.table,
        Item: {
          pk: { S: 'audit#edited' },
          sk: { S: '000000000001' },
          sequence: { N: '1' },
          previousHash: { S: first.previousHash },
          hash: { S: first.hash },
          execution: { S: first.record.execution },
          record: { S: JSON.stringify(forged) },
        },
      }),
    );

    // Assess
    expect(verifyChain(await log.all('edited'))).toEqual([
      { sequence: 1, problem: 'content does not match its hash' },
    ]);
  });

  it('detects a deleted entry', async () => {
    for (const execution of ['a', 'b', 'c']) await log.append(record('gap', execution));
    const entries = await log.all('gap');
    const problems = verifyChain([entries[0], entries[2]].filter((e) => e !== undefined));
    expect(problems.map((p) => p.problem)).toContain('does not link to the entry before');
  });
});

describe('AuditLog under faults found on the local stack', () => {
  let db: LocalDynamoDb;
  let log: AuditLog;

  beforeAll(async () => {
    db = await startLocalDynamoDb();
    log = new AuditLog(db.client, db.table);
  });
  afterAll(async () => db.close());

  it('keeps every entry of 50 concurrent appends for one app', async () => {
    // Act
    const appended = await Promise.all(
      Array.from({ length: 50 }, (_, i) => log.append(record('burst', `exec-${i}`))),
    );

    // Assess
    const entries = await log.all('burst');
    expect(entries.map((e) => e.sequence)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(appended.map((e) => e.sequence)).size).toBe(50);
    expect(verifyChain(entries)).toEqual([]);
  }, 60_000);

  it('writes a new entry for a reused execution name that started at another time', async () => {
    // Prepare: the same execution ARN, run again 90 days later
    const first = await log.append(record('reused', 'arn:exec:web-9_8_1'));

    // Act
    const second = await log.append({
      ...record('reused', 'arn:exec:web-9_8_1'),
      startedAt: '2027-03-04T10:00:00.000Z',
    });

    // Assess
    expect(second.sequence).toBe(2);
    expect(second.previousHash).toBe(first.hash);
    expect(await log.all('reused')).toHaveLength(2);
  });

  it('returns the entry of a retried run even after many other entries', async () => {
    // Prepare
    const first = await log.append(record('retried', 'exec-retried'));
    for (let i = 0; i < 30; i += 1) await log.append(record('retried', `exec-${i}`));

    // Act
    const again = await log.append(record('retried', 'exec-retried'));

    // Assess
    expect(again).toEqual(first);
    expect(await log.all('retried')).toHaveLength(31);
  });

  it('names the run, app and version when the retry budget runs out', async () => {
    // Prepare: before each conditional put of the doomed writer, another writer takes the sequence
    await log.append(record('lost', 'first'));
    const racing = new AuditLog(db.client, db.table, {
      retry: { attempts: 3 },
      sleep: async () => undefined,
    });
    // Each attempt of the loser reads the tail, then a winner writes before its put.
    const send = db.client.send.bind(db.client);
    let puts = 0;
    const client = {
      send: async (command: Parameters<typeof send>[0]) => {
        if (command instanceof PutItemCommand && command.input.ConditionExpression) {
          puts += 1;
          await racing.append(record('lost', `winner-${puts}`));
        }
        return send(command);
      },
    } as unknown as typeof db.client;
    const doomed = new AuditLog(client, db.table, {
      retry: { attempts: 3 },
      sleep: async () => undefined,
    });

    // Act
    const error = await doomed.append(record('lost', 'exec-9.8.3')).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({
      name: 'AuditWriteFailed',
      details: { app: 'lost', version: '1.0.0', execution: 'exec-9.8.3', attempts: 3 },
    });
    expect(String((error as Error).message)).toContain('exec-9.8.3');
  });

  it('reports a chain whose newest entry was removed', async () => {
    // Prepare
    for (const execution of ['a', 'b', 'c']) await log.append(record('truncated', execution));
    await db.client.send(
      new DeleteItemCommand({
        TableName: db.table,
        Key: { pk: { S: 'audit#truncated' }, sk: { S: '000000000003' } },
      }),
    );

    // Act
    const report = verifyTrail(await log.entries('truncated'), await log.head('truncated'));

    // Assess
    expect(verifyChain(await log.entries('truncated'))).toEqual([]);
    expect(report.problems).toEqual([
      {
        sequence: 3,
        problem:
          'is missing: the head names entry 3 but the chain ends at 2, so entries were ' +
          'removed from the end',
      },
    ]);
  });

  it('reports a chain with every entry removed, and a chain that never had one', async () => {
    // Prepare
    await log.append(record('emptied', 'a'));
    await db.client.send(
      new DeleteItemCommand({
        TableName: db.table,
        Key: { pk: { S: 'audit#emptied' }, sk: { S: '000000000001' } },
      }),
    );

    // Act
    const emptied = verifyTrail(await log.entries('emptied'), await log.head('emptied'));
    const never = verifyTrail(await log.entries('never'), await log.head('never'));

    // Assess
    expect(emptied.problems.map((p) => p.sequence)).toEqual([1]);
    expect(never).toEqual({ entries: 0, problems: [], unanchored: 0 });
  });

  it('reports a head that was moved back, leaving the newest entry unanchored', async () => {
    // Prepare
    for (const execution of ['a', 'b']) await log.append(record('moved', execution));
    const [first] = await log.entries('moved');
    await db.client.send(
      new UpdateItemCommand({
        TableName: db.table,
        Key: { pk: { S: 'audit-head#moved' }, sk: { S: 'head' } },
        UpdateExpression: 'SET #s = :s, #h = :h',
        ExpressionAttributeNames: { '#s': 'sequence', '#h': 'hash' },
        ExpressionAttributeValues: { ':s': { N: '1' }, ':h': { S: first?.hash ?? '' } },
      }),
    );

    // Act
    const report = verifyTrail(await log.entries('moved'), await log.head('moved'));

    // Assess
    expect(report).toEqual({ entries: 2, problems: [], unanchored: 1 });
  });

  it('reads a malformed record as unreadable, verifies around it and appends after it', async () => {
    // Prepare: the tester's exact input, record = `{not json`
    for (const execution of ['a', 'b']) await log.append(record('malformed', execution));
    const [, second] = await log.entries('malformed');
    await db.client.send(
      new UpdateItemCommand({
        TableName: db.table,
        Key: { pk: { S: 'audit#malformed' }, sk: { S: '000000000002' } },
        UpdateExpression: 'SET #r = :r',
        ExpressionAttributeNames: { '#r': 'record' },
        ExpressionAttributeValues: { ':r': { S: '{not json' } },
      }),
    );

    // Act
    const appended = await log.append(record('malformed', 'c'));
    const entries = await log.entries('malformed');

    // Assess
    expect(appended).toMatchObject({ sequence: 3, previousHash: second?.hash });
    expect(entries.map((e) => e.record === null)).toEqual([false, true, false]);
    expect(verifyTrail(entries, await log.head('malformed')).problems).toEqual([
      { sequence: 2, problem: expect.stringMatching(/^is unreadable: not JSON/) },
    ]);
  });

  it('keeps inputs that name no app in a chain no app can have', async () => {
    // Act
    const entry = await log.append(record(null, 'exec-unnamed'));

    // Assess
    expect(entry.sequence).toBe(1);
    expect(await log.all(UNATTRIBUTED_CHAIN)).toEqual([entry]);
    expect(await log.all('unknown')).toEqual([]);
  });
});
