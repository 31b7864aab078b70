/**
 * Runs instance/signet-host.sh the way the SSM agent does: parameters only as SSM_<Name>
 * environment variables, host settings beside them, stdin closed.
 */
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HOST_SCRIPT = fileURLToPath(
  new URL('../../../instance/signet-host.sh', import.meta.url),
);

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** The interpreter: 'bash', or 'sh' as the agent uses. */
  readonly shell?: 'bash' | 'sh';
  /** The script file to run; defaults to instance/signet-host.sh. */
  readonly script?: string;
  /** Extra environment (host settings, test hooks' variables). */
  readonly env?: Readonly<Record<string, string>>;
  /** Kills the run after this many milliseconds. */
  readonly timeoutMs?: number;
}

export const DEFAULT_PARAMETERS: Readonly<Record<string, string>> = {
  Action: 'install',
  App: 'web',
  Version: '1.0.0',
  DeploymentId: 'test-deployment',
  ArtifactUrl: '',
  ArtifactSha256: '',
  KeepReleases: '3',
  HealthPath: '/health',
  HealthPort: '8080',
  HealthExpectedStatus: '200',
  HealthRetries: '3',
  HealthIntervalSeconds: '0.1',
  HealthBakeSeconds: '0',
  HealthTimeoutSeconds: '2',
  ExecutionTimeout: '300',
};

/** A PATH with this Node first, so hooks that run `node` get a modern one. */
export function testPath(): string {
  return `${dirname(process.execPath)}:${process.env['PATH'] ?? '/usr/bin:/bin'}`;
}

/** Runs the script with the given parameters over DEFAULT_PARAMETERS; null deletes one. */
export function runHost(
  parameters: Readonly<Record<string, string | null>>,
  options: RunOptions = {},
): Promise<RunResult> {
  const env: Record<string, string> = { PATH: testPath(), HOME: process.env['HOME'] ?? '/root' };
  for (const [name, value] of Object.entries({ ...DEFAULT_PARAMETERS, ...parameters })) {
    if (value !== null) env[`SSM_${name}`] = value;
  }
  return runProcess(
    options.shell ?? 'bash',
    [options.script ?? HOST_SCRIPT],
    {
      ...env,
      ...options.env,
    },
    options.timeoutMs ?? 30_000,
  );
}

/** Runs a command with exactly the given environment and collects its output. */
export function runProcess(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  timeoutMs = 30_000,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    // 'close' waits for the pipes: a hook that leaked our stdout would hold this open.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
