import { describe, expect, it } from 'vitest';
import { renderHistory } from '../../cli/render/history.ts';
import { printable } from '../../cli/render/printable.ts';
import { type AuditEntry, type AuditRecord, GENESIS_HASH } from '../../core/audit-record.ts';

function entry(sequence: number, requestedBy: string): AuditEntry {
  const record: AuditRecord = {
    app: 'web',
    execution: `arn:aws:states:us-east-1:000000000000:execution:signet:run-${sequence}`,
    intent: 'redeploy',
    requestedBy,
    source: null,
    artifact: {
      version: '7.7.7',
      bucket: null,
      key: null,
      versionId: null,
      sha256: null,
      size: null,
      signer: null,
      signerType: null,
      signerLabel: null,
    },
    fromVersion: null,
    instances: [],
    checks: [],
    outcome: 'Refused',
    error: 'InputInvalid',
    cause: null,
    startedAt: null,
    finishedAt: '2026-12-04T19:00:00.000Z',
  };
  return { sequence, previousHash: GENESIS_HASH, hash: GENESIS_HASH, record };
}

describe('signet history output', () => {
  it('prints one line per entry even when a claimed requester holds a forged row', () => {
    // Prepare: `requestedBy` is whatever the starter of a manual execution wrote.
    const forged =
      'x)\n   9  2026-12-04T20:00:00.000Z  9.9.9        Succeeded  (release by ci, 2 instance(s))\u001b[2K\r';

    // Act
    const text = renderHistory('web', [entry(1, forged)]);

    // Assess
    const lines = text.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('InputInvalid');
    expect(lines[1]).toContain('x)\\x0a   9');
    expect(lines.join('')).not.toMatch(/\p{Cc}/u);
  });

  it.each([
    ['a newline', '\n', '\\x0a'],
    ['an escape sequence', '\u001b[31m', '\\x1b[31m'],
    ['a carriage return', '\r', '\\x0d'],
    ['a C1 control', '\u009b', '\\x9b'],
    ['a Unicode line separator', '\u2028', '\\x2028'],
  ])('shows %s as an escape', (_label, raw, shown) => {
    expect(printable(`a${raw}b`)).toBe(`a${shown}b`);
  });

  it('leaves ordinary text, including non-ASCII letters, as it is', () => {
    expect(printable('ci@example.com — Zoë')).toBe('ci@example.com — Zoë');
  });
});
