import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoReport } from '../../local/demo/demo-report.ts';
import { runDemo } from '../../local/demo/run-demo.ts';

// The whole job on the local stack, as `npm start` runs it: real local S3, DynamoDB, control
// plane, instances running the Command document with bash, and the ASL file interpreted locally.
describe('the local demo, end to end', () => {
  let stateDir: string;
  let report: DemoReport;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'signet-e2e-'));
    report = await runDemo({ stateDir });
  }, 180_000);
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  const release = (version: string) => {
    const found = report.releases.find((r) => r.version === version);
    if (found === undefined) throw new Error(`the demo did not release ${version}`);
    return found;
  };

  it('meets every expectation it checks', () => {
    expect(report.releases.flatMap((r) => r.problems)).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it('deploys 1.0.0 and then 1.1.0 to both instances, serving them over HTTP', () => {
    for (const version of ['1.0.0', '1.1.0']) {
      expect(release(version)).toMatchObject({ outcome: 'SUCCEEDED', error: null });
      expect(release(version).instances).toEqual([
        expect.objectContaining({ version, healthy: true }),
        expect.objectContaining({ version, healthy: true }),
      ]);
    }
    expect(release('1.1.0').record).toEqual({ current: '1.1.0', previous: '1.0.0' });
  });

  it('rolls 1.2.0 back to 1.1.0 after its health check fails', () => {
    expect(release('1.2.0')).toMatchObject({ outcome: 'FAILED', error: 'HealthCheckFailed' });
    expect(release('1.2.0').cause).toContain('rolled back to 1.1.0');
    expect(release('1.2.0').instances.every((i) => i.version === '1.1.0' && i.healthy)).toBe(true);
    expect(release('1.2.0').record.current).toBe('1.1.0');
  });

  it('refuses 1.3.0, changed after signing, without sending any command', () => {
    expect(release('1.3.0')).toMatchObject({
      outcome: 'FAILED',
      error: 'SignatureInvalid',
      commandsSent: 0,
    });
  });

  it('writes one chained audit entry per deployment', async () => {
    const entries = JSON.parse(await readFile(report.paths.auditExport, 'utf8')) as {
      sequence: number;
      record: { outcome: string; error: string | null; artifact: { version: string } };
    }[];
    expect(
      entries.map((e) => [e.record.artifact.version, e.record.outcome, e.record.error]),
    ).toEqual([
      ['1.0.0', 'Succeeded', null],
      ['1.1.0', 'Succeeded', null],
      ['1.2.0', 'RolledBack', 'HealthCheckFailed'],
      ['1.3.0', 'Refused', 'SignatureInvalid'],
    ]);
    const checksOf = (index: number) =>
      Object.fromEntries(
        (
          entries[index] as unknown as { record: { checks: { name: string; result: string }[] } }
        ).record.checks.map((c) => [c.name, c.result]),
      );
    // Verification ran for 1.3.0 and failed on its signature: not "skipped".
    expect(checksOf(3)).toMatchObject({ signature: 'failed', install: 'skipped' });
    expect(checksOf(2)).toMatchObject({
      signature: 'passed',
      checksum: 'passed',
      archive: 'passed',
      install: 'passed',
      health: 'failed',
      rollback: 'passed',
      record: 'skipped',
    });
  });

  it('writes Lambda logs as one JSON object per line with the fixed keys', async () => {
    const lines = (await readFile(report.paths.lambdaLogs, 'utf8')).trim().split('\n');
    const keys = [
      'time',
      'level',
      'service',
      'handler',
      'requestId',
      'execution',
      'app',
      'message',
      'data',
      'error',
    ];
    for (const line of lines) expect(Object.keys(JSON.parse(line))).toEqual(keys);
  });
});
