import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, verifyChain } from '../../core/audit-log.ts';
import type { AuditRecord } from '../../core/audit-record.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from '../helpers/local-dynamodb.ts';

function record(
  app: string,
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
      key: `releases/${app}/${app}-1.0.0.tar.gz`,
      versionId: 'v1',
      sha256: 'a'.repeat(64),
      size: 10,
      signer: 'F'.repeat(40),
      signerType: 'openpgp',
      signerLabel: 'ci',
    },
    fromVersion: null,
    instances: ['i-0123456789abcdef0'],
    checks: [{ name: 'verification', result: 'passed' }],
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
