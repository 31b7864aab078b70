import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReleaseRecord } from '../../core/release-record.ts';
import { probeInstance } from '../../local/demo/instance-probe.ts';
import { trustLocalSigningKey } from '../../local/example-app.ts';
import { startLocalStack } from '../../local/stack/local-stack.ts';
import type { LocalStack } from '../../local/stack/options.ts';
import type { ExecutionRecord } from '../../local/stepfunctions/execution-record.ts';
import { stopGpgAgent } from '../../release/gpg.ts';
import { chaosAppSource, releaseChaosApp } from '../faults/chaos-app.ts';
import { forKey } from '../helpers/await-execution.ts';

describe('signet rollback while a release is being deployed, on the local stack', () => {
  let stack: LocalStack;
  let work: string;
  let gnupgHome: string;
  let source: string;
  let s3: S3Client;

  const upload = (version: string) =>
    releaseChaosApp({ s3, bucket: stack.bucket, source, version, workDir: work, gnupgHome });
  const started = async (key: string): Promise<ExecutionRecord> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = stack.stepFunctions.executions().find(forKey(key));
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no execution started for ${key}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const deploy = async (version: string) =>
    stack.stepFunctions.waitFor((await started(await upload(version))).executionArn);
  const entered = async (execution: ExecutionRecord, state: string) => {
    const deadline = Date.now() + 60_000;
    const marker = `"name":"${state}"`;
    while (!execution.history.some((event) => JSON.stringify(event).includes(marker))) {
      if (Date.now() > deadline) throw new Error(`${execution.name} never entered ${state}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const served = async () =>
    (await Promise.all(stack.instances.map(probeInstance))).map((i) => i.version);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'signet-rollback-race-'));
    gnupgHome = join(work, 'gnupg');
    stack = await startLocalStack({
      stateDir: join(work, 'state'),
      apps: [{ name: 'web', instances: 2 }],
    });
    await trustLocalSigningKey({ gnupgHome, userId: 'Race <r@signet.invalid>', label: 'race' });
    s3 = new S3Client({ forcePathStyle: true });
    source = await chaosAppSource(work);
  }, 120_000);

  afterAll(async () => {
    s3?.destroy();
    await stopGpgAgent({ home: gnupgHome });
    await stack?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('refuses a rollback asked from 1.3.0 once 1.5.0 is current, and leaves 1.5.0', async () => {
    // Prepare: current 1.3.0, previous 1.2.0; 1.5.0 is installing and holds the lock.
    expect((await deploy('1.2.0')).status).toBe('SUCCEEDED');
    expect((await deploy('1.3.0')).status).toBe('SUCCEEDED');
    const release = await started(await upload('1.5.0'));
    await entered(release, 'WaitForInstall');

    // Act: the operator asks for a rollback while 1.3.0 is still current.
    const rollback = stack.stepFunctions.start('web-rollback-during-1-5-0', {
      app: 'web',
      intent: 'rollback',
      requestedBy: 'operator',
    });
    const releaseDone = await stack.stepFunctions.waitFor(release.executionArn);
    const rollbackDone = await stack.stepFunctions.waitFor(rollback.executionArn);

    // Assess: 1.5.0 went out; the rollback, which meant "back from 1.3.0", touched nothing.
    expect(releaseDone.status).toBe('SUCCEEDED');
    expect(rollbackDone.status).toBe('FAILED');
    expect(rollbackDone.error).toBe('RollbackOutdated');
    expect(rollbackDone.cause).toContain('asked while 1.3.0 was current (back to 1.2.0)');
    expect(rollbackDone.cause).toContain('1.5.0 is current now');
    expect(await served()).toEqual(['1.5.0', '1.5.0']);
    const ssm = new SSMClient({});
    const record = await readReleaseRecord(ssm, '/signet', 'web').finally(() => ssm.destroy());
    expect([record.current?.version, record.previous?.version]).toEqual(['1.5.0', '1.3.0']);
  }, 180_000);

  it('rolls back from what is current when asked again', async () => {
    // Act
    const rollback = stack.stepFunctions.start('web-rollback-again', {
      app: 'web',
      intent: 'rollback',
      requestedBy: 'operator',
    });
    const done = await stack.stepFunctions.waitFor(rollback.executionArn);

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    expect(await served()).toEqual(['1.3.0', '1.3.0']);
  }, 120_000);
});
