import { AuditLog, verifyChain } from '../../core/audit-log.ts';
import { appArgument } from '../arguments.ts';
import { cliSettings } from '../cli-settings.ts';
import { cliClients } from '../clients.ts';
import { type Command, parseCommandArgs } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { renderHistory } from '../render/history.ts';
import { UsageError } from '../usage-error.ts';

export const historyCommand: Command = {
  name: 'history',
  usage: 'signet history <app> [--limit <n>] [--json]',
  summary: "list an app's deployments, newest first, from the audit trail",
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      this,
      args,
      { limit: { type: 'string', default: '20' }, json: { type: 'boolean', default: false } },
      { min: 1, max: 1 },
    );
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new UsageError('--limit takes a whole number from 1 to 1000');
    }
    const app = appArgument(positionals[0], this.usage);
    const log = new AuditLog(cliClients.dynamodb(), cliSettings(io.env).stateTable());
    const entries = await log.newest(app, limit);
    io.out(values.json ? JSON.stringify(entries, null, 2) : renderHistory(app, entries));
    return ExitCode.ok;
  },
};

export const auditCommand: Command = {
  name: 'audit',
  usage: 'signet audit verify <app>',
  summary: "check that no entry of an app's audit trail was edited, removed or reordered",
  async run(args, io) {
    const { positionals } = parseCommandArgs(this, args, {}, { min: 2, max: 2 });
    if (positionals[0] !== 'verify') throw new UsageError(`usage: ${this.usage}`);
    const app = appArgument(positionals[1], this.usage);
    const log = new AuditLog(cliClients.dynamodb(), cliSettings(io.env).stateTable());
    const entries = await log.all(app);
    const problems = verifyChain(entries);
    if (problems.length === 0) {
      io.out(`${app}: ${entries.length} audit entries, chain intact`);
      return ExitCode.ok;
    }
    for (const problem of problems) io.out(`${app}: entry ${problem.sequence} ${problem.problem}`);
    return ExitCode.failed;
  },
};
