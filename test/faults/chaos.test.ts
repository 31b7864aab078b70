import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configParameterName } from '../../core/parameter-paths.ts';
import { LOCAL_APP_CONFIG, trustLocalSigningKey } from '../../local/example-app.ts';
import { FaultPlan } from '../../local/faults/fault-plan.ts';
import { startLocalStack } from '../../local/stack/local-stack.ts';
import type { LocalStack } from '../../local/stack/options.ts';
import { stopGpgAgent } from '../../release/gpg.ts';
import { awaitExecution, forKey } from '../helpers/await-execution.ts';
import { chaosAppSource, releaseChaosApp } from './chaos-app.ts';
import { brokenInvariants } from './chaos-invariants.ts';
import { applySchedule, randomSchedule, seededRandom } from './chaos-schedule.ts';

// CI runs a few schedules with a fixed seed; `SIGNET_CHAOS_SCHEDULES=40` runs a longer one
// (and SIGNET_CHAOS_SEED another sequence). The time budget bounds either.
const SEED = Number(process.env['SIGNET_CHAOS_SEED'] ?? 226);
const SCHEDULES = Number(process.env['SIGNET_CHAOS_SCHEDULES'] ?? 4);
const BUDGET_MS = Number(process.env['SIGNET_CHAOS_BUDGET_MS'] ?? 15 * 60_000);
const FLEET = 10;

describe('deployments under random faults on a 10-instance fleet', () => {
  const faults = new FaultPlan();
  let stack: LocalStack;
  let work: string;
  let gnupgHome: string;
  let source: string;
  let s3: S3Client;
  // A broken schedule keeps the state dir (execution history, command output, host logs).
  let keepWork = false;

  const deploy = async (version: string) => {
    const key = await releaseChaosApp({
      s3,
      bucket: stack.bucket,
      source,
      version,
      workDir: work,
      gnupgHome,
    });
    return awaitExecution(stack, forKey(key), 180_000);
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'signet-chaos-'));
    gnupgHome = join(work, 'gnupg');
    stack = await startLocalStack({
      stateDir: join(work, 'state'),
      apps: [{ name: 'web', instances: FLEET }],
      faults,
      // An instance offline for good gives up delivery after ~9 s instead of 15 minutes.
      controlPlaneTiming: { redeliveryIntervalMs: 200, deliveryTimeoutMsPerSecond: 10 },
    });
    await trustLocalSigningKey({ gnupgHome, userId: 'Chaos <c@signet.invalid>', label: 'chaos' });
    const ssm = new SSMClient({});
    await ssm.send(
      new PutParameterCommand({
        Name: configParameterName('/signet', 'web'),
        Type: 'String',
        Overwrite: true,
        Value: JSON.stringify({ ...LOCAL_APP_CONFIG, rollout: { batchSize: '50%' } }),
      }),
    );
    ssm.destroy();
    s3 = new S3Client({ forcePathStyle: true });
    source = await chaosAppSource(work);
    const first = await deploy('1.0.0');
    keepWork = first.status !== 'SUCCEEDED';
    expect(first.status).toBe('SUCCEEDED');
  }, 240_000);

  afterAll(async () => {
    s3?.destroy();
    await stopGpgAgent({ home: gnupgHome });
    await stack?.close();
    if (keepWork) process.stdout.write(`chaos: state kept in ${work}\n`);
    else await rm(work, { recursive: true, force: true });
  });

  it(
    'keeps every invariant after each seeded fault schedule',
    async () => {
      // Prepare
      const random = seededRandom(SEED);
      const started = Date.now();
      const failures: string[] = [];
      let ran = 0;
      let held = 0;
      let previousVersion = '1.0.0';
      // An instance a schedule left broken stays broken until an execution touches it again:
      // the next schedule's report names such a finding as inherited, not as a new failure.
      let lastBroken: { readonly schedule: number; readonly lines: readonly string[] } = {
        schedule: 0,
        lines: [],
      };

      // Act
      for (let n = 1; n <= SCHEDULES && Date.now() - started < BUDGET_MS; n += 1) {
        const version = `1.0.${n}`;
        const schedule = randomSchedule(random, FLEET);
        const end = await applySchedule(faults, stack.instances, schedule, version);
        const execution = await deploy(version).finally(end);
        const succeeded = execution.status === 'SUCCEEDED';
        const run = {
          executionArn: execution.executionArn,
          succeeded,
          newVersion: version,
          previousVersion,
        };
        const broken = inheritedMarked(await brokenInvariants(stack, run), lastBroken);
        if (broken.length > 0) lastBroken = { schedule: n, lines: broken };
        ran += 1;
        if (broken.length === 0) held += 1;
        else failures.push(`schedule ${n} ${JSON.stringify(schedule)}: ${broken.join('; ')}`);
        process.stdout.write(
          `chaos ${n}: ${execution.status} ${execution.error ?? ''} ` +
            `faults=${JSON.stringify(schedule)} ${broken.length === 0 ? 'held' : 'BROKEN'}\n`,
        );
        if (succeeded) previousVersion = version;
      }

      // Assess
      keepWork = failures.length > 0;
      process.stdout.write(`chaos: seed ${SEED}, ${ran} schedules ran, ${held} held\n`);
      expect(failures).toEqual([]);
      expect(ran).toBeGreaterThan(0);
    },
    BUDGET_MS + 300_000,
  );
});

/**
 * Labels an instance finding that is the very state an earlier schedule left ("web-3 serves
 * null ..., current -> 1.0.3"), so the report tells a new failure from an inherited one.
 */
function inheritedMarked(
  broken: readonly string[],
  earlier: { readonly schedule: number; readonly lines: readonly string[] },
): string[] {
  const stateOf = (line: string) => line.split('; expected ')[0] ?? line;
  const earlierStates = new Set(earlier.lines.map(stateOf));
  return broken.map((line) =>
    line.includes(' serves ') && earlierStates.has(stateOf(line))
      ? `${line} (inherited: schedule ${earlier.schedule} left it so)`
      : line,
  );
}
