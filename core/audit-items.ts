import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AuditEntry, AuditHead, AuditRecord, StoredAuditEntry } from './audit-record.ts';
import { canonicalJson } from './canonical-json.ts';

/**
 * How the audit trail lies in the state table. Three kinds of item per chain, each under a
 * partition key of its own so a Query of the entries never meets the other two:
 * - `audit#<chain>` / zero-padded sequence: the entries;
 * - `audit-head#<chain>` / `head`: the newest completed entry's sequence and hash;
 * - `audit-run#<chain>` / execution ARN: which entry a run wrote, so a retry finds it.
 */
type Item = Record<string, AttributeValue>;

export function entryPartition(chain: string): AttributeValue {
  return { S: `audit#${chain}` };
}

export function headKey(chain: string): Item {
  return { pk: { S: `audit-head#${chain}` }, sk: { S: 'head' } };
}

export function runKey(chain: string, execution: string): Item {
  return { pk: { S: `audit-run#${chain}` }, sk: { S: execution } };
}

export function entryKey(chain: string, sequence: number): Item {
  // Zero-padded so DynamoDB's string order is the chain's order.
  return { pk: entryPartition(chain), sk: { S: String(sequence).padStart(12, '0') } };
}

export function entryItem(chain: string, entry: AuditEntry): Item {
  return {
    ...entryKey(chain, entry.sequence),
    sequence: { N: String(entry.sequence) },
    previousHash: { S: entry.previousHash },
    hash: { S: entry.hash },
    execution: { S: entry.record.execution },
    record: { S: canonicalJson(entry.record) },
  };
}

/**
 * An entry item as stored, whatever was done to it: a record that does not parse makes an
 * unreadable entry rather than an exception, so one bad item neither hides the rest of the
 * chain nor blocks the next append.
 */
export function storedEntryOf(item: Item): StoredAuditEntry {
  const stored = Number(item['sequence']?.N);
  const sequence = Number.isInteger(stored) ? stored : Number(item['sk']?.S);
  const hashes = { previousHash: item['previousHash']?.S ?? '', hash: item['hash']?.S ?? '' };
  const text = item['record']?.S;
  if (text === undefined) return { sequence, ...hashes, record: null, unreadable: 'no record' };
  try {
    const record = JSON.parse(text) as unknown;
    if (record !== null && typeof record === 'object' && !Array.isArray(record)) {
      return { sequence, ...hashes, record: record as AuditRecord };
    }
    return { sequence, ...hashes, record: null, unreadable: 'the record is not a JSON object' };
  } catch (error) {
    return { sequence, ...hashes, record: null, unreadable: `not JSON (${String(error)})` };
  }
}

export function headOf(item: Item | undefined): AuditHead | null {
  const sequence = Number(item?.['sequence']?.N);
  const hash = item?.['hash']?.S;
  return Number.isInteger(sequence) && hash !== undefined ? { sequence, hash } : null;
}

/** What the run marker keeps: enough to tell this run from an earlier one of the same name. */
export interface RunMarker {
  readonly sequence: number;
  readonly startedAt: string | null;
}

export function runMarkerItem(chain: string, record: AuditRecord, sequence: number): Item {
  return {
    ...runKey(chain, record.execution),
    sequence: { N: String(sequence) },
    ...(record.startedAt === null ? {} : { startedAt: { S: record.startedAt } }),
  };
}

export function runMarkerOf(item: Item | undefined): RunMarker | null {
  const sequence = Number(item?.['sequence']?.N);
  if (!Number.isInteger(sequence)) return null;
  return { sequence, startedAt: item?.['startedAt']?.S ?? null };
}
