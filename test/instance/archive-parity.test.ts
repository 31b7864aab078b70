/**
 * The verify step and the host check an archive's entries twice, in TypeScript and in bash. They
 * must agree: an archive verification accepts must extract on every host, and one a host would
 * refuse must be refused by verification first, before any instance is touched.
 */
import { describe, expect, it } from 'vitest';
import { ARCHIVE_CORPUS } from './support/archive-corpus/index.ts';
import { hostVerdict, verificationVerdict } from './support/archive-verdicts.ts';

/** The errors an archive refusal may carry; anything else would be a crash, not a verdict. */
const REFUSALS = ['UnsafeArchiveEntry', 'ArchiveInvalid'];

const bothJudge = ARCHIVE_CORPUS.filter((c) => c.expected !== 'refused by verification only');
const verificationOnly = ARCHIVE_CORPUS.filter(
  (c) => c.expected === 'refused by verification only',
);

describe('archive entry checks: verification and the host agree', () => {
  it.each(bothJudge)('$label: $expected by both', async ({ artifact, expected }) => {
    // Prepare
    const bytes = await artifact();

    // Act
    const verification = await verificationVerdict(bytes);
    const host = await hostVerdict(bytes);

    // Assess
    expect(
      { verification: verification.verdict, host: host.verdict },
      `verification: ${verification.reason || 'accepted'}\nhost: ${host.stderr || 'accepted'}`,
    ).toEqual({ verification: expected, host: expected });
    expect(host.leftOutside).toEqual([]);
    if (expected === 'accepted') {
      expect(host.harm).toEqual([]);
    } else {
      expect(REFUSALS).toContain(verification.errorName);
      expect(host.code).toBe(67);
      expect(host.extracted, 'the host refuses before it extracts anything').toBe(false);
    }
  });

  it.each(verificationOnly)(
    '$label: refused by verification; the host cannot see it and extracts it harmlessly',
    async ({ artifact }) => {
      // Prepare
      const bytes = await artifact();

      // Act
      const verification = await verificationVerdict(bytes);
      const host = await hostVerdict(bytes);

      // Assess
      expect(REFUSALS).toContain(verification.errorName);
      expect({ code: host.code, stderr: host.stderr }).toEqual({ code: 0, stderr: '' });
      expect(host.harm).toEqual([]);
      expect(host.leftOutside).toEqual([]);
    },
  );
});
