import { spawn } from 'node:child_process';
import { appendFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ScriptOutcome,
  ScriptRequest,
  ScriptResult,
  ScriptRun,
} from '../control-plane/fleet-port.ts';
import { captureStream } from './output-capture.ts';

export interface ScriptEnvironment {
  /** The instance's root directory. */
  readonly root: string;
  /** The whole environment the script gets, before the step's own variables. */
  readonly baseEnv: Readonly<Record<string, string>>;
  /** Variables added last, so no document or instance setting can drop them (the fleet marker). */
  readonly markerEnv: Readonly<Record<string, string>>;
  /** How long to read what is already in the pipes after the script exits. */
  readonly drainMs: number;
  /** Called with the script's process group while it runs, and with undefined after. */
  readonly track: (processGroup: number | undefined) => void;
  /** Checked just before the script starts: false once the instance was stopped meanwhile. */
  readonly mayStart: () => boolean;
}

// The agent's exit code for a process it killed: 128 + SIGKILL (pluginutil_unix.go).
const KILLED_EXIT_CODE = 137;
// Enough bytes for 24,000 / 8,000 characters even when every character takes 3 bytes.
const STDOUT_HEAD_BYTES = 24_000 * 4;
const STDERR_HEAD_BYTES = 8_000 * 4;

/**
 * Runs one aws:runShellScript step the way amazon-ssm-agent does on Linux (runscript.go,
 * executers.go): the runCommand lines joined with "\n" into `_script.sh` (mode 0700) in the
 * step's orchestration directory, run as `sh -c <script path>` runs it (see interpreterOf) in
 * its own process group,
 * its output written in full to `stdout` / `stderr` beside the script. The working directory
 * is workingDirectory when absolute, else `<command dir>/downloads/<workingDirectory>` when that
 * exists, else the orchestration directory. executionTimeout kills the whole process group
 * (SIGKILL) and reports exit code 137.
 */
export function runScript(request: ScriptRequest, environment: ScriptEnvironment): ScriptRun {
  let cancelRequested = false;
  let kill: (() => void) | undefined;
  const result = execute(request, environment, {
    onStart: (killGroup) => {
      kill = killGroup;
      if (cancelRequested) killGroup();
    },
    cancelled: () => cancelRequested,
  });
  return {
    result,
    cancel() {
      cancelRequested = true;
      kill?.();
    },
  };
}

async function execute(
  request: ScriptRequest,
  environment: ScriptEnvironment,
  control: { onStart: (killGroup: () => void) => void; cancelled: () => boolean },
): Promise<ScriptResult> {
  const commandDir = join(
    environment.root,
    'var/lib/amazon/ssm',
    request.instanceId,
    'document/orchestration',
    request.commandId,
  );
  const stepDir = join(commandDir, ...request.stepPath);
  await mkdir(stepDir, { recursive: true, mode: 0o700 });
  const script = join(stepDir, '_script.sh');
  await writeFile(script, `${request.commands.join('\n')}\n`, { mode: 0o700 });
  const stdoutFile = join(stepDir, 'stdout');
  const stderrFile = join(stepDir, 'stderr');
  const cwd = await workingDirectory(request.workingDirectory, commandDir, stepDir);
  const startedAt = new Date();
  if (!environment.mayStart()) {
    const message = `failed to run commands: instance ${request.instanceId} stopped`;
    await writeFile(stdoutFile, '');
    await writeFile(stderrFile, message);
    return {
      outcome: 'failed-to-start',
      exitCode: 1,
      startedAt,
      endedAt: new Date(),
      stdoutFile,
      stderrFile,
      stdoutHead: '',
      stderrHead: message,
    };
  }

  const [command, args] = interpreterOf(request.commands, script);
  const child = spawn(command, args, {
    cwd,
    env: { ...environment.baseEnv, ...request.env, ...environment.markerEnv },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = captureStream(child.stdout, stdoutFile, STDOUT_HEAD_BYTES);
  const stderr = captureStream(child.stderr, stderrFile, STDERR_HEAD_BYTES);

  let timedOut = false;
  const killGroup = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  };
  if (child.pid !== undefined) environment.track(child.pid);
  control.onStart(killGroup);
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, request.executionTimeoutMs);

  const exit = await new Promise<{ code: number | null; startError?: Error }>((resolve) => {
    child.once('exit', (code) => resolve({ code }));
    child.once('error', (error) => resolve({ code: null, startError: error }));
  });
  clearTimeout(timer);
  environment.track(undefined);
  // Wait for the script to exit, not for its pipes to close: a daemon it left behind may hold
  // them open for ever. Read what is already buffered, then stop.
  await Promise.race([Promise.all([stdout.ended, stderr.ended]), sleep(environment.drainMs)]);
  const [stdoutHead, stderrHeadRaw] = await Promise.all([stdout.finish(), stderr.finish()]);

  let outcome: ScriptOutcome = 'exited';
  let exitCode = exit.code ?? -1;
  let stderrHead = stderrHeadRaw;
  if (exit.startError !== undefined) {
    outcome = 'failed-to-start';
    exitCode = 1;
    const message = `failed to run commands: ${exit.startError.message}`;
    stderrHead = stderrHead === '' ? message : `${stderrHead}\n${message}`;
    await appendFile(stderrFile, message);
  } else if (timedOut) {
    outcome = 'timed-out';
    exitCode = KILLED_EXIT_CODE;
  } else if (control.cancelled()) {
    outcome = 'cancelled';
    exitCode = KILLED_EXIT_CODE;
  }
  return {
    outcome,
    exitCode,
    startedAt,
    endedAt: new Date(),
    stdoutFile,
    stderrFile,
    stdoutHead,
    stderrHead,
  };
}

// The kernel's reading of a first line `#!interpreter [one argument]`.
const SHEBANG = /^#![ \t]*([^ \t]+)(?:[ \t]+(.*?))?[ \t]*$/;

/**
 * What `sh -c <path>` ends up running, started so that the script file is only ever read:
 * the kernel runs a file with a shebang by its interpreter, and sh runs one without a shebang
 * itself (execve answers ENOEXEC). Executing the file instead fails with ETXTBSY ("Text file
 * busy", exit 126) while any process holds it open for writing, and under load one does: a
 * process forked for another spawn keeps the runner's write descriptor until it execs. Kept
 * from `sh -c`: $0 is the script's path, a missing interpreter is "not found" (exit 127).
 */
export function interpreterOf(lines: readonly string[], path: string): [string, string[]] {
  const match = SHEBANG.exec(lines.join('\n').split('\n', 1)[0] ?? '');
  if (match === null) return ['sh', [path]];
  const [, interpreter = '', argument] = match;
  // The kernel takes a relative interpreter from the working directory, never from PATH.
  const program = interpreter.includes('/') ? interpreter : `./${interpreter}`;
  const args = argument === undefined || argument === '' ? [path] : [argument, path];
  return ['sh', ['-c', 'exec "$@"', 'sh', program, ...args]];
}

async function workingDirectory(requested: string, commandDir: string, stepDir: string) {
  if (isAbsolute(requested)) return requested;
  if (requested === '') return stepDir;
  const downloads = join(commandDir, 'downloads', requested);
  const exists = await stat(downloads).then(
    (info) => info.isDirectory(),
    () => false,
  );
  return exists ? downloads : stepDir;
}
