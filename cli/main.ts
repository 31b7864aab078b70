import { SignetError } from '../core/errors.ts';
import type { Command, CommandIo } from './command.ts';
import { doctorCommand } from './commands/doctor.ts';
import { auditCommand, historyCommand } from './commands/history.ts';
import { localCommand } from './commands/local.ts';
import { redeployCommand, rollbackCommand } from './commands/operator-runs.ts';
import { releaseCommand } from './commands/release.ts';
import { statusCommand } from './commands/status.ts';
import { ExitCode, type ExitCodeValue } from './exit-codes.ts';

export const COMMANDS: readonly Command[] = [
  releaseCommand,
  statusCommand,
  historyCommand,
  redeployCommand,
  rollbackCommand,
  auditCommand,
  doctorCommand,
  localCommand,
];

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'signet: signed, verified, health-checked deployments to EC2 through SSM, without SSH',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `signet <command> --help` for its usage. Exit codes: 0 ok, 1 deployment (or a doctor',
    'check) failed, 2 usage, 3 setup (setting, tool or configuration), 4 AWS call failed,',
    '130 stopped by Ctrl-C, 70 internal error.',
  ].join('\n');
}

/** Runs one command line and returns the exit code; every failure becomes a message here. */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<ExitCodeValue> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`signet: unknown command ${name}\n\n${helpText()}`);
    return ExitCode.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`usage: ${command.usage}\n\n${command.summary}`);
    return ExitCode.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: CommandIo): ExitCodeValue {
  if (error instanceof SignetError) {
    io.err(`signet: ${error.name}: ${error.message}`);
    if (['UsageError', 'InputInvalid'].includes(error.name)) return ExitCode.usage;
    if (error.name === 'Interrupted') return ExitCode.interrupted;
    // A missing tool, setting or key, or gpg or tar refusing: the machine needs fixing.
    if (['ConfigInvalid', 'ToolMissing', 'ReleaseFailed', 'PortInUse'].includes(error.name)) {
      return ExitCode.setup;
    }
    return ExitCode.failed;
  }
  const metadata = (error as { $metadata?: unknown }).$metadata;
  if (metadata !== undefined || (error as { code?: string }).code === 'ECONNREFUSED') {
    io.err(`signet: AWS call failed: ${(error as Error).name}: ${(error as Error).message}`);
    return ExitCode.aws;
  }
  io.err(`signet: internal error: ${(error as Error).stack ?? String(error)}`);
  return ExitCode.internal;
}

/** The `signet` program: runs the command line, sets the exit code, and handles Ctrl-C. */
export async function main(argv: readonly string[]): Promise<void> {
  let interrupt: () => void = () => undefined;
  const interrupted = new Promise<void>((resolve) => {
    interrupt = resolve;
  });
  // Stay subscribed after the first signal: a terminal's Ctrl-C reaches this process twice
  // when bin/signet.mjs forwards it too, and Node's default handler would kill the process in
  // the middle of stopping what it started.
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    interrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.exitCode = await runCli(argv, {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    interrupted,
  });
}

if (import.meta.main) await main(process.argv.slice(2));
