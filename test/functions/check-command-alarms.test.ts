import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type MetricAlarm,
  type StateValue,
} from '@aws-sdk/client-cloudwatch';
import {
  CancelCommandCommand,
  type CommandInvocation,
  type CommandInvocationStatus,
  ListCommandInvocationsCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { cloudWatchAlarmStates } from '../../core/cloudwatch-alarm-states.ts';
import type { CommandState } from '../../core/command-state.ts';
import { checkCommand, handler } from '../../functions/check-command/handler.ts';
import { testTools } from '../helpers/handler-tools.ts';

const health = (alarms: readonly string[]): CommandState => ({
  phase: 'health',
  app: 'web',
  version: '1.2.0',
  commands: [{ commandId: 'c-1', instanceIds: ['i-a', 'i-b'] }],
  sentAt: '2026-12-04T10:00:00.000Z',
  deadline: '2026-12-04T11:00:00.000Z',
  waitSeconds: 2,
  maxWaitSeconds: 15,
  polls: 0,
  done: false,
  alarms,
});

const invocation = (instanceId: string, status: string, code: number): CommandInvocation => ({
  InstanceId: instanceId,
  Status: status as CommandInvocationStatus,
  StatusDetails: status,
  CommandPlugins: [{ ResponseCode: code, Output: '' }],
});

const alarm = (name: string, state: StateValue): MetricAlarm => ({
  AlarmName: name,
  StateValue: state,
});

describe('check-command with a CloudWatch alarm gate', () => {
  const ssm = mockClient(SSMClient);
  const cloudWatch = mockClient(CloudWatchClient);
  const check = checkCommand({
    ssm: () => new SSMClient({ region: 'us-east-1' }),
    alarms: () => cloudWatchAlarmStates(new CloudWatchClient({ region: 'us-east-1' })),
    now: () => new Date('2026-12-04T10:00:10Z'),
  });
  const hostsSay = (...statuses: [string, number][]) =>
    ssm.on(ListCommandInvocationsCommand).resolves({
      CommandInvocations: statuses.map(([status, code], n) =>
        invocation(['i-a', 'i-b'][n] ?? 'i-x', status, code),
      ),
    });

  beforeEach(() => {
    ssm.reset();
    cloudWatch.reset();
  });

  it('asks DescribeAlarms for exactly the listed names', async () => {
    // Prepare
    hostsSay(['InProgress', -1], ['InProgress', -1]);
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [alarm('web-5xx', 'OK'), alarm('web-latency', 'OK')],
    });

    // Act
    await check({ command: health(['web-5xx', 'web-latency']) }, testTools());

    // Assess
    const calls = cloudWatch.commandCalls(DescribeAlarmsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      AlarmNames: ['web-5xx', 'web-latency'],
      MaxRecords: 100,
    });
  });

  it('reads every page of the answer', async () => {
    // Prepare: the firing alarm is on the second page.
    hostsSay(['Success', 0], ['Success', 0]);
    cloudWatch
      .on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [alarm('web-5xx', 'OK')], NextToken: 'page-2' })
      .resolvesOnce({ MetricAlarms: [alarm('web-latency', 'ALARM')] });

    // Act
    const result = check({ command: health(['web-5xx', 'web-latency']) }, testTools());

    // Assess
    await expect(result).rejects.toMatchObject({
      name: 'HealthCheckFailed',
      message: expect.stringContaining('in ALARM during the bake: web-latency'),
    });
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)[1]?.args[0].input).toMatchObject({
      NextToken: 'page-2',
    });
  });

  it('fails the health phase on an alarm in ALARM at the poll that sees the bake end', async () => {
    // Prepare
    hostsSay(['Success', 0], ['Success', 0]);
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [alarm('web-5xx', 'ALARM'), alarm('web-latency', 'OK')],
    });

    // Act
    const result = check({ command: health(['web-5xx', 'web-latency']) }, testTools());

    // Assess
    await expect(result).rejects.toMatchObject({
      name: 'HealthCheckFailed',
      details: { app: 'web', version: '1.2.0', alarms: ['web-5xx'] },
    });
  });

  it('cancels a bake the alarm interrupts, and fails once the hosts have stopped', async () => {
    // Prepare: i-a still bakes when web-5xx fires; i-b has finished.
    hostsSay(['InProgress', -1], ['Success', 0]);
    ssm.on(CancelCommandCommand).resolves({});
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [alarm('web-5xx', 'ALARM')] });

    // Act: the poll that sees the alarm, then one while i-a stops, then one after.
    const first = await check({ command: health(['web-5xx']) }, testTools());
    const second = await check({ command: first }, testTools());
    ssm.reset();
    hostsSay(['Cancelled', -1], ['Success', 0]);
    cloudWatch.reset();
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [alarm('web-5xx', 'OK')] });
    const third = check({ command: second }, testTools());

    // Assess: the verdict holds even though the alarm is OK again by then.
    expect(first).toMatchObject({ done: false, alarmVerdict: { firing: ['web-5xx'] } });
    expect(first.cancelledAt).toBeDefined();
    expect(second).toMatchObject({ done: false, cancelledAt: first.cancelledAt });
    await expect(third).rejects.toMatchObject({
      name: 'HealthCheckFailed',
      message: expect.stringContaining('in ALARM during the bake: web-5xx'),
    });
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
  });

  it('cancels only the invocations still running', async () => {
    // Prepare
    hostsSay(['InProgress', -1], ['Success', 0]);
    ssm.on(CancelCommandCommand).resolves({});
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [alarm('web-5xx', 'ALARM')] });

    // Act
    await check({ command: health(['web-5xx']) }, testTools());

    // Assess
    expect(ssm.commandCalls(CancelCommandCommand).map((call) => call.args[0].input)).toEqual([
      { CommandId: 'c-1', InstanceIds: ['i-a'] },
    ]);
  });

  it.each([
    ['OK', 'OK'],
    ['INSUFFICIENT_DATA (no data points yet)', 'INSUFFICIENT_DATA'],
  ] as const)('passes an alarm in %s', async (_label, state) => {
    // Prepare
    hostsSay(['Success', 0], ['Success', 0]);
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [alarm('web-5xx', state)] });

    // Act
    const result = check({ command: health(['web-5xx']) }, testTools());

    // Assess
    await expect(result).resolves.toMatchObject({ done: true });
  });

  it('fails closed, naming the alarm, when a listed alarm does not exist', async () => {
    // Prepare: CloudWatch leaves unknown names out of its answer.
    hostsSay(['Success', 0], ['Success', 0]);
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [alarm('web-5xx', 'OK')] });

    // Act
    const result = check({ command: health(['web-5xx', 'web-5xxx']) }, testTools());

    // Assess
    await expect(result).rejects.toMatchObject({
      name: 'ConfigInvalid',
      message: expect.stringMatching(/App web .*do not exist.*: web-5xxx \(/),
    });
  });

  it('fails at once with AWS’s message when DescribeAlarms is denied', async () => {
    // Prepare
    hostsSay(['InProgress', -1], ['InProgress', -1]);
    const denied = Object.assign(new Error('not authorized to perform cloudwatch:DescribeAlarms'), {
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
    });
    cloudWatch.on(DescribeAlarmsCommand).rejects(denied);

    // Act
    const result = check({ command: health(['web-5xx']) }, testTools());

    // Assess
    await expect(result).rejects.toMatchObject({
      name: 'AwsRequestFailed',
      message: expect.stringContaining('DescribeAlarms web-5xx (health of web) failed'),
    });
  });

  it('reads no alarm in a phase that lists none', async () => {
    // Prepare
    hostsSay(['Success', 0], ['Success', 0]);

    // Act
    await check({ command: { ...health([]), phase: 'rollback-health' } }, testTools());

    // Assess
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
  });

  it('reads the alarms through CloudWatch in the deployed handler', async () => {
    // Prepare
    hostsSay(['Success', 0], ['Success', 0]);
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [alarm('web-5xx', 'ALARM')] });
    const context = { awsRequestId: 'r-1', functionName: 'check-command' } as Context;

    // Act
    const result = handler({ command: health(['web-5xx']) }, context);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'HealthCheckFailed' });
  });
});
