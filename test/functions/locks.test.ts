import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeploymentLock } from '../../core/deployment-lock.ts';
import { acquireLock } from '../../functions/acquire-lock/handler.ts';
import { releaseLock } from '../../functions/release-lock/handler.ts';
import { testTools } from '../helpers/handler-tools.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from '../helpers/local-dynamodb.ts';

const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:signet-deploy:';
const HOLDER = `${EXECUTION}first`;
const WAITER = `${EXECUTION}second`;
const NOW = new Date('2026-12-04T10:00:00.000Z');

describe('acquire-lock and release-lock', () => {
  const sfn = mockClient(SFNClient);
  let db: LocalDynamoDb;
  const lock = () =>
    new DeploymentLock({
      dynamodb: db.client,
      sfn: new SFNClient({ region: 'us-east-1' }),
      table: db.table,
      leaseSeconds: 900,
      now: () => NOW,
    });
  const acquire = acquireLock(lock);
  const release = releaseLock(lock);

  beforeAll(async () => {
    db = await startLocalDynamoDb();
  });
  afterAll(async () => db.close());
  beforeEach(() => {
    sfn.reset();
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
  });

  it('returns the lease and logs its expiry', async () => {
    // Prepare
    const tools = testTools('acquire-lock');

    // Act
    const lease = await acquire({ app: 'fresh', owner: HOLDER }, tools);

    // Assess
    expect(lease).toEqual({
      app: 'fresh',
      owner: HOLDER,
      acquiredAt: '2026-12-04T10:00:00.000Z',
      expiresAt: '2026-12-04T10:15:00.000Z',
    });
    expect(tools.lines).toEqual([
      expect.objectContaining({
        level: 30,
        handler: 'acquire-lock',
        message: 'lock acquired',
        data: { expiresAt: '2026-12-04T10:15:00.000Z' },
      }),
    ]);
  });

  it('refuses with DeploymentInProgress naming the holder while it runs', async () => {
    // Prepare
    await acquire({ app: 'held', owner: HOLDER }, testTools());

    // Act
    const result = acquire({ app: 'held', owner: WAITER }, testTools());

    // Assess
    await expect(result).rejects.toMatchObject({
      name: 'DeploymentInProgress',
      retryable: true,
      message: expect.stringContaining(HOLDER),
      details: { app: 'held', holder: HOLDER },
    });
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({
      executionArn: HOLDER,
    });
    expect(await lock().holder('held')).toMatchObject({ owner: HOLDER });
  });

  it('releases the lock for its owner and frees it for the next deployment', async () => {
    // Prepare
    await acquire({ app: 'owned', owner: HOLDER }, testTools());
    const tools = testTools('release-lock');

    // Act
    const result = await release({ app: 'owned', owner: HOLDER }, tools);

    // Assess
    expect(result).toEqual({ released: true });
    expect(tools.lines.map(({ level, message }) => ({ level, message }))).toEqual([
      { level: 30, message: 'lock released' },
    ]);
    await expect(acquire({ app: 'owned', owner: WAITER }, testTools())).resolves.toMatchObject({
      owner: WAITER,
    });
  });

  it('keeps the lock of another execution and warns once', async () => {
    // Prepare
    await acquire({ app: 'theirs', owner: HOLDER }, testTools());
    const tools = testTools('release-lock');

    // Act
    const result = await release({ app: 'theirs', owner: WAITER }, tools);

    // Assess
    expect(result).toEqual({ released: false });
    expect(tools.lines).toEqual([
      expect.objectContaining({
        level: 40,
        message: 'lock was no longer held by this execution',
        data: { owner: WAITER },
      }),
    ]);
    expect(await lock().holder('theirs')).toMatchObject({ owner: HOLDER });
  });

  it('reports a lock already gone as not released', async () => {
    // Act
    const result = await release({ app: 'never-taken', owner: HOLDER }, testTools());

    // Assess
    expect(result).toEqual({ released: false });
  });
});
