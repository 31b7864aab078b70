/**
 * Signet's benchmarks: each measure against the physical limit or the tool a user would
 * otherwise run, in the same run on the same machine. See docs/PERFORMANCE.md.
 *
 *   node bench/run.ts [verify] [rollback] [overhead] [bundles] [--quick] [--json] [--repeats N]
 *
 * With no part named, every part runs. `--quick` uses small sizes and fleets (a smoke run, not
 * a measurement); `--json` prints the rows as JSON instead of the table. Inputs are made in a
 * temporary directory, removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchBundles } from './bundles/bundle-bench.ts';
import { describeMachine, formatMachine } from './machine.ts';
import { MiB } from './measure.ts';
import { benchFleet, benchRollback, type FleetSpec } from './stack/stack-bench.ts';
import { type BenchRow, formatNotes, formatTable, toJson } from './table.ts';
import { benchVerify } from './verify/verify-bench.ts';

export const PARTS = ['verify', 'rollback', 'overhead', 'bundles'] as const;
export type Part = (typeof PARTS)[number];

export interface BenchPlan {
  readonly parts: readonly Part[];
  readonly repeats: number;
  readonly verifySizes: readonly number[];
  readonly fleets: readonly FleetSpec[];
}

/** What a run measures: the full sizes of the issue, or `--quick`'s small ones. */
export function planFor(parts: readonly Part[], quick: boolean, repeats?: number): BenchPlan {
  return {
    parts: parts.length === 0 ? PARTS : parts,
    repeats: repeats ?? (quick ? 1 : 3),
    verifySizes: quick ? [4 * MiB, 16 * MiB] : [64 * MiB, 1024 * MiB],
    fleets: quick
      ? [{ instances: 1 }, { instances: 3 }]
      : [{ instances: 1 }, { instances: 10 }, { instances: 50 }, { instances: 50, batchSize: 10 }],
  };
}

export async function runBench(
  plan: BenchPlan,
  progress: (message: string) => void,
): Promise<BenchRow[]> {
  const workDir = await mkdtemp(join(tmpdir(), 'signet-bench-'));
  const rows: BenchRow[] = [];
  try {
    for (const part of plan.parts) {
      if (part === 'verify') {
        const kinds = ['random', 'realistic'] as const;
        rows.push(
          ...(await benchVerify({
            sizes: plan.verifySizes,
            kinds,
            repeats: plan.repeats,
            workDir,
            progress,
          })),
        );
      }
      if (part === 'rollback')
        rows.push(...(await benchRollback({ repeats: plan.repeats, progress })));
      if (part === 'overhead') {
        rows.push(...(await benchFleet({ repeats: plan.repeats, progress, fleets: plan.fleets })));
      }
      if (part === 'bundles') {
        const outDir = join(workDir, 'bundles');
        rows.push(...(await benchBundles({ repeats: plan.repeats, outDir, progress })));
      }
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return rows;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      repeats: { type: 'string' },
    },
  });
  const unknown = positionals.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0) {
    console.error(`unknown part(s): ${unknown.join(', ')}; parts are ${PARTS.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const repeats = values.repeats === undefined ? undefined : Number(values.repeats);
  const plan = planFor(positionals as Part[], values.quick, repeats);
  const started = Date.now();
  const machine = await describeMachine();
  const rows = await runBench(plan, (message) => console.error(`[bench] ${message}`));
  if (values.json) {
    console.log(toJson(rows, { ...machine, repeats: plan.repeats, quick: values.quick }));
    return;
  }
  console.log(formatMachine(machine));
  console.log(
    `each number is the best of ${plan.repeats} run(s); ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s in all\n`,
  );
  console.log(formatTable(rows));
  const notes = formatNotes(rows);
  if (notes !== '') console.log(`\n${notes}`);
}

if (import.meta.main) await main();
