import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeploymentLock } from '../../core/deployment-lock.ts';
import { type LocalDynamoDb, startLocalDynamoDb } from '../helpers/local-dynamodb.ts';

const HOLDER = 'arn:aws:states:us-east-1:000000000000:execution:signet-deploy:first';
const WAITER = 'arn:aws:states:us-east-1:000000000000:execution:signet-deploy:second';

describe('DeploymentLock', () => {
  let db: LocalDynamoDb;
  const sfn = mockClient(SFNClient);
  let clock = new Date('2026-12-04T10:00:00Z');

  const lock = (leaseSeconds = 600) =>
    new DeploymentLock({
      dynamodb: db.client,
      sfn: new SFNClient({ region: 'us-east-1' }),
      table: db.table,
      leaseSeconds,
      now: () => clock,
    });

  beforeAll(async () => {
    db = await startLocalDynamoDb();
  });
  afterAll(async () => db.close());
  beforeEach(() => {
    sfn.reset();
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    clock = new Date('2026-12-04T10:00:00Z');
  });

  it('lets one deployment per app hold the lock and refuses a second', async () => {
    await lock().acquire('one', HOLDER);
    await expect(lock().acquire('one', WAITER)).rejects.toMatchObject({
      name: 'DeploymentInProgress',
      retryable: true,
      details: { app: 'one', holder: HOLDER },
    });
  });

  it('keeps apps independent', async () => {
    await lock().acquire('left', HOLDER);
    await expect(lock().acquire('right', WAITER)).resolves.toMatchObject({ owner: WAITER });
  });

  it('gives the lock again to its own holder (a retried acquisition)', async () => {
    await lock().acquire('retry', HOLDER);
    await expect(lock().acquire('retry', HOLDER)).resolves.toMatchObject({ owner: HOLDER });
  });

  it('reclaims a lock whose lease has run out', async () => {
    await lock(60).acquire('lease', HOLDER);
    clock = new Date('2026-12-04T10:02:00Z');
    await expect(lock(60).acquire('lease', WAITER)).resolves.toMatchObject({ owner: WAITER });
  });

  it('reclaims at once a lock whose holder execution has ended', async () => {
    await lock().acquire('ended', HOLDER);
    sfn.on(DescribeExecutionCommand, { executionArn: HOLDER }).resolves({ status: 'ABORTED' });
    await expect(lock().acquire('ended', WAITER)).resolves.toMatchObject({ owner: WAITER });
  });

  it('releases only for its owner', async () => {
    await lock().acquire('release', HOLDER);
    expect(await lock().release('release', WAITER)).toBe(false);
    expect(await lock().release('release', HOLDER)).toBe(true);
    expect(await lock().holder('release')).toBeNull();
  });
});
