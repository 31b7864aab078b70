import { userInfo } from 'node:os';
import {
  type OperatorAction,
  startOperatorRun,
  waitForExecution,
} from '../../core/operator/operator-run.ts';
import { appArgument, versionArgument } from '../arguments.ts';
import { cliSettings } from '../cli-settings.ts';
import { cliClients } from '../clients.ts';
import { type Command, type CommandIo, parseCommandArgs } from '../command.ts';
import { ExitCode, type ExitCodeValue } from '../exit-codes.ts';
import { renderExecutionEnd } from '../render/execution.ts';

const options = { 'no-wait': { type: 'boolean', default: false } } as const;

export const redeployCommand: Command = {
  name: 'redeploy',
  usage: 'signet redeploy <app> <version> [--no-wait]',
  summary: 'deploy a named version again, older ones included (audited as a redeploy)',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(this, args, options, { min: 2, max: 2 });
    const action = {
      action: 'redeploy',
      app: appArgument(positionals[0], this.usage),
      version: versionArgument(positionals[1], this.usage),
    } as const;
    return runOperatorAction(action, !values['no-wait'], io);
  },
};

export const rollbackCommand: Command = {
  name: 'rollback',
  usage: 'signet rollback <app> [--no-wait]',
  summary: "deploy the app's recorded previous release again (audited as a rollback)",
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(this, args, options, { min: 1, max: 1 });
    return runOperatorAction(
      { action: 'rollback', app: appArgument(positionals[0], this.usage) },
      !values['no-wait'],
      io,
    );
  },
};

async function runOperatorAction(
  action: OperatorAction,
  wait: boolean,
  io: CommandIo,
): Promise<ExitCodeValue> {
  const started = await startOperatorRun(cliClients.sfn(), cliSettings(io.env).stateMachineArn(), {
    ...action,
    requestedBy: `cli:${userInfo().username}`,
  });
  io.out(`started ${started.name}`);
  if (!wait) return ExitCode.ok;
  const execution = await waitForExecution(cliClients.sfn(), started.executionArn, {
    pollMs: 1000,
  });
  io.out(renderExecutionEnd(execution));
  return execution.status === 'SUCCEEDED' ? ExitCode.ok : ExitCode.failed;
}
