import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cloudWatchService } from '../../../local/control-plane/cloudwatch/cloudwatch-service.ts';
import { startControlPlane } from '../../../local/control-plane/server.ts';

const ACCOUNT = '123456789012';

describe('local CloudWatch alarms (GraniteServiceVersion20100801)', () => {
  let stateDir: string;
  let close: () => Promise<void>;
  let client: CloudWatchClient;

  const start = async () => {
    const service = await cloudWatchService({ stateDir, region: 'us-east-1', account: ACCOUNT });
    const plane = await startControlPlane({ services: [service] });
    client = new CloudWatchClient({
      endpoint: plane.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      maxAttempts: 1,
    });
    close = async () => {
      client.destroy();
      await plane.close();
    };
  };
  const putAlarm = (name: string) =>
    client.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        MetricName: 'HTTPCode_Target_5XX_Count',
        Namespace: 'AWS/ApplicationELB',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
  const setState = (name: string, state: 'OK' | 'ALARM', data?: string) =>
    client.send(
      new SetAlarmStateCommand({
        AlarmName: name,
        StateValue: state,
        StateReason: `set to ${state} by a test`,
        ...(data === undefined ? {} : { StateReasonData: data }),
      }),
    );
  const describeAlarms = (input: DescribeAlarmsCommandInput) =>
    client.send(new DescribeAlarmsCommand(input));
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the call to fail');
      },
      (error: { name: string; Code?: string; $metadata: { httpStatusCode?: number } }) => ({
        name: error.name,
        code: error.Code,
        status: error.$metadata.httpStatusCode,
      }),
    );

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'signet-cloudwatch-'));
    await start();
  });
  afterEach(async () => {
    await close();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('creates an alarm in INSUFFICIENT_DATA with its ARN and configuration', async () => {
    // Act
    await putAlarm('web-5xx');
    const answer = await describeAlarms({ AlarmNames: ['web-5xx'] });

    // Assess
    expect(answer.MetricAlarms).toEqual([
      expect.objectContaining({
        AlarmName: 'web-5xx',
        AlarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:web-5xx`,
        StateValue: 'INSUFFICIENT_DATA',
        StateReason: 'Unchecked: Initial alarm creation',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Threshold: 5,
        ActionsEnabled: true,
        StateUpdatedTimestamp: expect.any(Date),
      }),
    ]);
    expect(answer.CompositeAlarms).toBeUndefined();
  });

  it('sets a state that DescribeAlarms then reports, and keeps it across a restart', async () => {
    // Prepare
    await putAlarm('web-5xx');

    // Act
    await setState('web-5xx', 'ALARM', '{"source":"test"}');
    await close();
    await start();
    const [alarm] = (await describeAlarms({ AlarmNames: ['web-5xx'] })).MetricAlarms ?? [];

    // Assess
    expect(alarm).toMatchObject({
      StateValue: 'ALARM',
      StateReason: 'set to ALARM by a test',
      StateReasonData: '{"source":"test"}',
    });
    expect(await readFile(join(stateDir, 'cloudwatch-alarms.json'), 'utf8')).toContain('ALARM');
  });

  it('leaves the state alone when PutMetricAlarm updates an alarm', async () => {
    // Prepare
    await putAlarm('web-5xx');
    await setState('web-5xx', 'ALARM');

    // Act
    await putAlarm('web-5xx');

    // Assess
    const [alarm] = (await describeAlarms({ AlarmNames: ['web-5xx'] })).MetricAlarms ?? [];
    expect(alarm?.StateValue).toBe('ALARM');
  });

  it('answers only the names it knows, sorted by name, and filters by state', async () => {
    // Prepare
    for (const name of ['web-latency', 'web-5xx', 'db-cpu']) await putAlarm(name);
    await setState('web-latency', 'ALARM');

    // Act
    const named = await describeAlarms({ AlarmNames: ['web-latency', 'web-5xx', 'web-gone'] });
    const firing = await describeAlarms({ StateValue: 'ALARM' });
    const prefixed = await describeAlarms({ AlarmNamePrefix: 'web-' });

    // Assess
    expect(named.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['web-5xx', 'web-latency']);
    expect(firing.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['web-latency']);
    expect(prefixed.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['web-5xx', 'web-latency']);
  });

  it('pages with MaxRecords and NextToken', async () => {
    // Prepare
    for (const name of ['a-1', 'a-2', 'a-3']) await putAlarm(name);

    // Act
    const first = await describeAlarms({ MaxRecords: 2 });
    const second = await describeAlarms({ MaxRecords: 2, NextToken: first.NextToken ?? '' });

    // Assess
    expect(first.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['a-1', 'a-2']);
    expect(second.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['a-3']);
    expect(second.NextToken).toBeUndefined();
  });

  it.each([
    [
      'SetAlarmState on an unknown alarm',
      () => setState('web-gone', 'ALARM'),
      { name: 'ResourceNotFound', code: 'ResourceNotFound', status: 404 },
    ],
    [
      'StateReasonData that is not JSON',
      async () => {
        await putAlarm('web-5xx');
        return setState('web-5xx', 'ALARM', 'not json');
      },
      { name: 'InvalidFormatFault', code: 'InvalidFormat', status: 400 },
    ],
    [
      'a StateValue outside the enum',
      () =>
        client.send(
          new SetAlarmStateCommand({
            AlarmName: 'web-5xx',
            StateValue: 'BROKEN' as 'OK',
            StateReason: 'x',
          }),
        ),
      { name: 'ValidationException', code: 'ValidationError', status: 400 },
    ],
    [
      'AlarmNames with AlarmNamePrefix',
      () => describeAlarms({ AlarmNames: ['a'], AlarmNamePrefix: 'a' }),
      {
        name: 'InvalidParameterCombinationException',
        code: 'InvalidParameterCombination',
        status: 400,
      },
    ],
    [
      'a MaxRecords over 100',
      () => describeAlarms({ MaxRecords: 101 }),
      { name: 'ValidationException', code: 'ValidationError', status: 400 },
    ],
    [
      'a forged NextToken',
      () => describeAlarms({ NextToken: 'forged' }),
      { name: 'InvalidNextToken', code: 'InvalidNextToken', status: 400 },
    ],
    [
      'a Period that is not 10, 20, 30 or a multiple of 60',
      () =>
        client.send(
          new PutMetricAlarmCommand({
            AlarmName: 'web-5xx',
            Period: 45,
            EvaluationPeriods: 1,
            ComparisonOperator: 'GreaterThanThreshold',
          }),
        ),
      { name: 'InvalidParameterValueException', code: 'InvalidParameterValue', status: 400 },
    ],
    [
      'PutMetricAlarm without EvaluationPeriods',
      () =>
        client.send(
          new PutMetricAlarmCommand({
            AlarmName: 'web-5xx',
            ComparisonOperator: 'GreaterThanThreshold',
          } as never),
        ),
      { name: 'ValidationException', code: 'ValidationError', status: 400 },
    ],
  ])('refuses %s with the error CloudWatch gives', async (_label, call, expected) => {
    // Act / Assess
    expect(await failure(call())).toEqual(expected);
  });
});
