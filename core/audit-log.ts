import { createHash } from 'node:crypto';
import {
  type AttributeValue,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { type AuditEntry, type AuditRecord, GENESIS_HASH } from './audit-record.ts';
import { canonicalJson } from './canonical-json.ts';

/** Each entry's hash covers its sequence, the previous hash and the record itself. */
export function entryHash(sequence: number, previousHash: string, record: AuditRecord): string {
  return createHash('sha256')
    .update(`${sequence}\n${previousHash}\n${canonicalJson(record)}`)
    .digest('hex');
}

export interface ChainProblem {
  readonly sequence: number;
  readonly problem: string;
}

/** Checks a chain read oldest first: every hash recomputes and links to the one before. */
export function verifyChain(entries: readonly AuditEntry[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let expectedPrevious = GENESIS_HASH;
  let expectedSequence = 1;
  for (const entry of entries) {
    if (entry.sequence !== expectedSequence) {
      problems.push({ sequence: entry.sequence, problem: `expected entry ${expectedSequence}` });
    }
    if (entry.previousHash !== expectedPrevious) {
      problems.push({ sequence: entry.sequence, problem: 'does not link to the entry before' });
    }
    if (entryHash(entry.sequence, entry.previousHash, entry.record) !== entry.hash) {
      problems.push({ sequence: entry.sequence, problem: 'content does not match its hash' });
    }
    expectedPrevious = entry.hash;
    expectedSequence = entry.sequence + 1;
  }
  return problems;
}

const APPEND_ATTEMPTS = 8;
// How far back an append looks for its own execution's entry before writing another. An
// execution retried after writing (a Lambda that timed out after its PutItem succeeded) finds
// its entry among the newest ones, since one app's executions are few at any moment.
// Limitation: a marker item written in the same TransactWriteItems call would make this exact,
// but the local DynamoDB (dynalite) has no transactions; more than 20 other entries for the same
// app between a write and its retry would let a duplicate through.
const DUPLICATE_WINDOW = 20;

/**
 * The tamper-evident audit trail: one chain per app in DynamoDB, each entry carrying the hash
 * of the one before, appended with a conditional write so concurrent writers never fork it.
 */
export class AuditLog {
  readonly #dynamodb: DynamoDBClient;
  readonly #table: string;

  constructor(dynamodb: DynamoDBClient, table: string) {
    this.#dynamodb = dynamodb;
    this.#table = table;
  }

  /** Appends the record once per execution; a repeated call returns the existing entry. */
  async append(record: AuditRecord): Promise<AuditEntry> {
    for (let attempt = 1; attempt <= APPEND_ATTEMPTS; attempt += 1) {
      const newest = await this.newest(record.app, DUPLICATE_WINDOW);
      const existing = newest.find((entry) => entry.record.execution === record.execution);
      if (existing !== undefined) return existing;

      const last = newest[0];
      const sequence = (last?.sequence ?? 0) + 1;
      const previousHash = last?.hash ?? GENESIS_HASH;
      const entry = {
        sequence,
        previousHash,
        hash: entryHash(sequence, previousHash, record),
        record,
      };
      if (await this.#putIfNew(entry)) return entry;
    }
    throw new Error(`Could not append to the audit chain of ${record.app}: too much contention`);
  }

  /** The newest entries of an app, newest first. */
  async newest(app: string, limit: number): Promise<AuditEntry[]> {
    const result = await this.#dynamodb.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: chainKey(app) } },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map(toEntry);
  }

  /** Every entry of an app, oldest first, for verification. */
  async all(app: string): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.#dynamodb.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: chainKey(app) } },
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      entries.push(...(page.Items ?? []).map(toEntry));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return entries;
  }

  async #putIfNew(entry: AuditEntry): Promise<boolean> {
    try {
      await this.#dynamodb.send(
        new PutItemCommand({
          TableName: this.#table,
          Item: {
            pk: { S: chainKey(entry.record.app) },
            sk: { S: sortKey(entry.sequence) },
            sequence: { N: String(entry.sequence) },
            previousHash: { S: entry.previousHash },
            hash: { S: entry.hash },
            execution: { S: entry.record.execution },
            record: { S: canonicalJson(entry.record) },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

function chainKey(app: string): string {
  return `audit#${app}`;
}

// Zero-padded so DynamoDB's string order is the chain's order.
function sortKey(sequence: number): string {
  return String(sequence).padStart(12, '0');
}

function toEntry(item: Record<string, AttributeValue>): AuditEntry {
  return {
    sequence: Number(item['sequence']?.N),
    previousHash: item['previousHash']?.S ?? '',
    hash: item['hash']?.S ?? '',
    record: JSON.parse(item['record']?.S ?? '{}') as AuditRecord,
  };
}
