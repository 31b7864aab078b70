/**
 * Parts 2 and 3 on the local stack: rollback time (with each step's share), and orchestration
 * overhead with the counts that grow per deployment, for several fleet sizes. Each stack runs
 * in a child process (bench/stack/stack-child.ts).
 */
import { join } from 'node:path';
import { runTimed } from '../measure.ts';
import { type BenchRow, infoRow, limitRow, ratioRow } from '../table.ts';
import type { DeploymentSample } from './deployment-sample.ts';

const CHILD = join(import.meta.dirname, 'stack-child.ts');
/** The rollback target: failed health check to the previous release healthy, locally. */
const MAX_ROLLBACK_MS = 2000;

export interface StackBenchOptions {
  readonly repeats: number;
  readonly progress: (message: string) => void;
}

interface ChildResult {
  readonly samples: readonly DeploymentSample[];
}

async function runStack(args: readonly string[]): Promise<readonly DeploymentSample[]> {
  const run = await runTimed(process.execPath, [CHILD, ...args], { keepStdout: true });
  const line = run.stdout.split('\n').find((l) => l.startsWith('BENCH-RESULT '));
  if (line === undefined) throw new Error(`stack-child ${args.join(' ')} printed no result`);
  return (JSON.parse(line.slice('BENCH-RESULT '.length)) as ChildResult).samples;
}

/** Part 2: the fastest of `repeats` rollbacks on a 2-instance fleet, and where its time went. */
export async function benchRollback(options: StackBenchOptions): Promise<BenchRow[]> {
  const part = 'rollback';
  options.progress(`rollback: ${options.repeats} failing release(s) on a local stack of 2`);
  const samples = await runStack(['rollback', '2', String(options.repeats)]);
  const timed = samples.filter((s) => s.rollback !== undefined);
  const best = timed.sort((a, b) => (a.rollback?.ms ?? 0) - (b.rollback?.ms ?? 0))[0];
  const rollback = best?.rollback;
  if (best === undefined || rollback === undefined) {
    throw new Error(`no release rolled back: ${samples.map((s) => s.error).join(', ')}`);
  }
  const rows: BenchRow[] = [
    limitRow(
      {
        part,
        measure: 'failed health check -> previous release healthy',
        signet: rollback.ms,
        unit: 'ms',
        note: `example app, 2 instances, best of ${timed.length}; ratio below = share of this`,
      },
      MAX_ROLLBACK_MS,
    ),
    infoRow({
      part,
      measure: 'of which host scripts (rollback, health check)',
      signet: rollback.scriptMs,
      baseline: rollback.ms,
      unit: 'ms',
      note: 'the rollback command and the health command running on the instances',
    }),
  ];
  for (const [state, ms] of Object.entries(rollback.steps)) {
    if (ms < 1) continue;
    rows.push(
      infoRow({ part, measure: `step ${state}`, signet: ms, baseline: rollback.ms, unit: 'ms' }),
    );
  }
  return rows;
}

/** Part 3: orchestration overhead and per-deployment counts for each fleet size. */
export async function benchFleet(
  options: StackBenchOptions & { readonly fleets: readonly FleetSpec[] },
): Promise<BenchRow[]> {
  const part = 'overhead';
  const rows: BenchRow[] = [];
  let reference: DeploymentSample | null = null;
  for (const fleet of options.fleets) {
    const label =
      fleet.batchSize === undefined
        ? `${fleet.instances} inst`
        : `${fleet.instances} inst, batches of ${fleet.batchSize}`;
    options.progress(`overhead: ${options.repeats} upgrade(s) on ${label}`);
    const args = ['deploy', String(fleet.instances), String(options.repeats)];
    const samples = await runStack(
      fleet.batchSize === undefined ? args : [...args, String(fleet.batchSize)],
    );
    const failed = samples.find((s) => s.status !== 'SUCCEEDED');
    if (failed !== undefined)
      throw new Error(`an upgrade on ${label} ended ${failed.status} ${failed.error}`);
    const best = [...samples].sort((a, b) => a.overheadMs - b.overheadMs)[0];
    if (best === undefined) continue;
    reference ??= best;
    const polls = best.apiCallsByOperation['SSM ListCommandInvocations'] ?? 0;
    const refPolls = reference.apiCallsByOperation['SSM ListCommandInvocations'] ?? 0;
    rows.push(
      infoRow({
        part,
        measure: `${label}: upload to end minus host scripts`,
        signet: best.overheadMs,
        baseline: best.uploadToEndMs,
        unit: 'ms',
        note:
          `upload to end ${best.uploadToEndMs.toFixed(0)} ms, host scripts ` +
          `${best.scriptMs.toFixed(0)} ms (${best.scriptRuns} runs); ratio = overhead's share`,
      }),
      infoRow({
        part,
        measure: `${label}: state transitions`,
        signet: best.stateTransitions,
        baseline: reference.stateTransitions,
        unit: '',
        note: 'baseline: the smallest fleet',
      }),
      infoRow({
        part,
        measure: `${label}: Lambda invocations`,
        signet: best.lambdaInvocations,
        baseline: reference.lambdaInvocations,
        unit: '',
      }),
      infoRow({
        part,
        measure: `${label}: AWS API calls`,
        signet: best.apiCalls,
        baseline: reference.apiCalls,
        unit: '',
        note: callList(best),
      }),
      ratioRow(
        {
          part,
          measure: `${label}: API calls except status polls`,
          signet: best.apiCalls - polls,
          baseline: reference.apiCalls - refPolls,
          unit: '',
          note:
            'polls (ListCommandInvocations) follow the script time; ' +
            'the rest must not grow with instances in one batch',
        },
        fleet.batchSize === undefined ? 1 : Math.ceil(fleet.instances / fleet.batchSize),
      ),
    );
  }
  return rows;
}

export interface FleetSpec {
  readonly instances: number;
  readonly batchSize?: number;
}

function callList(sample: DeploymentSample): string {
  return Object.entries(sample.apiCallsByOperation)
    .map(([operation, count]) => `${operation} ${count}`)
    .join(', ');
}
