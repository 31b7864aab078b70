import { AuditLog, verifyTrail } from '../../core/audit-log.ts';
import { UNATTRIBUTED_CHAIN } from '../../core/audit-record.ts';
import { appArgument } from '../arguments.ts';
import { cliSettings } from '../cli-settings.ts';
import { cliClients } from '../clients.ts';
import { type Command, type CommandIo, parseCommandArgs } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { renderHistory, renderTrailReport } from '../render/history.ts';
import { UsageError } from '../usage-error.ts';

const UNATTRIBUTED = { unattributed: { type: 'boolean', default: false } } as const;

export const historyCommand: Command = {
  name: 'history',
  usage: 'signet history <app> | --unattributed [--limit <n>] [--json]',
  summary:
    "list an app's deployments, newest first, from the audit trail (--unattributed: " +
    'executions whose input named no valid app)',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      this,
      args,
      {
        limit: { type: 'string', default: '20' },
        json: { type: 'boolean', default: false },
        ...UNATTRIBUTED,
      },
      { min: 0, max: 1 },
    );
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new UsageError('--limit takes a whole number from 1 to 1000');
    }
    const chain = chainArgument(positionals[0], values.unattributed, this.usage);
    const entries = await auditLog(io).newest(chain, limit);
    io.out(values.json ? JSON.stringify(entries, null, 2) : renderHistory(chain, entries));
    return ExitCode.ok;
  },
};

export const auditCommand: Command = {
  name: 'audit',
  usage: 'signet audit verify <app> | --unattributed',
  summary:
    "recompute an app's audit chain: every entry's hash and link to the one before, and the " +
    'newest against the head item (exit 1 on a problem, or when there are no entries)',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(this, args, UNATTRIBUTED, {
      min: 1,
      max: 2,
    });
    if (positionals[0] !== 'verify') throw new UsageError(`usage: ${this.usage}`);
    const chain = chainArgument(positionals[1], values.unattributed, this.usage);
    const log = auditLog(io);
    const report = verifyTrail(await log.entries(chain), await log.head(chain));
    io.out(renderTrailReport(chain, report));
    // No entries proves nothing: a script that gates on verify must not pass a wiped trail.
    return report.problems.length === 0 && report.entries > 0 ? ExitCode.ok : ExitCode.failed;
  },
};

function auditLog(io: CommandIo): AuditLog {
  return new AuditLog(cliClients.dynamodb(), cliSettings(io.env).stateTable());
}

/** An app's chain, or the unattributed one: exactly one of the two. */
function chainArgument(app: string | undefined, unattributed: boolean, usage: string): string {
  if (unattributed) {
    if (app !== undefined)
      throw new UsageError(`give an app or --unattributed, not both\nusage: ${usage}`);
    return UNATTRIBUTED_CHAIN;
  }
  return appArgument(app, usage);
}
