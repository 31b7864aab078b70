/**
 * One local stack in a process of its own (the handlers' clients belong to their process),
 * running measured deployments of the example app and printing one `BENCH-RESULT <json>` line:
 *
 *   node bench/stack/stack-child.ts deploy <instances> <repeats> [batch size]
 *   node bench/stack/stack-child.ts rollback <instances> <repeats>
 *
 * Both first release 1.0.0 unmeasured (a fleet with a current release, code paths warmed up),
 * then measure `repeats` releases: healthy upgrades for `deploy`, releases that fail their
 * health check and roll back for `rollback`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { executionArnFor, executionNameForObject } from '../../core/execution-name.ts';
import { LOCAL_APP_CONFIG, registerApp, trustLocalSigningKey } from '../../local/example-app.ts';
import { ApiCallCounter } from '../../local/stack/api-call-counter.ts';
import { startLocalStack } from '../../local/stack/local-stack.ts';
import type { LocalStack } from '../../local/stack/options.ts';
import type { ExecutionRecord } from '../../local/stepfunctions/execution-record.ts';
import { exportPublicKey, stopGpgAgent } from '../../release/gpg.ts';
import { prepareRelease } from './bench-release.ts';
import { type DeploymentSample, scriptIntervals, summarise } from './deployment-sample.ts';

const APP = 'web';
const BENCH_AGENT = 'signet-bench';

async function main(): Promise<void> {
  const [scenario = 'deploy', instancesArg = '1', repeatsArg = '1', batchArg] =
    process.argv.slice(2);
  const instances = Number(instancesArg);
  const repeats = Number(repeatsArg);
  const dir = await mkdtemp(join(tmpdir(), 'signet-bench-stack-'));
  const gnupgHome = join(dir, 'gnupg');
  const stack = await startLocalStack({
    stateDir: join(dir, 'state'),
    apps: [{ name: APP, instances }],
  }).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  const s3 = new S3Client({ customUserAgent: BENCH_AGENT });
  const ssm = new SSMClient({ customUserAgent: BENCH_AGENT });
  try {
    const fingerprint = await trustLocalSigningKey({
      gnupgHome,
      userId: 'Bench <bench@signet.invalid>',
      label: 'bench',
      app: APP,
    });
    if (batchArg !== undefined) {
      await registerApp(ssm, {
        prefix: '/signet',
        app: APP,
        config: { ...LOCAL_APP_CONFIG, rollout: { batchSize: Number(batchArg) } },
        trustedKeys: [
          {
            label: 'bench',
            armoredPublicKey: await exportPublicKey(fingerprint, { home: gnupgHome }),
          },
        ],
      });
    }
    const release = async (version: string, unhealthy: boolean) => {
      const prepared = await prepareRelease({
        app: APP,
        version,
        workDir: dir,
        gnupgHome,
        unhealthy,
      });
      return measureDeployment(stack, ssm, () => prepared.upload(s3, stack.bucket), version);
    };
    const warmUp = await release('1.0.0', false);
    if (warmUp.record.status !== 'SUCCEEDED') {
      throw new Error(`the first release ended ${warmUp.record.status}`);
    }
    const samples: DeploymentSample[] = [];
    for (let n = 1; n <= repeats; n += 1) {
      const { sample } = await release(`1.${n}.0`, scenario === 'rollback');
      samples.push(sample);
    }
    process.stdout.write(`BENCH-RESULT ${JSON.stringify({ scenario, instances, samples })}\n`);
  } finally {
    s3.destroy();
    ssm.destroy();
    await stopGpgAgent({ home: gnupgHome });
    await stack.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Uploads, waits for the execution's end, and takes its numbers. */
async function measureDeployment(
  stack: LocalStack,
  ssm: SSMClient,
  upload: () => Promise<{ bucket: string; key: string; versionId: string | null; etag: string }>,
  version: string,
): Promise<{ record: ExecutionRecord; sample: DeploymentSample }> {
  // The bench's own upload is the user's, not the deployment's: its calls are not counted.
  const counter = new ApiCallCounter({
    ignore: (request) =>
      request.userAgent.includes(BENCH_AGENT) || request.path.includes('/command-output/'),
  });
  counter.start();
  const started = Date.now();
  const uploaded = await upload();
  const name = executionNameForObject({ app: APP, version }, uploaded);
  const record = await waitForExecution(stack, name);
  const ended = record.stopDate ?? Date.now();
  counter.stop();
  const scripts = await scriptIntervals(ssm, started);
  return {
    record,
    sample: summarise({ record, started, ended, scripts, apiCalls: counter.counts() }),
  };
}

async function waitForExecution(stack: LocalStack, name: string): Promise<ExecutionRecord> {
  const executionArn = executionArnFor(stack.stateMachineArn, name);
  const deadline = Date.now() + 120_000;
  while (!stack.stepFunctions.executions().some((e) => e.executionArn === executionArn)) {
    if (Date.now() > deadline) throw new Error(`the upload started no deployment named ${name}`);
    await stack.idle();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return stack.stepFunctions.waitFor(executionArn);
}

await main();
