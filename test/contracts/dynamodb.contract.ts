import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import { AuditLog, verifyChain } from '../../core/audit-log.ts';
import type { AuditRecord } from '../../core/audit-record.ts';
import { DeploymentLock } from '../../core/deployment-lock.ts';
import { type Contract, type ContractWorld, contractCase, thrown } from './contract.ts';
import { recordedError } from './recorded-answers.ts';

// Sources: DynamoDB API Reference, PutItem / DeleteItem (ConditionExpression; a failed condition
// is ConditionalCheckFailedException, 400), GetItem (ConsistentRead), Query (ScanIndexForward,
// Limit, LastEvaluatedKey), UpdateItem (SET with a ConditionExpression).

const CONDITION_FAILED = () =>
  recordedError('ConditionalCheckFailedException', 'The conditional request failed', 400);

const lockOf = (world: ContractWorld, now?: () => Date) =>
  new DeploymentLock({
    dynamodb: world.clients.dynamodb,
    sfn: world.clients.sfn,
    table: world.table,
    leaseSeconds: 600,
    ...(now === undefined ? {} : { now }),
  });

const appOf = (world: ContractWorld, what: string) =>
  world.target === 'recorded' ? 'web' : world.unique(what);

function auditRecord(app: string, execution: string): AuditRecord {
  return {
    app,
    execution,
    intent: 'release',
    requestedBy: 'ci',
    source: 's3',
    artifact: {
      version: '1.0.0',
      bucket: 'signet-artifacts',
      key: `releases/${app}/${app}-1.0.0.tar.gz`,
      versionId: 'v1',
      sha256: 'a'.repeat(64),
      size: 10,
      signer: 'F'.repeat(40),
      signerType: 'openpgp',
      signerLabel: 'release',
    },
    fromVersion: null,
    instances: ['i-0123456789abcdef0'],
    checks: [{ name: 'signature', result: 'passed' }],
    outcome: 'Succeeded',
    error: null,
    cause: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
  };
}

export const dynamoDbContract: Contract = {
  api: 'DynamoDB',
  operations: ['PutItem', 'GetItem', 'DeleteItem', 'Query', 'UpdateItem'],
  cases: [
    contractCase({
      name: 'grants an app lock to one owner and refuses a second (conditional PutItem)',
      recorded: (stubs) => {
        stubs.dynamodb.on(PutItemCommand).resolvesOnce({}).rejects(CONDITION_FAILED());
        stubs.dynamodb.on(GetItemCommand).resolves({
          Item: {
            pk: { S: 'lock#web' },
            sk: { S: 'lock' },
            owner: { S: 'first' },
            expiresAt: { S: '2099-01-01T00:00:00.000Z' },
            acquiredAt: { S: '2026-01-01T00:00:00.000Z' },
          },
        });
      },
      act: async (world) => {
        const app = appOf(world, 'lock');
        const lock = lockOf(world);
        const first = await lock.acquire(app, 'first');
        const second = await thrown(() => lock.acquire(app, 'second'));
        return { first, second, holder: await lock.holder(app) };
      },
      assess: (result) => {
        expect(result.first.owner).toBe('first');
        expect(result.second.name).toBe('DeploymentInProgress');
        expect(result.holder?.owner).toBe('first');
      },
    }),
    contractCase({
      name: 'releases a lock only for its holder (conditional DeleteItem)',
      recorded: (stubs) => {
        stubs.dynamodb.on(PutItemCommand).resolves({});
        stubs.dynamodb.on(DeleteItemCommand).rejectsOnce(CONDITION_FAILED()).resolvesOnce({});
      },
      act: async (world) => {
        const app = appOf(world, 'release');
        const lock = lockOf(world);
        await lock.acquire(app, 'holder');
        return [await lock.release(app, 'stranger'), await lock.release(app, 'holder')];
      },
      assess: (released) => {
        expect(released).toEqual([false, true]);
      },
    }),
    contractCase({
      name: 'lets a new owner take a lock whose lease expired',
      recorded: (stubs) => {
        stubs.dynamodb.on(PutItemCommand).resolves({});
      },
      act: async (world) => {
        const app = appOf(world, 'expired');
        const longAgo = new Date(Date.now() - 3_600_000);
        await lockOf(world, () => longAgo).acquire(app, 'dead');
        return lockOf(world).acquire(app, 'alive');
      },
      assess: (lease) => {
        expect(lease.owner).toBe('alive');
      },
    }),
    contractCase({
      name: 'chains audit entries, newest first, each linked to the one before',
      recorded: (stubs) => {
        // The items the same code wrote, by key, answered as DynamoDB would: entries, the
        // chain's head (UpdateItem) and the run markers (GetItem).
        type Item = Record<string, { S?: string; N?: string }>;
        const items = new Map<string, Item>();
        const keyOf = (key: Item) => `${key['pk']?.S}\u0000${key['sk']?.S}`;
        stubs.dynamodb.on(PutItemCommand).callsFake((input: { Item: Item }) => {
          items.set(keyOf(input.Item), input.Item);
          return {};
        });
        stubs.dynamodb.on(GetItemCommand).callsFake((input: { Key: Item }) => {
          const found = items.get(keyOf(input.Key));
          return found === undefined ? {} : { Item: found };
        });
        stubs.dynamodb
          .on(UpdateItemCommand)
          .callsFake(
            (input: { Key: Item; ExpressionAttributeValues: Record<string, Item[string]> }) => {
              const values = input.ExpressionAttributeValues;
              items.set(keyOf(input.Key), {
                ...input.Key,
                sequence: values[':sequence'] ?? {},
                hash: values[':hash'] ?? {},
              });
              return {};
            },
          );
        stubs.dynamodb
          .on(QueryCommand)
          .callsFake(
            (input: {
              ExpressionAttributeValues: { ':pk': { S: string } };
              ScanIndexForward?: boolean;
              Limit?: number;
            }) => {
              const partition = [...items.values()]
                .filter((item) => item['pk']?.S === input.ExpressionAttributeValues[':pk'].S)
                .sort((a, b) => ((a['sk']?.S ?? '') < (b['sk']?.S ?? '') ? -1 : 1));
              if (input.ScanIndexForward === false) partition.reverse();
              return { Items: partition.slice(0, input.Limit ?? partition.length) };
            },
          );
      },
      act: async (world) => {
        const app = appOf(world, 'audit');
        const log = new AuditLog(world.clients.dynamodb, world.table);
        await log.append(auditRecord(app, 'exec-1'));
        await log.append(auditRecord(app, 'exec-2'));
        const again = await log.append(auditRecord(app, 'exec-2'));
        const newest = await log.newest(app, 10);
        return { again, newest };
      },
      assess: (result) => {
        expect(result.newest.map((e) => e.sequence)).toEqual([2, 1]);
        expect(result.again.sequence).toBe(2);
        expect(verifyChain([...result.newest].reverse())).toEqual([]);
      },
    }),
  ],
};
