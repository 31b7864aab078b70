import {
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

  it('fails the phase once its deadline has passed', async () => {
    ssm
      .on(ListCommandInvocationsCommand)
      .resolves({ CommandInvocations: [invocation('i-a', 'InProgress', -1)] });
    now = new Date('2026-12-04T11:00:01Z');
    await expect(handler({ command: state('install') }, testTools())).rejects.toMatchObject({
      name: 'InstallFailed',
      message: expect.stringContaining('DeadlinePassed'),
    });
  });
});
