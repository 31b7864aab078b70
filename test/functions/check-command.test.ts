import {
  CancelCommandCommand,
  type CommandInvocation,
  type CommandInvocationStatus,
  ListCommandInvocationsCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CommandState } from '../../core/command-state.ts';
import { checkCommand } from '../../functions/check-command/handler.ts';
import { testTools } from '../helpers/handler-tools.ts';

const state = (
  phase: CommandState['phase'],
  overrides: Partial<CommandState> = {},
): CommandState => ({
  phase,
  app: 'web',
  version: '1.2.0',
  commands: [{ commandId: 'c-1', instanceIds: ['i-a', 'i-b'] }],
  sentAt: '2026-12-04T10:00:00.000Z',
  deadline: '2026-12-04T11:00:00.000Z',
  waitSeconds: 2,
  maxWaitSeconds: 15,
  polls: 0,
  done: false,
  ...overrides,
});

function invocation(
  instanceId: string,
  status: string,
  code: number,
  output = '',
): CommandInvocation {
  return {
    InstanceId: instanceId,
    Status: status as CommandInvocationStatus,
    StatusDetails: status,
    CommandPlugins: [{ ResponseCode: code, Output: output }],
  };
}

describe('check-command', () => {
  const ssm = mockClient(SSMClient);
  let now = new Date('2026-12-04T10:00:10Z');
  const handler = checkCommand({
    ssm: () => new SSMClient({ region: 'us-east-1' }),
    now: () => now,
  });

  beforeEach(() => {
    ssm.reset();
    now = new Date('2026-12-04T10:00:10Z');
  });

  it('asks SSM for the command’s invocations with details, and backs off while they run', async () => {
    ssm.on(ListCommandInvocationsCommand).resolves({
      CommandInvocations: [invocation('i-a', 'Success', 0), invocation('i-b', 'InProgress', -1)],
    });
    const next = await handler({ command: state('install') }, testTools());
    expect(ssm.commandCalls(ListCommandInvocationsCommand)[0]?.args[0].input).toMatchObject({
      CommandId: 'c-1',
      Details: true,
    });
    expect(next).toMatchObject({ done: false, polls: 1, waitSeconds: 3 });
  });

  it('follows pagination', async () => {
    ssm
      .on(ListCommandInvocationsCommand, { CommandId: 'c-1' })
      .resolvesOnce({ CommandInvocations: [invocation('i-a', 'Success', 0)], NextToken: 't' })
      .resolvesOnce({ CommandInvocations: [invocation('i-b', 'Success', 0)] });
    await expect(handler({ command: state('install') }, testTools())).resolves.toMatchObject({
      done: true,
    });
  });

  it.each([
    ['install', 69, 'InstallFailed'],
    ['install', 66, 'ChecksumMismatchOnHost'],
    ['install', 67, 'UnsafeArchiveEntry'],
    ['health', 70, 'HealthCheckFailed'],
    ['rollback', 71, 'RollbackFailed'],
    ['rollback-health', 70, 'RollbackFailed'],
  ] as const)(
    'fails a %s phase that exited %i as %s, naming the instance',
    async (phase, code, name) => {
      ssm.on(ListCommandInvocationsCommand).resolves({
        CommandInvocations: [
          invocation('i-a', 'Failed', code, 'signet: step one\nsignet: the reason it failed\n'),
          invocation('i-b', 'Success', 0),
        ],
      });
      await expect(handler({ command: state(phase) }, testTools())).rejects.toMatchObject({
        name,
        message: expect.stringContaining('i-a: Failed (Failed), exit'),
      });
    },
  );

  it('names the most telling fault when instances fail differently', async () => {
    ssm.on(ListCommandInvocationsCommand).resolves({
      CommandInvocations: [invocation('i-a', 'Failed', 69), invocation('i-b', 'Failed', 66)],
    });
    await expect(handler({ command: state('install') }, testTools())).rejects.toMatchObject({
      name: 'ChecksumMismatchOnHost',
    });
  });

  it('cancels what still runs once the deadline has passed, and keeps polling until it stops', async () => {
    // Prepare
    ssm.on(ListCommandInvocationsCommand).resolves({
      CommandInvocations: [invocation('i-a', 'InProgress', -1), invocation('i-b', 'Success', 0)],
    });
    ssm.on(CancelCommandCommand).resolves({});
    now = new Date('2026-12-04T11:00:01Z');

    // Act
    const next = await handler({ command: state('install') }, testTools());

    // Assess
    expect(ssm.commandCalls(CancelCommandCommand)[0]?.args[0].input).toEqual({
      CommandId: 'c-1',
      InstanceIds: ['i-a'],
    });
    expect(next).toMatchObject({ done: false, cancelledAt: now.toISOString() });
  });

  it.each([
    ['still Cancelling', 'Cancelling', 'Cancelling', false],
    ['Cancelled', 'Cancelled', 'Cancelled', true],
  ])('after a cancel, an invocation %s %s the phase', async (_label, status, details, fails) => {
    // Prepare
    ssm.on(ListCommandInvocationsCommand).resolves({
      CommandInvocations: [
        { ...invocation('i-a', status, -1), StatusDetails: details },
        invocation('i-b', 'Success', 0),
      ],
    });
    now = new Date('2026-12-04T11:00:05Z');
    const cancelled = state('install', { cancelledAt: '2026-12-04T11:00:01.000Z' });

    // Act
    const result = handler({ command: cancelled }, testTools());

    // Assess
    if (fails) {
      await expect(result).rejects.toMatchObject({
        name: 'InstallFailed',
        message: expect.stringContaining('i-a: Cancelled'),
      });
    } else {
      await expect(result).resolves.toMatchObject({ done: false });
      expect(ssm.commandCalls(CancelCommandCommand)).toHaveLength(0);
    }
  });

  it('fails with DeadlinePassed when cancelled invocations never stop', async () => {
    // Prepare
    ssm.on(ListCommandInvocationsCommand).resolves({
      CommandInvocations: [invocation('i-a', 'Cancelling', -1), invocation('i-b', 'Success', 0)],
    });
    now = new Date('2026-12-04T11:10:00Z');
    const cancelled = state('install', { cancelledAt: '2026-12-04T11:00:01.000Z' });

    // Act / Assess
    await expect(handler({ command: cancelled }, testTools())).rejects.toMatchObject({
      name: 'InstallFailed',
      message: expect.stringContaining('i-a: DeadlinePassed'),
    });
  });

  it.each([
    ['Pending', 'Pending', 0, 'running'],
    ['InProgress', 'In Progress', -1, 'running'],
    ['Delayed', 'Delayed', -1, 'running'],
    ['Cancelling', 'Cancelling', -1, 'running'],
    ['Success with exit 0', 'Success', 0, 'done'],
    ['Success with a non-zero exit', 'Success', 3, 'InstallFailed'],
    ['Failed', 'Failed', 1, 'InstallFailed'],
    ['TimedOut (Delivery Timed Out)', 'Delivery Timed Out', -1, 'InstallFailed'],
    ['TimedOut (Execution Timed Out)', 'Execution Timed Out', 137, 'InstallFailed'],
    ['Cancelled', 'Cancelled', -1, 'InstallFailed'],
    ['Failed (Undeliverable)', 'Undeliverable', -1, 'InstallFailed'],
    ['Cancelled (Terminated)', 'Terminated', -1, 'InstallFailed'],
  ])('reads an invocation %s as %s', async (label, details, code, expected) => {
    // Prepare
    const status = label.split(' ')[0] ?? label;
    ssm.on(ListCommandInvocationsCommand).resolves({
      CommandInvocations: [
        { ...invocation('i-a', status, code), StatusDetails: details },
        invocation('i-b', 'Success', 0),
      ],
    });

    // Act
    const result = handler({ command: state('install') }, testTools());

    // Assess
    if (expected === 'running') await expect(result).resolves.toMatchObject({ done: false });
    else if (expected === 'done') await expect(result).resolves.toMatchObject({ done: true });
    else await expect(result).rejects.toMatchObject({ name: expected });
  });

  it.each([
    ['throttling', 'ThrottlingException', 400, 'AwsThrottled'],
    ['a 5xx answer', 'InternalServerError', 503, 'AwsThrottled'],
    ['access denied', 'AccessDeniedException', 400, 'AwsRequestFailed'],
    ['a validation error', 'ValidationException', 400, 'AwsRequestFailed'],
  ])('turns %s from SSM into %s, with the AWS message', async (_label, name, code, expected) => {
    // Prepare
    const error = Object.assign(new Error(`${name} said no`), {
      name,
      $metadata: { httpStatusCode: code },
      $fault: code >= 500 ? 'server' : 'client',
    });
    ssm.on(ListCommandInvocationsCommand).rejects(error);

    // Act / Assess
    await expect(handler({ command: state('install') }, testTools())).rejects.toMatchObject({
      name: expected,
      message: expect.stringContaining(`${name} said no`),
    });
  });

  it.each([
    ['keeps polling 30 s after SendCommand', '2026-12-04T10:00:30Z', null],
    [
      'fails with InvocationNeverAppeared past the 60 s grace',
      '2026-12-04T10:01:01Z',
      'InstallFailed',
    ],
  ])('while SSM does not list an invocation yet, %s', async (_label, at, expected) => {
    // Prepare
    ssm.on(ListCommandInvocationsCommand).resolves({
      CommandInvocations: [invocation('i-a', 'Success', 0)],
    });
    now = new Date(at);

    // Act
    const result = handler({ command: state('install') }, testTools());

    // Assess
    if (expected === null) await expect(result).resolves.toMatchObject({ done: false });
    else {
      await expect(result).rejects.toMatchObject({
        name: expected,
        message: expect.stringContaining('i-b: InvocationNeverAppeared'),
      });
    }
  });

  describe('with a rollout policy', () => {
    const tolerance = { instanceCount: 4, maximumFailed: 1, minimumHealthy: 2 };

    it('absorbs a failure the policy tolerates and carries it on', async () => {
      // Prepare
      ssm.on(ListCommandInvocationsCommand).resolves({
        CommandInvocations: [invocation('i-a', 'Failed', 69), invocation('i-b', 'Success', 0)],
      });

      // Act
      const next = await handler(
        { command: state('install', { tolerance, tolerated: [] }) },
        testTools(),
      );

      // Assess
      expect(next).toMatchObject({
        done: true,
        tolerated: [{ instanceId: 'i-a', phase: 'install', status: 'Failed' }],
      });
    });

    it.each([
      ['a second failure past maximumFailed', { ...tolerance }, 'i-z'],
      [
        'a failure that breaks minimumHealthy',
        { ...tolerance, maximumFailed: 2, minimumHealthy: 3 },
        'i-z',
      ],
    ])('fails on %s, naming the earlier tolerated one', async (_label, policy, earlier) => {
      // Prepare
      ssm.on(ListCommandInvocationsCommand).resolves({
        CommandInvocations: [invocation('i-a', 'Success', 0), invocation('i-b', 'Failed', 70)],
      });
      const tolerated = [{ instanceId: earlier, phase: 'install', status: 'Failed' }];

      // Act / Assess
      await expect(
        handler({ command: state('health', { tolerance: policy, tolerated }) }, testTools()),
      ).rejects.toMatchObject({
        name: 'HealthCheckFailed',
        message: expect.stringMatching(/i-b: Failed.*earlier tolerated failures: i-z \(Failed\)/),
      });
    });

    it('tolerates nothing in a rollback phase', async () => {
      // Prepare
      ssm.on(ListCommandInvocationsCommand).resolves({
        CommandInvocations: [invocation('i-a', 'Failed', 71), invocation('i-b', 'Success', 0)],
      });

      // Act / Assess
      await expect(
        handler({ command: state('rollback', { tolerance, tolerated: [] }) }, testTools()),
      ).rejects.toMatchObject({
        name: 'RollbackFailed',
      });
    });
  });
});
