import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchClient,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configParameterName } from '../../core/parameter-paths.ts';
import { probeInstance } from '../../local/demo/instance-probe.ts';
import { LOCAL_APP_CONFIG, trustLocalSigningKey } from '../../local/example-app.ts';
import { startLocalStack } from '../../local/stack/local-stack.ts';
import type { LocalStack } from '../../local/stack/options.ts';
import type { ExecutionRecord } from '../../local/stepfunctions/execution-record.ts';
import { stopGpgAgent } from '../../release/gpg.ts';
import { chaosAppSource, releaseChaosApp } from '../faults/chaos-app.ts';
import { forKey } from '../helpers/await-execution.ts';

// Deployments of web gated on the alarm web-5xx, in order: each test starts where the last ended.
describe('a deployment gated on a CloudWatch alarm, on the local stack', () => {
  let stack: LocalStack;
  let work: string;
  let gnupgHome: string;
  let source: string;
  let s3: S3Client;
  let cloudWatch: CloudWatchClient;

  const setAlarm = (state: 'OK' | 'ALARM') =>
    cloudWatch.send(
      new SetAlarmStateCommand({
        AlarmName: 'web-5xx',
        StateValue: state,
        StateReason: `the alarm gate test set it to ${state}`,
      }),
    );
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
    work = await mkdtemp(join(tmpdir(), 'signet-alarm-gate-'));
    gnupgHome = join(work, 'gnupg');
    stack = await startLocalStack({
      stateDir: join(work, 'state'),
      apps: [{ name: 'web', instances: 2 }],
    });
    await trustLocalSigningKey({ gnupgHome, userId: 'Alarm <a@signet.invalid>', label: 'alarm' });
    const ssm = new SSMClient({});
    await ssm.send(
      new PutParameterCommand({
        Name: configParameterName('/signet', 'web'),
        Type: 'String',
        Overwrite: true,
        Value: JSON.stringify({
          ...LOCAL_APP_CONFIG,
          // A bake long enough for the test to raise the alarm while it runs.
          health: { ...LOCAL_APP_CONFIG.health, bakeSeconds: 4, alarms: ['web-5xx'] },
        }),
      }),
    );
    ssm.destroy();
    // The clients read AWS_ENDPOINT_URL_CLOUDWATCH and the rest from the stack's environment.
    cloudWatch = new CloudWatchClient({});
    await cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'web-5xx',
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    s3 = new S3Client({ forcePathStyle: true });
    source = await chaosAppSource(work);
  }, 120_000);

  afterAll(async () => {
    s3?.destroy();
    cloudWatch?.destroy();
    await stopGpgAgent({ home: gnupgHome });
    await stack?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('succeeds while the alarm stays OK', async () => {
    // Prepare
    await setAlarm('OK');

    // Act
    const execution = await stack.stepFunctions.waitFor(
      (await started(await upload('1.0.0'))).executionArn,
    );

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(await served()).toEqual(['1.0.0', '1.0.0']);
  }, 120_000);

  it('fails HealthCheckFailed and rolls back when the alarm fires during the bake', async () => {
    // Prepare
    const running = await started(await upload('1.0.1'));
    await entered(running, 'WaitForHealthCheck');

    // Act
    await setAlarm('ALARM');
    const execution = await stack.stepFunctions.waitFor(running.executionArn);

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('HealthCheckFailed');
    expect(execution.cause).toContain('CloudWatch alarm(s) in ALARM during the bake: web-5xx');
    expect(execution.cause).toContain('rolled back to 1.0.0');
    expect(await served()).toEqual(['1.0.0', '1.0.0']);
  }, 120_000);
});
