import { readAppStatus } from '../../core/operator/app-status.ts';
import { appArgument } from '../arguments.ts';
import { cliSettings } from '../cli-settings.ts';
import { cliClients } from '../clients.ts';
import { type Command, parseCommandArgs } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { renderStatus } from '../render/status.ts';

export const statusCommand: Command = {
  name: 'status',
  usage: 'signet status <app> [--json]',
  summary: 'show the release an app runs, the one before it, and any deployment under way',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      this,
      args,
      { json: { type: 'boolean', default: false } },
      { min: 1, max: 1 },
    );
    const app = appArgument(positionals[0], this.usage);
    const settings = cliSettings(io.env);
    const status = await readAppStatus({
      ssm: cliClients.ssm(),
      dynamodb: cliClients.dynamodb(),
      sfn: cliClients.sfn(),
      parameterPrefix: settings.parameterPrefix(),
      stateTable: settings.stateTable(),
      app,
    });
    io.out(values.json ? JSON.stringify(status, null, 2) : renderStatus(status));
    return ExitCode.ok;
  },
};
