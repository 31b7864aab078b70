import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { entryHash } from './audit-chain.ts';
import {
  entryItem,
  entryKey,
  entryPartition,
  headKey,
  headOf,
  runKey,
  runMarkerItem,
  runMarkerOf,
  storedEntryOf,
} from './audit-items.ts';
import {
  type AuditEntry,
  type AuditHead,
  type AuditRecord,
  chainOf,
  GENESIS_HASH,
  isSameRun,
  type StoredAuditEntry,
} from './audit-record.ts';
import { AuditWriteFailed } from './errors.ts';

export { type ChainProblem, entryHash, verifyChain, verifyTrail } from './audit-chain.ts';

/** How hard an append tries to win the next sequence against concurrent writers. */
export interface AppendRetry {
  /** Attempts before giving up. */
  readonly attempts: number;
  /** Give up once this much time has passed, so the Task's 60 s timeout is never the end. */
  readonly budgetMs: number;
  /** The first backoff's upper bound; it doubles per attempt up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

// Each round of a burst has one winner; full jitter spreads the losers out. Measured on
// dynalite: 50 concurrent appends to one chain finish in about 3 s, each in at most 9 attempts
// (3.7 on average). The bound leaves a wide margin; the budget stays under the Task timeout.
export const DEFAULT_APPEND_RETRY: AppendRetry = {
  attempts: 100,
  budgetMs: 40_000,
  baseDelayMs: 20,
  maxDelayMs: 1_000,
};

// How far back an append looks for its own run's entry when the run marker is missing (the
// writer stopped between writing its entry and its marker). Matching is by run, never by name.
const OWN_ENTRY_WINDOW = 25;

export interface AuditLogOptions {
  readonly retry?: Partial<AppendRetry>;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

/**
 * The tamper-evident audit trail: one chain per app in DynamoDB, each entry carrying the hash
 * of the one before, appended with a conditional write so concurrent writers never fork it,
 * with a head item naming the newest entry (docs/ARCHITECTURE.md, "State").
 *
 * @example
 * const log = new AuditLog(dynamodb, 'signet-state');
 * const entry = await log.append(record); // once per run, however often it is called
 * const report = verifyTrail(await log.entries('web'), await log.head('web'));
 */
export class AuditLog {
  readonly #dynamodb: DynamoDBClient;
  readonly #table: string;
  readonly #retry: AppendRetry;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(dynamodb: DynamoDBClient, table: string, options: AuditLogOptions = {}) {
    this.#dynamodb = dynamodb;
    this.#table = table;
    this.#retry = { ...DEFAULT_APPEND_RETRY, ...options.retry };
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Appends the record once per execution run (execution ARN and start time): a repeated call
   * for the same run returns its entry; a later run under a reused name gets its own. Throws
   * AuditWriteFailed when the retry budget runs out.
   */
  async append(record: AuditRecord): Promise<AuditEntry> {
    return (await this.appendOnce(record)).entry;
  }

  /** As append, also telling whether this call wrote the entry (false: it existed). */
  async appendOnce(record: AuditRecord): Promise<{ entry: AuditEntry; appended: boolean }> {
    const chain = chainOf(record);
    const started = this.#now();
    let attempt = 0;
    for (;;) {
      attempt += 1;
      const written = await this.#existingEntry(chain, record);
      if (written !== null) return { entry: written, appended: false };

      const newest = await this.newest(chain, OWN_ENTRY_WINDOW);
      const mine = newest.find(
        (e): e is AuditEntry => e.record !== null && isSameRun(e.record, record),
      );
      if (mine !== undefined) {
        await this.#settle(chain, mine);
        return { entry: mine, appended: false };
      }
      const entry = nextEntry(newest[0], record);
      if (await this.#putIfNew(chain, entry)) {
        await this.#settle(chain, entry);
        return { entry, appended: true };
      }
      const elapsed = this.#now() - started;
      if (attempt >= this.#retry.attempts || elapsed >= this.#retry.budgetMs) break;
      const ceiling = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** attempt);
      await this.#sleep(Math.floor(this.#random() * ceiling));
    }
    const release = [chain, record.artifact.version].filter((part) => part !== null).join(' ');
    throw new AuditWriteFailed(
      `The audit entry of ${record.execution} (${release}) ` +
        `could not be appended: ${attempt} attempts in ${this.#now() - started} ms each lost ` +
        'the next sequence to another writer',
      {
        details: {
          app: record.app,
          version: record.artifact.version,
          execution: record.execution,
          attempts: attempt,
        },
      },
    );
  }

