import { runCli } from '../../cli/main.ts';

export interface SignetRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs `signet` in process, as a person would from a shell: with `env` as the environment
 * (the stack's exports, by default whatever the test put in process.env) and no Ctrl-C.
 */
export async function runSignet(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<SignetRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env,
    interrupted: new Promise(() => undefined),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
