import { spawn } from 'node:child_process';
import { ReleaseFailed, ToolMissing } from './errors.ts';

/** How to install each tool on the systems people use, for the ToolMissing message. */
const INSTALL_HINTS: Readonly<Record<string, string>> = {
  gpg: 'install GnuPG: `sudo apt-get install gnupg` (Debian/Ubuntu), `brew install gnupg` (macOS)',
  tar: 'install GNU tar: `sudo apt-get install tar`, `brew install gnu-tar` (macOS)',
};

export interface ToolResult {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a program without a shell (arguments are never parsed as shell syntax) and returns its
 * output; a missing program is ToolMissing with how to install it, a non-zero exit is
 * ReleaseFailed with what it printed.
 */
export function runTool(
  program: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        const hint = INSTALL_HINTS[program] ?? `install ${program}`;
        reject(
          new ToolMissing(`${program} is not installed or not on PATH: ${hint}`, { cause: error }),
        );
      } else {
        reject(new ReleaseFailed(`Could not run ${program}: ${error.message}`, { cause: error }));
      }
    });
    child.on('close', (code) => {
      const result = {
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString(),
      };
      if (code === 0) resolve(result);
      else {
        reject(
          new ReleaseFailed(
            `${program} ${args[0] ?? ''} failed (exit ${code}): ${result.stderr.trim()}`,
            {
              details: { program, exitCode: code },
            },
          ),
        );
      }
    });
    if (options.input !== undefined && child.stdin !== null) {
      // A program may exit without reading its input; that is its answer, not our error.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}