  /** The newest entries of a chain (an app, or UNATTRIBUTED_CHAIN), newest first. */
  async newest(chain: string, limit: number): Promise<StoredAuditEntry[]> {
    const result = await this.#dynamodb.send(
      new QueryCommand({
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': entryPartition(chain) },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map(storedEntryOf);
  }

  /** Every entry of a chain, oldest first, unreadable ones included: what verify reads. */
  async entries(chain: string): Promise<StoredAuditEntry[]> {
    const entries: StoredAuditEntry[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.#dynamodb.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': entryPartition(chain) },
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      );
      entries.push(...(page.Items ?? []).map(storedEntryOf));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return entries;
  }

  /** Every readable entry of a chain, oldest first. */
  async all(chain: string): Promise<AuditEntry[]> {
    return (await this.entries(chain)).filter((e): e is AuditEntry => e.record !== null);
  }

  /** The chain's head: its newest completed entry, or null for a chain that has none. */
  async head(chain: string): Promise<AuditHead | null> {
    const result = await this.#dynamodb.send(
      new GetItemCommand({ TableName: this.#table, Key: headKey(chain), ConsistentRead: true }),
    );
    return headOf(result.Item);
  }

  /** The entry this run already wrote, found through its run marker. */
  async #existingEntry(chain: string, record: AuditRecord): Promise<AuditEntry | null> {
    const marker = runMarkerOf(
      (
        await this.#dynamodb.send(
          new GetItemCommand({
            TableName: this.#table,
            Key: runKey(chain, record.execution),
            ConsistentRead: true,
          }),
        )
      ).Item,
    );
    if (marker === null || !isSameRun({ ...marker, execution: record.execution }, record)) {
      return null;
    }
    const stored = await this.#dynamodb.send(
      new GetItemCommand({
        TableName: this.#table,
        Key: entryKey(chain, marker.sequence),
        ConsistentRead: true,
      }),
    );
    if (stored.Item === undefined) return null;
    const entry = storedEntryOf(stored.Item);
    return entry.record === null ? null : entry;
  }

  async #putIfNew(chain: string, entry: AuditEntry): Promise<boolean> {
    try {
      await this.#dynamodb.send(
        new PutItemCommand({
          TableName: this.#table,
          Item: entryItem(chain, entry),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /**
   * After the entry: the run marker, then the head, moved forward only. The local DynamoDB
   * (dynalite) has no TransactWriteItems, so these are writes of their own.
   * Limitation: a writer stopped between its entry and the head leaves the newest entry
   * unanchored until the next append moves the head; `signet audit verify` says so.
   */
  async #settle(chain: string, entry: AuditEntry): Promise<void> {
    await this.#dynamodb.send(
      new PutItemCommand({
        TableName: this.#table,
        Item: runMarkerItem(chain, entry.record, entry.sequence),
      }),
    );
    try {
      await this.#dynamodb.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: headKey(chain),
          UpdateExpression: 'SET #sequence = :sequence, #hash = :hash',
          ConditionExpression: 'attribute_not_exists(#sequence) OR #sequence < :sequence',
          ExpressionAttributeNames: { '#sequence': 'sequence', '#hash': 'hash' },
          ExpressionAttributeValues: {
            ':sequence': { N: String(entry.sequence) },
            ':hash': { S: entry.hash },
          },
        }),
      );
    } catch (error) {
      // A later entry's writer moved the head past this one already.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
}

/** The entry that follows `last` (the newest stored one, readable or not). */
function nextEntry(last: StoredAuditEntry | undefined, record: AuditRecord): AuditEntry {
  const sequence = (last?.sequence ?? 0) + 1;
  const previousHash = last?.hash ?? GENESIS_HASH;
  return { sequence, previousHash, hash: entryHash(sequence, previousHash, record), record };
}
