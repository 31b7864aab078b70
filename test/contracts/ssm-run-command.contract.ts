import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import {
  type CommandInvocation,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  type GetCommandInvocationCommandOutput,
  ListCommandInvocationsCommand,
  SendCommandCommand,
} from '@aws-sdk/client-ssm';
import { expect } from 'vitest';
import { findFleetTargets } from '../../core/fleet-targets.ts';
import { type Contract, type ContractWorld, contractCase, thrown } from './contract.ts';
import { recordedError } from './recorded-answers.ts';

// Sources: SSM API Reference, SendCommand, GetCommandInvocation (InvocationDoesNotExist;
// StandardOutputContent at most 24,000 characters), ListCommandInvocations (Details,
// CommandPlugins Output at most 2,500), DescribeInstanceInformation (PingStatus); SSM user
// guide, "Understanding command statuses"; amazon-ssm-agent iohandler.go (truncation markers).

const COMMAND_ID = '1a2b3c4d-1a2b-1a2b-1a2b-1a2b3c4d5e6f';
const OUTPUT_MARKER = '\n---Output truncated---';

const send = (world: ContractWorld, script: string) =>
  world.clients.ssm.send(
    new SendCommandCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: [world.fleet.running[0] ?? ''],
      Parameters: { commands: [script] },
    }),
  );

/** Polls GetCommandInvocation until the invocation ended, as check-command's Wait loop does. */
async function finished(
  world: ContractWorld,
  commandId: string,
): Promise<GetCommandInvocationCommandOutput> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const answer = await world.clients.ssm
      .send(
        new GetCommandInvocationCommand({
          CommandId: commandId,
          InstanceId: world.fleet.running[0] ?? '',
        }),
      )
      .catch((error: Error) => {
        if (error.name === 'InvocationDoesNotExist') return undefined;
        throw error;
      });
    const status = answer?.Status ?? 'Pending';
    if (answer !== undefined && !['Pending', 'InProgress', 'Delayed'].includes(status)) {
      return answer;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`command ${commandId} did not finish within 15 s`);
}

const recordedSend = (
  stubs: Parameters<Parameters<typeof contractCase>[0]['recorded']>[0],
  finalAnswer: Partial<GetCommandInvocationCommandOutput>,
) => {
  stubs.ssm.on(SendCommandCommand).resolves({
    Command: { CommandId: COMMAND_ID, Status: 'Pending', DocumentName: 'AWS-RunShellScript' },
  });
  stubs.ssm
    .on(GetCommandInvocationCommand)
    .rejectsOnce(recordedError('InvocationDoesNotExist', ''))
    .resolvesOnce({ CommandId: COMMAND_ID, Status: 'InProgress', StatusDetails: 'InProgress' })
    .resolves({ CommandId: COMMAND_ID, ...finalAnswer });
};

