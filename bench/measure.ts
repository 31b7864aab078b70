/**
 * Timing helpers. The machine is shared and noisy, so every measure is the best of several
 * runs: the fastest run is the one least disturbed by other work, and both Signet and its
 * baseline get the same treatment.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** The fastest of `repeats` runs of `measure` (each returns one sample, e.g. milliseconds). */
export async function bestOf(repeats: number, measure: () => Promise<number>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < repeats; run += 1) best = Math.min(best, await measure());
  return best;
}

/** The same, for measures that return several numbers: each field's best (lowest) value. */
export async function bestOfEach<T extends Record<string, number>>(
  repeats: number,
  measure: () => Promise<T>,
): Promise<T> {
  let best: Record<string, number> | null = null;
  for (let run = 0; run < repeats; run += 1) {
    const sample = await measure();
    if (best === null) best = { ...sample };
    else
      for (const [key, value] of Object.entries(sample))
        best[key] = Math.min(best[key] ?? value, value);
  }
  if (best === null) throw new Error('bestOfEach needs at least one run');
  return best as T;
}

export interface RunResult {
  readonly ms: number;
  readonly stdout: string;
}

/**
 * Runs a program to its end and times it from spawn to exit. Refuses a non-zero exit: a
 * baseline that failed measured nothing.
 */
export function runTimed(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; keepStdout?: boolean } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      stdio: ['ignore', options.keepStdout ? 'pipe' : 'ignore', 'pipe'],
      ...(options.env === undefined ? {} : { env: options.env }),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const ms = performance.now() - started;
      if (code === 0) {
        resolve({ ms, stdout: Buffer.concat(out).toString('utf8') });
        return;
      }
      const stderr = Buffer.concat(err).toString('utf8').trim().slice(-500);
      reject(new Error(`${command} ${args.join(' ')} exited ${code ?? signal}: ${stderr}`));
    });
  });
}

/**
 * A shell pipeline, timed as one: bash with pipefail, so a failing stage fails the run. File
 * names go in as positional arguments ($1, $2...), never into the script's text.
 */
export function runPipeline(script: string, args: readonly string[] = []): Promise<RunResult> {
  return runTimed('bash', ['-o', 'pipefail', '-c', script, 'bench', ...args]);
}

/** Milliseconds `work` takes, measured in this process. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export const MiB = 1024 * 1024;
