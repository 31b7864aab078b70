import type { AppConfig } from './app-config.ts';

/**
 * The things Signet asks of instances. Health checks run after an install and again after a
 * rollback, against whichever release is then current; `stop` ends a failed first deployment,
 * which has no release to roll back to.
 */
export type CommandPhase = 'install' | 'health' | 'rollback' | 'rollback-health' | 'stop';

export const COMMAND_PHASES: readonly CommandPhase[] = [
  'install',
  'health',
  'rollback',
  'rollback-health',
  'stop',
];

// The host caps a failing release's stop hook at 60 s, then stops its processes by force.
const STOP_BUDGET_SECONDS = 300;

/** The release a command is about: the new one, or the recorded one to return to. */
export interface CommandRelease {
  readonly version: string;
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
  readonly sha256: string;
}

/** The document's Action for each phase. */
export function documentAction(phase: CommandPhase): 'install' | 'rollback' | 'health' | 'stop' {
  if (phase === 'install' || phase === 'rollback' || phase === 'stop') return phase;
  return 'health';
}

/**
 * Rollback phases act on every instance touched so far, tolerated failures included; install
 * acts on the current batch, and its health check on the batch's instances that did not fail.
 */
export function instancesForPhase(
  phase: CommandPhase,
  batches: readonly (readonly string[])[],
  batchIndex: number,
  failedInstances: readonly string[] = [],
): string[] {
  if (phase === 'install') return [...(batches[batchIndex] ?? [])];
  if (phase === 'health') {
    return (batches[batchIndex] ?? []).filter((id) => !failedInstances.includes(id));
  }
  return batches.slice(0, batchIndex + 1).flat();
}

/**
 * The document parameters for a phase, as strings (SSM parameters are always strings). The
 * artifact URL is passed separately because it is a short-lived credential: it is built inside
 * the Lambda that sends the command and never returned into the execution's state.
 */
export function documentParameters(options: {
  readonly phase: CommandPhase;
  readonly app: string;
  readonly deploymentId: string;
  readonly release: CommandRelease;
  readonly config: AppConfig;
  readonly artifactUrl: string;
}): Record<string, string> {
  const { phase, app, deploymentId, release, config, artifactUrl } = options;
  const action = documentAction(phase);
  const downloads = action === 'install' || action === 'rollback';
  return {
    Action: action,
    App: app,
    Version: release.version,
    DeploymentId: hostDeploymentId(deploymentId),
    ArtifactUrl: downloads ? artifactUrl : '',
    ArtifactSha256: downloads ? release.sha256 : '',
    KeepReleases: String(config.install.keepReleases),
    HealthPath: config.health.path,
    HealthPort: String(config.health.port),
    HealthExpectedStatus: String(config.health.expectedStatus),
    HealthRetries: String(config.health.retries),
    HealthIntervalSeconds: String(config.health.intervalSeconds),
    HealthBakeSeconds: String(config.health.bakeSeconds),
    HealthTimeoutSeconds: String(config.health.timeoutSeconds),
    ExecutionTimeout: String(executionBudgetSeconds(phase, config)),
  };
}

/**
 * How long a phase may run on a host: the app's command timeout for installs and rollbacks,
 * and for health checks every probe, pause and the bake, with some slack.
 */
export function executionBudgetSeconds(phase: CommandPhase, config: AppConfig): number {
  if (phase === 'install' || phase === 'rollback') return config.install.commandTimeoutSeconds;
  if (phase === 'stop') return STOP_BUDGET_SECONDS;
  const { retries, intervalSeconds, timeoutSeconds, bakeSeconds } = config.health;
  const probesDuringBake = Math.ceil(bakeSeconds / intervalSeconds) + 1;
  const seconds =
    retries * (intervalSeconds + timeoutSeconds) + bakeSeconds + probesDuringBake * timeoutSeconds;
  return Math.max(30, Math.ceil(seconds + 30));
}

/**
 * The execution name as the host sees it. Step Functions allows names (dots, '@') that the
 * document's DeploymentId pattern does not; those characters become '_' so that a legal
 * execution name never fails at SendCommand, after a batch was already chosen.
 */
export function hostDeploymentId(executionName: string): string {
  return executionName.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80) || 'unnamed';
}
