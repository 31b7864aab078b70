import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { ExitCodeValue } from './exit-codes.ts';
import { UsageError } from './usage-error.ts';

/** Where a command writes: the terminal in real use, buffers in tests. */
export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Resolves when the user asks to stop (Ctrl-C); long-running commands await it. */
  readonly interrupted: Promise<void>;
}

export interface Command {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  run(args: readonly string[], io: CommandIo): Promise<ExitCodeValue>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with Signet's rules: unknown options and wrong positional counts are UsageError. */
export function parseCommandArgs<T extends Options>(
  command: Pick<Command, 'name' | 'usage'>,
  args: readonly string[],
  options: T,
  positionals: { readonly min: number; readonly max: number },
) {
  let parsed: ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: ${command.usage}`);
  }
  const count = parsed.positionals.length;
  if (count < positionals.min || count > positionals.max) {
    throw new UsageError(
      `signet ${command.name} takes ${describeCount(positionals)}\nusage: ${command.usage}`,
    );
  }
  return parsed;
}

function describeCount({ min, max }: { min: number; max: number }): string {
  if (min === max) return `${min} argument${min === 1 ? '' : 's'}`;
  return `${min} to ${max} arguments`;
}
