import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CancelCommandCommand,
  GetCommandInvocationCommand,
  type GetCommandInvocationCommandOutput,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
} from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalStack, rejection, startLocalStack, waitFor } from './local-stack.ts';

type Invocation = GetCommandInvocationCommandOutput;

/** Alive and not a zombie waiting for its parent. */
function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('Run Command life cycle', () => {
  let stack: LocalStack;
  let web1: string;
  let web2: string;
  let db1: string;
  beforeEach(async () => {
    stack = await startLocalStack();
    const idOf = (name: string) => stack.fleet.instance(name)?.id ?? '';
    web1 = idOf('web-1');
    web2 = idOf('web-2');
    db1 = idOf('db-1');
  });
  afterEach(async () => {
    await stack.close();
  });

  const send = async (instanceIds: string[], commands: string[], extra: object = {}) => {
    const { Command } = await stack.ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: instanceIds,
        Parameters: { commands },
        ...extra,
      }),
    );
    return Command?.CommandId ?? '';
  };
  const invocation = (commandId: string, instanceId: string) =>
    stack.ssm.send(
      new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }),
    );
  const until = (commandId: string, instanceId: string, done: (value: Invocation) => boolean) =>
    waitFor(() => invocation(commandId, instanceId), done);
  const commandStatus = async (commandId: string) => {
    const { Commands } = await stack.ssm.send(new ListCommandsCommand({ CommandId: commandId }));
    return [Commands?.[0]?.Status, Commands?.[0]?.StatusDetails];
  };

  it('hides a new invocation for a while, as SSM is eventually consistent', async () => {
    // Act
    const commandId = await send([web1], ['true']);
    const early = await rejection(invocation(commandId, web1));
    const listedEarly = await stack.ssm.send(
      new ListCommandInvocationsCommand({ CommandId: commandId }),
    );
    const later = await until(commandId, web1, (value) => value.Status !== undefined);

    // Assess
    expect(early.name).toBe('InvocationDoesNotExist');
    expect(listedEarly.CommandInvocations).toEqual([]);
    expect(later.CommandId).toBe(commandId);
  });

  it('goes InProgress (ResponseCode -1, no output), then Success with exit code 0', async () => {
    // Act
    const commandId = await send([web1], ['sleep 0.5', 'echo done']);
    const running = await until(commandId, web1, (value) => value.Status === 'InProgress');
    const runningCommand = await commandStatus(commandId);
    const finished = await until(commandId, web1, (value) => value.Status === 'Success');

    // Assess
    expect(running).toMatchObject({
      StatusDetails: 'InProgress',
      ResponseCode: -1,
      StandardOutputContent: '',
    });
    expect(runningCommand).toEqual(['InProgress', 'InProgress']);
    expect(finished).toMatchObject({
      StatusDetails: 'Success',
      ResponseCode: 0,
      StandardOutputContent: 'done\n',
    });
    expect(finished.ExecutionEndDateTime).not.toBe('');
    expect(await commandStatus(commandId)).toEqual(['Success', 'Success']);
  });

  it('shows Pending while the agent has not received the invocation', async () => {
    // Prepare
    await stack.close();
    stack = await startLocalStack({
      services: { timing: { invocationVisibilityDelayMs: 20, deliveryDelayMs: 600 } },
    });
    const instanceId = stack.fleet.instance('web-1')?.id ?? '';

    // Act
    const commandId = await send([instanceId], ['true']);
    const pending = await until(commandId, instanceId, (value) => value.Status !== undefined);
    const pendingCommand = await commandStatus(commandId);

    // Assess
    expect(pending).toMatchObject({
      Status: 'Pending',
      StatusDetails: 'Pending',
      ResponseCode: -1,
    });
    expect(pendingCommand).toEqual(['Pending', 'Pending']);
  });

  it.each([
    { label: 'exit 1', exitCode: 1 },
    { label: 'exit 2', exitCode: 2 },
    { label: 'exit 255', exitCode: 255 },
  ])('reports Failed with the exit code on $label', async ({ exitCode }) => {
    // Act
    const commandId = await send([web1], [`exit ${exitCode}`]);
    const finished = await until(commandId, web1, (value) => value.Status === 'Failed');

    // Assess
    expect(finished).toMatchObject({ StatusDetails: 'Failed', ResponseCode: exitCode });
    expect(await commandStatus(commandId)).toEqual(['Failed', 'Failed']);
  });

  it('times a script out past executionTimeout and kills its whole process group', async () => {
    // Act
    const commandId = await send([web1], [], {
      Parameters: {
        commands: ['sleep 30 &', 'echo $! > "$HOME/child.pid"', 'wait'],
        executionTimeout: ['1'],
      },
    });
    const finished = await until(commandId, web1, (value) => value.Status === 'TimedOut');
    const pidFile = join(stack.fleet.instance('web-1')?.root ?? '', 'root', 'child.pid');
    const childPid = Number((await readFile(pidFile, 'utf8')).trim());
    const childGone = await waitFor(
      async () => !isAlive(childPid),
      (gone) => gone,
      2000,
    );

    // Assess
    expect(finished).toMatchObject({ StatusDetails: 'ExecutionTimedOut', ResponseCode: 137 });
    expect(childGone).toBe(true);
    expect(await commandStatus(commandId)).toEqual(['TimedOut', 'ExecutionTimedOut']);
  });

  it('cancels a running invocation: Cancelled, and the command too', async () => {
    // Prepare
    const commandId = await send([web1], ['sleep 30']);
    await until(commandId, web1, (value) => value.Status === 'InProgress');

    // Act
    await stack.ssm.send(new CancelCommandCommand({ CommandId: commandId }));
    const cancelled = await until(commandId, web1, (value) => value.Status === 'Cancelled');

    // Assess
    expect(cancelled.StatusDetails).toBe('Cancelled');
    expect(await commandStatus(commandId)).toEqual(['Cancelled', 'Cancelled']);
  });

  it('waits Delayed while its instance is stopped and ends DeliveryTimedOut', async () => {
    // Prepare
    await stack.fleet.stopInstance('web-1');

    // Act: delivery gives up after (TimeoutSeconds + executionTimeout) = 201 s, 5 ms each here.
    const commandId = await send([web1], ['true'], {
      TimeoutSeconds: 200,
      Parameters: { commands: ['true'], executionTimeout: ['1'] },
    });
    const delayed = await until(commandId, web1, (value) => value.Status !== undefined);
    const timedOut = await until(commandId, web1, (value) => value.Status === 'TimedOut');

    // Assess
    expect(delayed).toMatchObject({
      Status: 'Delayed',
      StatusDetails: 'Delayed',
      ResponseCode: -1,
    });
    expect(timedOut).toMatchObject({ StatusDetails: 'DeliveryTimedOut', ResponseCode: -1 });
    expect(await commandStatus(commandId)).toEqual(['TimedOut', 'DeliveryTimedOut']);
  });

  it('delivers once a stopped instance starts again before delivery times out', async () => {
    // Prepare
    await stack.fleet.stopInstance('web-1');
    const commandId = await send([web1], ['echo back']);
    await until(commandId, web1, (value) => value.Status === 'Delayed');

    // Act
    stack.fleet.startInstance('web-1');
    const finished = await until(commandId, web1, (value) => value.Status === 'Success');

    // Assess
    expect(finished.StandardOutputContent).toBe('back\n');
  });

  it('cancels an invocation still waiting for delivery, with no exit code', async () => {
    // Prepare
    await stack.fleet.stopInstance('web-1');
    const commandId = await send([web1], ['true']);
    await until(commandId, web1, (value) => value.Status === 'Delayed');

    // Act
    await stack.ssm.send(new CancelCommandCommand({ CommandId: commandId }));
    const cancelled = await until(commandId, web1, (value) => value.Status === 'Cancelled');

    // Assess
    expect(cancelled.ResponseCode).toBe(-1);
  });

  it('runs on the instances a tag target selects', async () => {
    // Act
    const { Command } = await stack.ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        Targets: [{ Key: 'tag:App', Values: ['web'] }],
        Parameters: { commands: ['echo "$AWS_SSM_INSTANCE_ID"'] },
      }),
    );
    const commandId = Command?.CommandId ?? '';
    const listed = await waitFor(
      () =>
        stack.ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, Details: true })),
      (page) =>
        page.CommandInvocations?.every((i) => i.Status === 'Success') === true &&
        page.CommandInvocations.length === 2,
    );

    // Assess
    expect(listed.CommandInvocations?.map((i) => i.InstanceId).sort()).toEqual([web1, web2].sort());
    expect(listed.CommandInvocations?.map((i) => i.CommandPlugins?.[0]?.Output).sort()).toEqual(
      [`${web1}\n`, `${web2}\n`].sort(),
    );
    expect(listed.CommandInvocations?.some((i) => i.InstanceId === db1)).toBe(false);
  });

  it('lists invocations a page at a time, with details only when asked', async () => {
    // Prepare
    const commandId = await send([web1, web2, db1], ['true']);
    await waitFor(
      () => stack.ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId })),
      (page) => page.CommandInvocations?.length === 3,
    );

    // Act
    const first = await stack.ssm.send(
      new ListCommandInvocationsCommand({ CommandId: commandId, MaxResults: 2 }),
    );
    const second = await stack.ssm.send(
      new ListCommandInvocationsCommand({
        CommandId: commandId,
        MaxResults: 2,
        NextToken: first.NextToken ?? '',
      }),
    );

    // Assess
    expect(first.CommandInvocations).toHaveLength(2);
    expect(first.CommandInvocations?.[0]?.CommandPlugins).toEqual([]);
    expect(second.CommandInvocations).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
  });

  it('stops starting invocations once errors pass MaxErrors: the rest are Terminated', async () => {
    // Act
    const commandId = await send([web1, web2, db1], ['exit 4'], {
      MaxConcurrency: '1',
      MaxErrors: '0',
    });
    const listed = await waitFor(
      () => stack.ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId })),
      (page) =>
        page.CommandInvocations?.length === 3 &&
        page.CommandInvocations.every((i) => i.Status !== 'Pending' && i.Status !== 'InProgress'),
    );

    // Assess
    expect(listed.CommandInvocations?.map((i) => i.StatusDetails).sort()).toEqual([
      'Failed',
      'Terminated',
      'Terminated',
    ]);
    expect(await commandStatus(commandId)).toEqual(['Failed', 'Failed']);
  });

  it.each([
    {
      label: 'an unknown document',
      request: { DocumentName: 'NoSuchDocument', InstanceIds: ['i-0123456789abcdef0'] },
      error: 'InvalidDocument',
    },
    {
      label: 'an instance SSM does not manage',
      request: {
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: ['i-0123456789abcdef0'],
        Parameters: { commands: ['true'] },
      },
      error: 'InvalidInstanceId',
    },
    {
      label: 'a value outside allowedPattern',
      request: {
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: ['i-0123456789abcdef0'],
        Parameters: { commands: ['true'], executionTimeout: ['soon'] },
      },
      error: 'InvalidParameters',
    },
    {
      label: 'a missing required parameter',
      request: { DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0123456789abcdef0'] },
      error: 'InvalidParameters',
    },
    {
      label: 'an undefined parameter',
      request: {
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: ['i-0123456789abcdef0'],
        Parameters: { commands: ['true'], extra: ['x'] },
      },
      error: 'InvalidParameters',
    },
    {
      label: 'a delivery timeout under 30 seconds',
      request: {
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: ['i-0123456789abcdef0'],
        Parameters: { commands: ['true'] },
        TimeoutSeconds: 10,
      },
      error: 'ValidationException',
    },
  ])('refuses $label with $error', async ({ request, error }) => {
    // Act
    const failure = await rejection(stack.ssm.send(new SendCommandCommand(request)));

    // Assess
    expect(failure.name).toBe(error);
    expect(failure.$metadata?.httpStatusCode).toBe(400);
  });

  it('answers InvalidCommandId when cancelling a command it never sent', async () => {
    // Act
    const failure = await rejection(
      stack.ssm.send(
        new CancelCommandCommand({ CommandId: '00000000-0000-0000-0000-000000000000' }),
      ),
    );

    // Assess
    expect(failure.name).toBe('InvalidCommandId');
  });
});
