import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../core/audit-log.ts';
import { freePort } from '../../local/stack/free-port.ts';
import { startLocalStack } from '../../local/stack/local-stack.ts';
import type { LocalStack } from '../../local/stack/options.ts';
import { runSignet } from '../helpers/run-signet.ts';

// The audit trail on the local stack, with the inputs a tester broke it with.
describe('the audit trail on the local stack', () => {
  let work: string;
  let stack: LocalStack;
  let dynamodb: DynamoDBClient;
  const trail = () => new AuditLog(dynamodb, 'signet-state');
  // Fixed ports, so the handlers' SDK clients (made once per process, as in a Lambda) reach the
  // restarted stack as they would a new process's.
  let ports: { s3: number; controlPlane: number; dynamodb: number };
  const start = () =>
    startLocalStack({
      stateDir: join(work, 'state'),
      apps: [{ name: 'web', instances: 1 }],
      ports,
    });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'signet-audit-trail-'));
    ports = { s3: await freePort(), controlPlane: await freePort(), dynamodb: await freePort() };
    stack = await start();
    dynamodb = new DynamoDBClient({});
  }, 60_000);
  afterAll(async () => {
    dynamodb.destroy();
    await stack.close();
    await rm(work, { recursive: true, force: true });
  });

  it('audits each of 16 manual executions started at once for one app', async () => {
    // Act: {"app":"web","version":"9.8.<i>"}, each refused (web has no release to redeploy)
    const started = Array.from({ length: 16 }, (_, i) =>
      stack.stepFunctions.start(`burst-9_8_${i}`, { app: 'web', version: `9.8.${i}` }),
    );
    const ended = await Promise.all(
      started.map((e) => stack.stepFunctions.waitFor(e.executionArn)),
    );

    // Assess
    expect(ended.map((e) => e.error).filter((error) => error === 'AuditWriteFailed')).toEqual([]);
    const entries = await trail().all('web');
    expect(new Set(entries.map((e) => e.record.execution))).toEqual(
      new Set(ended.map((e) => e.executionArn)),
    );
    expect((await runSignet(['audit', 'verify', 'web'])).code).toBe(0);
  }, 60_000);

  it('writes an entry for a reused execution name after a restart', async () => {
    // Prepare: a run, then the stack restarted on the same state (its executions forgotten)
    const first = stack.stepFunctions.start('reused-name', { app: 'web', version: '9.9.0' });
    await stack.stepFunctions.waitFor(first.executionArn);
    const before = (await trail().all('web')).length;
    await stack.close();
    stack = await start();

    // Act
    const again = stack.stepFunctions.start('reused-name', { app: 'web', version: '9.9.0' });
    await stack.stepFunctions.waitFor(again.executionArn);

    // Assess
    const mine = (await trail().all('web')).filter(
      (e) => e.record.execution === again.executionArn,
    );
    expect(mine).toHaveLength(2);
    expect((await trail().all('web')).length).toBe(before + 1);
  }, 60_000);
});
