import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { DeploymentInProgress } from './errors.ts';

/** Proof that a deployment holds its app's lock, until `expiresAt` at the latest. */
export interface LockLease {
  readonly app: string;
  readonly owner: string;
  readonly acquiredAt: string;
  readonly expiresAt: string;
}

export interface DeploymentLockOptions {
  readonly dynamodb: DynamoDBClient;
  readonly sfn: SFNClient;
  readonly table: string;
  /** Upper bound on a lock's life, for holders that die without releasing. */
  readonly leaseSeconds: number;
  readonly now?: () => Date;
}

/**
 * One deployment per app at a time, so two releases never interleave on one fleet. The lock
 * is a DynamoDB item written conditionally; its owner is the holding execution's ARN, which
 * lets a waiting deployment reclaim the lock at once when the holder execution has ended
 * (aborted from the console, say) instead of waiting out the lease.
 */
export class DeploymentLock {
  readonly #options: DeploymentLockOptions;

  constructor(options: DeploymentLockOptions) {
    this.#options = options;
  }

  async acquire(app: string, owner: string): Promise<LockLease> {
    const lease = this.#newLease(app, owner);
    if (await this.#put(lease, null)) return lease;

    const holder = await this.#readHolder(app);
    if (holder === null || holder.owner === owner) {
      // Released in between, or a retry of our own acquisition: try once more.
      if (await this.#put(lease, holder?.owner ?? null)) return lease;
    } else if (await this.#hasEnded(holder.owner)) {
      if (await this.#put(lease, holder.owner)) return lease;
    }
    const current = holder ?? (await this.#readHolder(app));
    throw new DeploymentInProgress(
      `App ${app} is being deployed by ${current?.owner ?? 'another execution'} ` +
        `(lock held until ${current?.expiresAt ?? 'unknown'})`,
      { details: { app, holder: current?.owner ?? null } },
    );
  }

  /** Releases the lock if `owner` still holds it; returns whether it did. Never throws on loss. */
  async release(app: string, owner: string): Promise<boolean> {
    try {
      await this.#options.dynamodb.send(
        new DeleteItemCommand({
          TableName: this.#options.table,
          Key: lockKey(app),
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': { S: owner } },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async holder(app: string): Promise<LockLease | null> {
    return this.#readHolder(app);
  }

  #newLease(app: string, owner: string): LockLease {
    const now = (this.#options.now ?? (() => new Date()))();
    return {
      app,
      owner,
      acquiredAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.#options.leaseSeconds * 1000).toISOString(),
    };
  }

  /** Writes the lease if the lock is free, expired, ours, or held by `replacing`. */
  async #put(lease: LockLease, replacing: string | null): Promise<boolean> {
    const expiresEpoch = Math.floor(Date.parse(lease.expiresAt) / 1000);
    const nowEpoch = Math.floor(Date.parse(lease.acquiredAt) / 1000);
    const values: Record<string, { S: string } | { N: string }> = {
      ':owner': { S: lease.owner },
      ':now': { N: String(nowEpoch) },
    };
    let condition = 'attribute_not_exists(pk) OR expiresEpoch < :now OR #owner = :owner';
    if (replacing !== null) {
      condition += ' OR #owner = :replacing';
      values[':replacing'] = { S: replacing };
    }
    try {
      await this.#options.dynamodb.send(
        new PutItemCommand({
          TableName: this.#options.table,
          Item: {
            ...lockKey(lease.app),
            owner: { S: lease.owner },
            acquiredAt: { S: lease.acquiredAt },
            expiresAt: { S: lease.expiresAt },
            expiresEpoch: { N: String(expiresEpoch) },
            // DynamoDB's TTL sweeps abandoned locks eventually; the condition above does not
            // depend on it, since TTL deletion can lag by days.
            ttl: { N: String(expiresEpoch + 86_400) },
          },
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async #readHolder(app: string): Promise<LockLease | null> {
    const result = await this.#options.dynamodb.send(
      new GetItemCommand({
        TableName: this.#options.table,
        Key: lockKey(app),
        ConsistentRead: true,
      }),
    );
    const item = result.Item;
    if (item === undefined) return null;
    return {
      app,
      owner: item['owner']?.S ?? '',
      acquiredAt: item['acquiredAt']?.S ?? '',
      expiresAt: item['expiresAt']?.S ?? '',
    };
  }

  /** True when the holder is an execution that is no longer running. */
  async #hasEnded(owner: string): Promise<boolean> {
    if (!owner.startsWith('arn:')) return false;
    try {
      const execution = await this.#options.sfn.send(
        new DescribeExecutionCommand({ executionArn: owner }),
      );
      return execution.status !== 'RUNNING';
    } catch (error) {
      return (error as Error).name === 'ExecutionDoesNotExist';
    }
  }
}

function lockKey(app: string) {
  return { pk: { S: `lock#${app}` }, sk: { S: 'lock' } };
}
