import type { TrailReport } from '../../core/audit-chain.ts';
import type { StoredAuditEntry } from '../../core/audit-record.ts';
import { printable } from './printable.ts';

/** `signet history`: one line per entry, newest first; an unreadable entry says so. */
export function renderHistory(chain: string, entries: readonly StoredAuditEntry[]): string {
  if (entries.length === 0) return `${chain}: no deployments recorded`;

  const rows = entries.map((entry) => {
    const sequence = String(entry.sequence).padStart(4);
    const { record } = entry;
    if (record === null) {
      return printable(
        `${sequence}  unreadable entry (${entry.unreadable}): see signet audit verify`,
      );
    }
    const version = record.artifact.version ?? '?';
    const error = record.error === null ? '' : ` ${record.error}`;
    const who = record.requestedBy ?? 'unknown';
    const how = `${record.intent ?? '-'} by ${who}, ${record.instances.length} instance(s)`;
    const when = `${sequence}  ${record.finishedAt}`;
    return printable(`${when}  ${version.padEnd(12)} ${record.outcome}${error}  (${how})`);
  });
  return [`${chain}: newest first`, ...rows].join('\n');
}

/** `signet audit verify`: what was checked, and every problem by entry. */
export function renderTrailReport(chain: string, report: TrailReport): string {
  if (report.problems.length > 0) {
    return report.problems
      .map((p) => printable(`${chain}: entry ${p.sequence} ${p.problem}`))
      .join('\n');
  }
  if (report.entries === 0) {
    return `${chain}: no audit entries recorded, nothing to verify (is the name right?)`;
  }
  const lines = [
    `${chain}: ${report.entries} audit entries verified: each matches its hash and links to ` +
      'the one before, and the newest completed entry matches the head',
  ];
  if (report.unanchored > 0) {
    lines.push(
      `${chain}: the newest ${report.unanchored} entry(ies) come after the head: an append ` +
        'stopped before moving it (the next append does), so their removal would not show yet',
    );
  }
  return lines.join('\n');
}
