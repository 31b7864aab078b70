import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinsStub } from '../../bench/bundles/bundle-bench.ts';
import { planFor } from '../../bench/run.ts';
import { rollbackTiming, unionMs } from '../../bench/stack/deployment-sample.ts';
import {
  type BenchRow,
  formatTable,
  infoRow,
  limitRow,
  ratioRow,
  toJson,
} from '../../bench/table.ts';
import { benchVerify } from '../../bench/verify/verify-bench.ts';
import type { HistoryEvent } from '../../local/stepfunctions/execution-history.ts';

describe('bench table', () => {
  it.each([
    { label: 'within the ratio', signet: 110, baseline: 100, pass: true },
    { label: 'past the ratio', signet: 130, baseline: 100, pass: false },
  ])('judges a ratio row $label', ({ signet, baseline, pass }) => {
    // Act
    const row = ratioRow({ part: 'verify', measure: 'm', signet, baseline, unit: 'ms' }, 1.25);

    // Assess
    expect(row.pass).toBe(pass);
    expect(row.target).toBe('<= 1.25x');
  });

  it('prints one aligned line per row with its ratio, target and result', () => {
    // Prepare
    const rows: BenchRow[] = [
      ratioRow(
        { part: 'verify', measure: 'whole pass', signet: 150, baseline: 100, unit: 'ms' },
        1.1,
      ),
      limitRow({ part: 'bundles', measure: 'emit-event: size', signet: 315.4, unit: 'KB' }, 500),
      infoRow({ part: 'overhead', measure: 'state transitions', signet: 73, unit: '' }),
    ];

    // Act
    const lines = formatTable(rows).split('\n');

    // Assess
    expect(lines[0]).toMatch(/^measure +Signet +baseline +ratio +target +result$/);
    expect(lines[2]).toMatch(/^verify: whole pass +150 ms +100 ms +1\.50x +<= 1\.1x +FAIL$/);
    expect(lines[3]).toMatch(/^bundles: emit-event: size +315 KB +- +- +< 500 KB +pass$/);
    expect(lines[4]).toMatch(/^overhead: state transitions +73 +- +- +- +info$/);
    // Right-aligned columns: every line, rule included, ends at the same column.
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });

  it('writes rows as JSON with each ratio', () => {
    // Prepare
    const row = ratioRow({ part: 'p', measure: 'm', signet: 3, baseline: 2, unit: 'ms' }, 2);

    // Act
    const parsed = JSON.parse(toJson([row], { cpus: 2 }));

    // Assess
    expect(parsed).toMatchObject({ machine: { cpus: 2 }, rows: [{ ratio: 1.5, pass: true }] });
  });
});

describe('bench helpers', () => {
  it('counts parallel script runs once', () => {
    // Act
    const total = unionMs([
      { start: 0, end: 100 },
      { start: 50, end: 150 },
      { start: 300, end: 400 },
    ]);

    // Assess
    expect(total).toBe(250);
  });

  it('times a rollback from the failed health check to the rollback healthy', () => {
    // Prepare
    const at = (id: number, timestamp: number, type: string, name?: string): HistoryEvent => ({
      id,
      previousEventId: id - 1,
      timestamp,
      type,
      ...(name === undefined
        ? {}
        : {
            [type.endsWith('Entered') ? 'stateEnteredEventDetails' : 'stateExitedEventDetails']: {
              name,
            },
          }),
    });
    const history = [
      at(1, 0, 'TaskStateEntered', 'CheckHealthCheck'),
      at(2, 10, 'LambdaFunctionFailed'),
      at(3, 12, 'TaskStateEntered', 'StartRollback'),
      at(4, 112, 'TaskStateExited', 'StartRollback'),
      at(5, 112, 'TaskStateEntered', 'CheckRollbackHealthCheck'),
      at(6, 410, 'TaskStateExited', 'CheckRollbackHealthCheck'),
    ];

    // Act
    const timing = rollbackTiming(history, [{ start: 20, end: 100 }]);

    // Assess
    expect(timing).toEqual({
      ms: 400,
      scriptMs: 80,
      steps: { StartRollback: 100, CheckRollbackHealthCheck: 298 },
    });
  });

  it('stubs exactly the node built-ins a bundle imports', () => {
    // Act
    const stub = builtinsStub('import{a as b}from"node:path";import"node:zlib";x("node:fs")');

    // Assess
    expect(stub).toBe(
      "import 'node:path';\nimport 'node:zlib';\nexport const handler = () => undefined;\n",
    );
  });

  it('plans small inputs for a quick run and the issue sizes otherwise', () => {
    // Act
    const quick = planFor([], true);
    const full = planFor(['verify'], false);

    // Assess
    expect(quick.parts).toEqual(['verify', 'rollback', 'overhead', 'bundles']);
    expect(quick.verifySizes.every((size) => size <= 16 * 1024 * 1024)).toBe(true);
    expect(full).toMatchObject({
      parts: ['verify'],
      repeats: 3,
      verifySizes: [64 << 20, 1024 << 20],
    });
  });
});

describe('bench verify part, on a tiny artifact', () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'signet-bench-test-'));
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('measures Signet against openssl, gzip | tar and gpg, and checks the digest', async () => {
    // Act
    const rows = await benchVerify({
      sizes: [256 * 1024],
      kinds: ['random'],
      repeats: 1,
      workDir,
      progress: () => undefined,
    });

    // Assess
    expect(rows.map((row) => row.measure)).toEqual([
      'random 0.25 MiB: signature + checksum',
      'random 0.25 MiB: whole pass',
      'random 0.25 MiB: whole pass vs gpg --verify',
      'first verification in a process (64 KiB)',
    ]);
    for (const row of rows) expect(row.signet).toBeGreaterThan(0);
    expect(rows[1]?.baseline).toBeGreaterThan(0);
  }, 60_000);
});
