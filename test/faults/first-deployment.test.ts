import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configParameterName } from '../../core/parameter-paths.ts';
import { probeInstance } from '../../local/demo/instance-probe.ts';
import { LOCAL_APP_CONFIG, trustLocalSigningKey } from '../../local/example-app.ts';
import { FaultPlan } from '../../local/faults/fault-plan.ts';
import { startLocalStack } from '../../local/stack/local-stack.ts';
import type { LocalStack } from '../../local/stack/options.ts';
import { stopGpgAgent } from '../../release/gpg.ts';
import { awaitExecution, forKey } from '../helpers/await-execution.ts';
import { chaosAppSource, releaseChaosApp } from './chaos-app.ts';

// Deployments on a fresh 3-instance fleet, in order: each test starts where the last ended.
describe('a fleet under faults, from its first deployment', () => {
  const faults = new FaultPlan();
  let stack: LocalStack;
  let work: string;
  let gnupgHome: string;
  let source: string;
  let s3: S3Client;

  const configure = async (rollout: object) => {
    const ssm = new SSMClient({});
    await ssm.send(
      new PutParameterCommand({
        Name: configParameterName('/signet', 'web'),
        Type: 'String',
        Overwrite: true,
        Value: JSON.stringify({ ...LOCAL_APP_CONFIG, rollout }),
      }),
    );
    ssm.destroy();
  };
  const deploy = async (version: string) => {
    const key = await releaseChaosApp({
      s3,
      bucket: stack.bucket,
      source,
      version,
      workDir: work,
      gnupgHome,
    });
    return awaitExecution(stack, forKey(key), 120_000);
  };
  // The instances in batch order (batches take instance ids in sorted order).
  const instances = () => [...stack.instances].sort((a, b) => a.id.localeCompare(b.id));
  const failHook = async (instance: number, version: string, hook: string) => {
    const dir = join(instances()[instance]?.signetHome ?? '', 'faults', version);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, hook), '');
  };
  const served = async () =>
    (await Promise.all(instances().map(probeInstance))).map((i) => i.version);

  afterEach(async () => {
    faults.clear();
    for (const instance of stack.instances) {
      await rm(join(instance.signetHome, 'faults'), { recursive: true, force: true });
    }
  });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'signet-first-'));
    gnupgHome = join(work, 'gnupg');
    stack = await startLocalStack({
      stateDir: join(work, 'state'),
      apps: [{ name: 'web', instances: 3 }],
      faults,
    });
    await trustLocalSigningKey({ gnupgHome, userId: 'First <f@signet.invalid>', label: 'first' });
    await configure({ batchSize: 1 });
    s3 = new S3Client({ forcePathStyle: true });
    source = await chaosAppSource(work);
  }, 120_000);

  afterAll(async () => {
    s3?.destroy();
    await stopGpgAgent({ home: gnupgHome });
    await stack?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('stops and flags the touched instances of a failed first deployment', async () => {
    // Prepare: the second batch's ValidateService fails.
    await failHook(1, '1.0.0', 'ValidateService');

    // Act
    const execution = await deploy('1.0.0');

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InstallFailed');
    expect(execution.cause).toContain('nothing to roll back to: 2 instance(s) stopped and flagged');
    expect(await served()).toEqual([null, null, null]);
    const [first, second, third] = instances().map((i) => join(i.signetHome, 'web'));
    expect(await readFile(join(first ?? '', 'failed-deployment'), 'utf8')).toMatch(/ 1\.0\.0\n$/);
    expect(existsSync(join(second ?? '', 'failed-deployment'))).toBe(true);
    expect(existsSync(join(third ?? '', 'failed-deployment'))).toBe(false);
  }, 120_000);

  it('stops before touching any instance when one is unreachable', async () => {
    // Prepare
    const offline = instances()[2]?.id ?? '';
    faults.offline(offline);

    // Act
    const execution = await deploy('1.0.1');

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('TargetsUnavailable');
    expect(execution.cause).toContain(offline);
    expect(await served()).toEqual([null, null, null]);
  }, 120_000);

  it('skips an unreachable instance when the app allows it, and names it', async () => {
    // Prepare
    await configure({ batchSize: 1, onUnreachable: 'skip' });
    const offline = instances()[2]?.id ?? '';
    faults.offline(offline);

    // Act
    const execution = await deploy('1.0.2');

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toContain(`unreachable instances skipped: ${offline}`);
    expect(await served()).toEqual(['1.0.2', '1.0.2', null]);
  }, 120_000);

  it('absorbs a failure the rollout policy tolerates, and reports it', async () => {
    // Prepare
    await configure({ batchSize: 1, maximumFailed: 1 });
    await failHook(0, '1.0.3', 'BeforeInstall');

    // Act
    const execution = await deploy('1.0.3');

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output).toMatch(
      /failures tolerated by the rollout policy: i-\w+ \(install: Failed\)/,
    );
    expect((await served()).slice(1)).toEqual(['1.0.3', '1.0.3']);
  }, 120_000);

  it('fails and rolls back at the second failure past maximumFailed', async () => {
    // Prepare
    await failHook(0, '1.0.4', 'BeforeInstall');
    await failHook(2, '1.0.4', 'ValidateService');

    // Act
    const execution = await deploy('1.0.4');

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InstallFailed');
    expect(execution.cause).toContain('earlier tolerated failures');
    expect(execution.cause).toContain('rolled back to 1.0.3');
    // The first instance never had 1.0.3: its rollback downloads it and checks it again.
    expect(await served()).toEqual(['1.0.3', '1.0.3', '1.0.3']);
  }, 120_000);
});
