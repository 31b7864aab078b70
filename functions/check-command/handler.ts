import {
  type CommandInvocation,
  ListCommandInvocationsCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { phaseFailure } from '../../core/command-failure.ts';
import {
  type InvocationReport,
  judgeCommand,
  nextWaitSeconds,
} from '../../core/command-progress.ts';
import { type CommandState, instancesOf } from '../../core/command-state.ts';
import { ssmClient } from '../shared/default-deps.ts';
import { type PlainHandler, signetHandler } from '../shared/signet-handler.ts';

export interface CheckCommandEvent {
  readonly command: CommandState;
}

export interface CheckCommandDeps {
  readonly ssm: () => SSMClient;
  readonly now?: () => Date;
}

// SSM can take a while to list a fresh invocation; after this long a missing one is a failure.
const INVOCATION_GRACE_SECONDS = 60;

/**
 * One poll of a phase's commands, between two Wait states (Lambdas never sleep). Returns the
 * state with `done` set when every instance succeeded, or throws the phase's error once every
 * instance has finished and any failed: a rollback never starts while an install still runs.
 */
export function checkCommand(
  deps: CheckCommandDeps,
): PlainHandler<CheckCommandEvent, CommandState> {
  return async ({ command }, { logger }) => {
    const now = (deps.now ?? (() => new Date()))();
    const reports: InvocationReport[] = [];
    for (const sent of command.commands) {
      reports.push(...(await listInvocations(deps.ssm(), sent.commandId)));
    }
    const graceOver = now.getTime() - Date.parse(command.sentAt) > INVOCATION_GRACE_SECONDS * 1000;
    const progress = judgeCommand(instancesOf(command), reports, graceOver);

    if (progress.state === 'succeeded') {
      logger.info('phase succeeded', { phase: command.phase, instances: progress.total });
      return { ...command, polls: command.polls + 1, done: true };
    }
    if (progress.state === 'failed') {
      throw phaseFailure(command.phase, command.app, command.version, progress.failures);
    }
    if (now.getTime() > Date.parse(command.deadline)) {
      const unfinished = instancesOf(command).filter(
        (id) => !reports.some((r) => r.instanceId === id && r.status === 'Success'),
      );
      throw phaseFailure(
        command.phase,
        command.app,
        command.version,
        unfinished.map((instanceId) => ({
          instanceId,
          status: 'DeadlinePassed',
          statusDetails: `not finished by ${command.deadline}`,
          exitCode: -1,
          outputTail: '',
        })),
      );
    }
    logger.debug('phase running', { phase: command.phase, finished: progress.finished });
    return {
      ...command,
      polls: command.polls + 1,
      waitSeconds: nextWaitSeconds(command.waitSeconds, command.maxWaitSeconds),
    };
  };
}

async function listInvocations(ssm: SSMClient, commandId: string): Promise<InvocationReport[]> {
  const reports: InvocationReport[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ssm.send(
      new ListCommandInvocationsCommand({
        CommandId: commandId,
        Details: true,
        MaxResults: 50,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }),
    );
    reports.push(...(page.CommandInvocations ?? []).map(toReport));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return reports;
}

function toReport(invocation: CommandInvocation): InvocationReport {
  const plugin = invocation.CommandPlugins?.[0];
  return {
    instanceId: invocation.InstanceId ?? '',
    status: invocation.Status ?? 'Pending',
    statusDetails: invocation.StatusDetails ?? '',
    responseCode: plugin?.ResponseCode ?? -1,
    output: plugin?.Output ?? '',
  };
}

export const handler = signetHandler('check-command', checkCommand({ ssm: ssmClient }));