export const ssmRunCommandContract: Contract = {
  api: 'SSM Run Command',
  operations: [
    'SendCommand',
    'GetCommandInvocation',
    'ListCommandInvocations',
    'DescribeInstanceInformation',
  ],
  unsupported: {
    moto:
      'moto 5.2 Run Command is a stub ' +
      '(DescribeInstanceInformation and ListCommandInvocations answer 500)',
  },
  cases: [
    contractCase({
      name: 'splits the fleet into reachable instances and stopped ones (EC2 + SSM)',
      recorded: (stubs, world) => {
        stubs.ec2.on(DescribeInstancesCommand).resolves({
          Reservations: [
            ...world.fleet.running.map((id) => ({
              Instances: [{ InstanceId: id, State: { Code: 16, Name: 'running' as const } }],
            })),
            ...world.fleet.stopped.map((id) => ({
              Instances: [{ InstanceId: id, State: { Code: 80, Name: 'stopped' as const } }],
            })),
          ],
        });
        stubs.ssm.on(DescribeInstanceInformationCommand).resolves({
          InstanceInformationList: world.fleet.running.map((id) => ({
            InstanceId: id,
            PingStatus: 'Online',
          })),
        });
      },
      act: (world) =>
        findFleetTargets(world.clients.ec2, world.clients.ssm, {
          tagKey: world.fleet.tagKey,
          tagValue: world.fleet.tagValue,
        }),
      assess: (targets, world) => {
        expect(targets.reachable).toEqual([...world.fleet.running].sort());
        expect(targets.excluded).toEqual(
          world.fleet.stopped.map((instanceId) => ({ instanceId, reason: 'stopped' })),
        );
      },
    }),
    contractCase({
      name: 'hides a new invocation for a moment (InvocationDoesNotExist), then reports Success',
      recorded: (stubs) =>
        recordedSend(stubs, {
          Status: 'Success',
          StatusDetails: 'Success',
          ResponseCode: 0,
          StandardOutputContent: 'hello\n',
        }),
      act: async (world) => {
        const sent = await send(world, 'echo hello');
        const commandId = sent.Command?.CommandId ?? '';
        const early = await thrown(() =>
          world.clients.ssm.send(
            new GetCommandInvocationCommand({
              CommandId: commandId,
              InstanceId: world.fleet.running[0] ?? '',
            }),
          ),
        );
        return {
          sent: sent.Command?.Status,
          early: early.name,
          final: await finished(world, commandId),
        };
      },
      assess: (result) => {
        expect(result.sent).toBe('Pending');
        expect(result.early).toBe('InvocationDoesNotExist');
        expect(result.final).toMatchObject({
          Status: 'Success',
          StatusDetails: 'Success',
          ResponseCode: 0,
          StandardOutputContent: 'hello\n',
        });
      },
    }),
    contractCase({
      name: 'reports a script exiting 3 as Failed with ResponseCode 3',
      recorded: (stubs) =>
        recordedSend(stubs, { Status: 'Failed', StatusDetails: 'Failed', ResponseCode: 3 }),
      act: async (world) => {
        const sent = await send(world, 'exit 3');
        return finished(world, sent.Command?.CommandId ?? '');
      },
      assess: (answer) => {
        expect(answer).toMatchObject({
          Status: 'Failed',
          StatusDetails: 'Failed',
          ResponseCode: 3,
        });
      },
    }),
    contractCase({
      name: "cuts standard output at 24,000 characters with the agent's marker",
      recorded: (stubs) =>
        recordedSend(stubs, {
          Status: 'Success',
          StatusDetails: 'Success',
          ResponseCode: 0,
          StandardOutputContent: `${'x'.repeat(24_000 - OUTPUT_MARKER.length)}${OUTPUT_MARKER}`,
        }),
      act: async (world) => {
        const sent = await send(world, "head -c 30000 /dev/zero | tr '\\0' x");
        return finished(world, sent.Command?.CommandId ?? '');
      },
      assess: (answer) => {
        expect(answer.StandardOutputContent?.length).toBe(24_000);
        expect(answer.StandardOutputContent?.endsWith(OUTPUT_MARKER)).toBe(true);
      },
    }),
    contractCase({
      name: 'lists invocations with the plugin output cut at 2,500 characters',
      recorded: (stubs) => {
        recordedSend(stubs, { Status: 'Success', StatusDetails: 'Success', ResponseCode: 0 });
        const invocation: CommandInvocation = {
          CommandId: COMMAND_ID,
          Status: 'Success',
          CommandPlugins: [
            {
              Name: 'aws:runShellScript',
              Status: 'Success',
              ResponseCode: 0,
              Output: `${'y'.repeat(2500 - OUTPUT_MARKER.length)}${OUTPUT_MARKER}`,
            },
          ],
        };
        stubs.ssm.on(ListCommandInvocationsCommand).resolves({ CommandInvocations: [invocation] });
      },
      act: async (world) => {
        const sent = await send(world, "head -c 3000 /dev/zero | tr '\\0' y");
        const commandId = sent.Command?.CommandId ?? '';
        await finished(world, commandId);
        const listed = await world.clients.ssm.send(
          new ListCommandInvocationsCommand({ CommandId: commandId, Details: true }),
        );
        return listed.CommandInvocations?.[0]?.CommandPlugins?.[0];
      },
      assess: (plugin) => {
        expect(plugin?.Status).toBe('Success');
        expect(plugin?.Output?.length).toBe(2500);
        expect(plugin?.Output?.endsWith(OUTPUT_MARKER)).toBe(true);
      },
    }),
    contractCase({
      name: 'refuses an instance SSM does not manage (InvalidInstanceId), creating no command',
      recorded: (stubs) => {
        stubs.ssm.on(SendCommandCommand).rejects(recordedError('InvalidInstanceId', ''));
      },
      act: (world) =>
        thrown(() =>
          world.clients.ssm.send(
            new SendCommandCommand({
              DocumentName: 'AWS-RunShellScript',
              InstanceIds: ['i-0123456789abcdef0'],
              Parameters: { commands: ['true'] },
            }),
          ),
        ),
      assess: (error) => {
        expect(error.name).toBe('InvalidInstanceId');
      },
    }),
    contractCase({
      name: 'refuses more than 50 instance ids in one SendCommand (ValidationException)',
      recorded: (stubs) => {
        stubs.ssm
          .on(SendCommandCommand)
          .rejects(
            recordedError(
              'ValidationException',
              "1 validation error detected: Value '[...]' at 'instanceIds' failed to satisfy " +
                'constraint: Member must have length less than or equal to 50',
            ),
          );
      },
      act: (world) =>
        thrown(() =>
          world.clients.ssm.send(
            new SendCommandCommand({
              DocumentName: 'AWS-RunShellScript',
              InstanceIds: Array.from(
                { length: 51 },
                (_, n) => `i-${n.toString(16).padStart(17, '0')}`,
              ),
              Parameters: { commands: ['true'] },
            }),
          ),
        ),
      assess: (error) => {
        expect(error.name).toBe('ValidationException');
      },
    }),
  ],
};
