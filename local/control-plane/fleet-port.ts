/**
 * What the control plane needs from the machines it manages. local/instances implements it;
 * the control plane never reaches into an instance's directories or processes itself.
 */

export type InstanceState = 'running' | 'stopped';

export interface ManagedInstance {
  /** EC2-shaped id: `i-` and 17 hex characters. */
  readonly id: string;
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly state: InstanceState;
  readonly launchTime: Date;
  /** When the state last changed: the last ping of a stopped instance's agent. */
  readonly stateChangedAt: Date;
}

/** One aws:runShellScript step to run on one instance, as the SSM agent receives it. */
export interface ScriptRequest {
  readonly instanceId: string;
  readonly commandId: string;
  /** Directory names under the command's orchestration directory, e.g. `['deploy']`. */
  readonly stepPath: readonly string[];
  /** The step's runCommand lines, parameters already interpolated. */
  readonly commands: readonly string[];
  /** As the step gives it; empty for the agent's default. */
  readonly workingDirectory: string;
  /** Variables the agent adds for this step (SSM_<Name> for ENV_VAR parameters). */
  readonly env: Readonly<Record<string, string>>;
  readonly executionTimeoutMs: number;
}

export type ScriptOutcome = 'exited' | 'timed-out' | 'cancelled' | 'failed-to-start';

export interface ScriptResult {
  readonly outcome: ScriptOutcome;
  /** The exit code the agent reports: 137 after a kill for timeout or cancel, -1 on a signal. */
  readonly exitCode: number;
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** Full output, on the instance. */
  readonly stdoutFile: string;
  readonly stderrFile: string;
  /** The start of each stream, enough for every API field (at least 24,000 / 8,000 chars). */
  readonly stdoutHead: string;
  readonly stderrHead: string;
}

export interface ScriptRun {
  readonly result: Promise<ScriptResult>;
  /** Kills the script's process group; the result then says `cancelled`. */
  cancel(): void;
}

export interface ManagedFleet {
  instances(): readonly ManagedInstance[];
  /** Starts a script on a running instance; throws if the instance is unknown or stopped. */
  runScript(request: ScriptRequest): ScriptRun;
}
