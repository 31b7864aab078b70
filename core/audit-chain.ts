import { createHash } from 'node:crypto';
import {
  type AuditHead,
  type AuditRecord,
  GENESIS_HASH,
  type StoredAuditEntry,
} from './audit-record.ts';
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

/**
 * Checks a chain read oldest first: every record reads and recomputes to its hash, and every
 * entry links to the one before. An edit or removal anywhere but at the end shows here; the
 * end is checked against the head by verifyTrail.
 */
export function verifyChain(entries: readonly StoredAuditEntry[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let expectedPrevious = GENESIS_HASH;
  let expectedSequence = 1;
  for (const entry of entries) {
    const problem = (text: string) => problems.push({ sequence: entry.sequence, problem: text });
    if (entry.sequence !== expectedSequence) problem(`expected entry ${expectedSequence}`);
    if (entry.previousHash !== expectedPrevious) problem('does not link to the entry before');
    if (entry.record === null) {
      problem(`is unreadable: ${entry.unreadable}`);
    } else if (entryHash(entry.sequence, entry.previousHash, entry.record) !== entry.hash) {
      problem('content does not match its hash');
    }
    expectedPrevious = entry.hash;
    expectedSequence = entry.sequence + 1;
  }
  return problems;
}

/** What `signet audit verify` can prove about one chain. */
export interface TrailReport {
  readonly entries: number;
  readonly problems: readonly ChainProblem[];
  /**
   * Entries after the one the head names: an append stopped between writing its entry and
   * moving the head (the next append moves it). Nothing anchors them yet.
   */
  readonly unanchored: number;
}

/**
 * Checks the chain and its end: the head names the newest entry an append completed, so
 * removing entries from the end (which the chain alone cannot show) leaves the head pointing
 * past the chain, unless the head is rewritten too (docs/SECURITY.md, G4).
 */
export function verifyTrail(
  entries: readonly StoredAuditEntry[],
  head: AuditHead | null,
): TrailReport {
  const problems = [...verifyChain(entries)];
  const last = entries.at(-1);
  if (head === null) {
    if (last !== undefined) {
      problems.push({
        sequence: last.sequence,
        problem:
          'has no head item after it, so removed entries at the end would not show ' +
          '(the head was deleted, or the chain predates it: the next append writes one)',
      });
    }
    return { entries: entries.length, problems, unanchored: 0 };
  }
  if (last === undefined || last.sequence < head.sequence) {
    problems.push({
      sequence: head.sequence,
      problem:
        `is missing: the head names entry ${head.sequence} but the chain ends at ` +
        `${last?.sequence ?? 0}, so entries were removed from the end`,
    });
    return { entries: entries.length, problems, unanchored: 0 };
  }
  const anchored = entries.find((entry) => entry.sequence === head.sequence);
  if (anchored === undefined || anchored.hash !== head.hash) {
    problems.push({ sequence: head.sequence, problem: "does not match the head's hash" });
  }
  return { entries: entries.length, problems, unanchored: last.sequence - head.sequence };
}
