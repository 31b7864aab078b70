import {
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, rejection, startLocalStack, waitFor } from './local-stack.ts';

describe('Run Command listings', () => {
  let stack: LocalStack;
  let web1: string;
  let succeeded: string;
  let failed: string;
  beforeAll(async () => {
    stack = await startLocalStack();
    web1 = stack.fleet.instance('web-1')?.id ?? '';
    const send = async (commands: string[]) => {
      const { Command } = await stack.ssm.send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunShellScript',
          InstanceIds: [web1],
          Parameters: { commands },
          Comment: 'listing test',
        }),
      );
      return Command?.CommandId ?? '';
    };
    succeeded = await send(['true']);
    failed = await send(['false']);
    await waitFor(
      () => stack.ssm.send(new ListCommandsCommand({})),
      (page) => page.Commands?.every((command) => command.CompletedCount === 1) === true,
    );
    // Invocations stay out of listings for the visibility window even once they finished.
    await waitFor(
      () => stack.ssm.send(new ListCommandInvocationsCommand({ InstanceId: web1 })),
      (page) => page.CommandInvocations?.length === 2,
    );
  });
  afterAll(async () => {
    await stack.close();
  });

  it('lists commands newest first with their counts', async () => {
    // Act
    const { Commands } = await stack.ssm.send(new ListCommandsCommand({}));

    // Assess
    expect(Commands?.map((command) => command.CommandId)).toEqual([failed, succeeded]);
    expect(Commands?.[0]).toMatchObject({
      Status: 'Failed',
      Comment: 'listing test',
      DocumentName: 'AWS-RunShellScript',
      TargetCount: 1,
      CompletedCount: 1,
      ErrorCount: 1,
      MaxConcurrency: '50',
      MaxErrors: '0',
      InstanceIds: [web1],
    });
  });

  it.each([
    { label: 'Status Success', filter: { key: 'Status', value: 'Success' }, expected: 'succeeded' },
    { label: 'Status Failed', filter: { key: 'Status', value: 'Failed' }, expected: 'failed' },
  ] as const)('filters commands by $label', async ({ filter, expected }) => {
    // Act
    const { Commands } = await stack.ssm.send(new ListCommandsCommand({ Filters: [filter] }));

    // Assess
    expect(Commands?.map((command) => command.CommandId)).toEqual([
      expected === 'succeeded' ? succeeded : failed,
    ]);
  });

  it('lists every invocation of an instance across commands', async () => {
    // Act
    const { CommandInvocations } = await stack.ssm.send(
      new ListCommandInvocationsCommand({ InstanceId: web1 }),
    );

    // Assess
    expect(CommandInvocations?.map((invocation) => invocation.StatusDetails)).toEqual([
      'Failed',
      'Success',
    ]);
  });

  it.each([
    {
      label: 'ListCommands for a command it never sent',
      call: () =>
        stack.ssm.send(
          new ListCommandsCommand({ CommandId: '00000000-0000-0000-0000-000000000000' }),
        ),
      error: 'InvalidCommandId',
    },
    {
      label: 'GetCommandInvocation with another plugin name',
      call: () =>
        stack.ssm.send(
          new GetCommandInvocationCommand({
            CommandId: succeeded,
            InstanceId: web1,
            PluginName: 'aws:runPowerShellScript',
          }),
        ),
      error: 'InvalidPluginName',
    },
    {
      label: 'GetCommandInvocation for an instance the command skipped',
      call: () =>
        stack.ssm.send(
          new GetCommandInvocationCommand({
            CommandId: succeeded,
            InstanceId: 'i-0123456789abcdef0',
          }),
        ),
      error: 'InvocationDoesNotExist',
    },
    {
      label: 'a command id of the wrong length',
      call: () => stack.ssm.send(new ListCommandsCommand({ CommandId: 'short' })),
      error: 'ValidationException',
    },
  ])('answers $label with $error', async ({ call, error }) => {
    // Act
    const failure = await rejection(call());

    // Assess
    expect(failure.name).toBe(error);
  });
});
