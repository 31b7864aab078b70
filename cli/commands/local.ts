import { join, resolve } from 'node:path';
import { runDemo } from '../../local/demo/run-demo.ts';
import { EXAMPLE_APP_DIR, trustLocalSigningKey } from '../../local/example-app.ts';
import { startLocalStack } from '../../local/stack/local-stack.ts';
import { gpgVersion, stopGpgAgent } from '../../release/gpg.ts';
import { type Command, type CommandIo, parseCommandArgs } from '../command.ts';
import { ExitCode, type ExitCodeValue } from '../exit-codes.ts';
import { renderDemoReport } from '../render/demo.ts';
import { renderLocalStack } from '../render/local-stack.ts';
import { PortInUse, UsageError } from '../usage-error.ts';

export const localCommand: Command = {
  name: 'local',
  usage:
    'signet local demo [--json] [--state-dir <dir, default .signet/demo>]\n' +
    '       signet local up [--state-dir <dir>] [--port-base <port>]',
  summary: 'run Signet on this machine: the demo end to end, or the stack to try by hand',
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'demo') return demo(rest, io);
    if (sub === 'up') return up(rest, io);
    throw new UsageError(`usage: ${this.usage}`);
  },
};

async function demo(args: readonly string[], io: CommandIo): Promise<ExitCodeValue> {
  const { values } = parseCommandArgs(
    { name: 'local demo', usage: 'signet local demo [--json] [--state-dir <dir>]' },
    args,
    {
      json: { type: 'boolean', default: false },
      'state-dir': { type: 'string', default: '.signet/demo' },
    },
    { min: 0, max: 0 },
  );
  const report = await runDemo({
    stateDir: resolve(values['state-dir']),
    ...(values.json ? {} : { progress: (message: string) => io.err(message) }),
    interrupted: io.interrupted,
  });
  io.out(values.json ? JSON.stringify(report, null, 2) : renderDemoReport(report));
  return report.passed ? ExitCode.ok : ExitCode.failed;
}

async function up(args: readonly string[], io: CommandIo): Promise<ExitCodeValue> {
  const { values } = parseCommandArgs(
    { name: 'local up', usage: 'signet local up [--state-dir <dir>] [--port-base <port>]' },
    args,
    {
      'state-dir': { type: 'string', default: '.signet/local' },
      'port-base': { type: 'string', default: '4510' },
    },
    { min: 0, max: 0 },
  );
  const base = Number(values['port-base']);
  if (!Number.isInteger(base) || base < 1024 || base > 65_000) {
    throw new UsageError('--port-base takes a port from 1024 to 65000');
  }
  await gpgVersion();
  const stateDir = resolve(values['state-dir']);
  const stack = await startLocalStack({
    stateDir,
    ports: { s3: base, controlPlane: base + 1, dynamodb: base + 2, firstInstanceHttp: base + 10 },
    // People upload artifact and signature by hand, seconds apart: give the signature a minute.
    timing: { waitMs: 500, retryMs: 1000, signatureRetryMs: 5000 },
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    throw new PortInUse(
      `${(error as { address?: string }).address ?? '127.0.0.1'}:${(error as { port?: number }).port} ` +
        'is in use, perhaps by another `signet local up`: stop it, or pass --port-base',
      { cause: error },
    );
  });
  const gnupgHome = join(stateDir, 'gnupg');
  try {
    await trustLocalSigningKey({
      gnupgHome,
      userId: 'Signet Local <local@signet.invalid>',
      label: 'local',
    });
    io.out(renderLocalStack(stack, { gnupgHome, exampleDir: EXAMPLE_APP_DIR }));
    await io.interrupted;
    io.err('stopping the local stack');
    return ExitCode.ok;
  } finally {
    await stopGpgAgent({ home: gnupgHome });
    await stack.close();
  }
}
