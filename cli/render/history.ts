import type { AuditEntry } from '../../core/audit-record.ts';

export function renderHistory(app: string, entries: readonly AuditEntry[]): string {
  if (entries.length === 0) return `${app}: no deployments recorded`;
  const rows = entries.map(({ sequence, record }) => {
    const version = record.artifact.version ?? '?';
    const error = record.error === null ? '' : ` ${record.error}`;
    const who = record.requestedBy ?? 'unknown';
    const how = `${record.intent ?? '-'} by ${who}, ${record.instances.length} instance(s)`;
    const when = `${String(sequence).padStart(4)}  ${record.finishedAt}`;
    return `${when}  ${version.padEnd(12)} ${record.outcome}${error}  (${how})`;
  });
  return [`${app}: newest first`, ...rows].join('\n');
}
