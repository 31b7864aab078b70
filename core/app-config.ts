import { ConfigInvalid } from './errors.ts';
import { parseAmount, type RolloutPolicy } from './rollout-policy.ts';

/** Which instances an app deploys to: those carrying this EC2 tag. */
export interface TargetSelector {
  readonly tagKey: string;
  readonly tagValue: string;
}

/** The HTTP probe run on each instance after install (and after a rollback). */
export interface HealthSettings {
  readonly path: string;
  readonly port: number;
  readonly expectedStatus: number;
  readonly retries: number;
  readonly intervalSeconds: number;
  /** How long an instance must stay healthy after its first good answer; flapping fails. */
  readonly bakeSeconds: number;
  readonly timeoutSeconds: number;
  /** CloudWatch alarm names: any in ALARM while the new release is health-checked fails it. */
  readonly alarms: readonly string[];
}

export interface AppConfig {
  readonly app: string;
  readonly targets: TargetSelector;
  readonly health: HealthSettings;
  /** Batches, the failures a rollout absorbs, and what an unreachable instance does. */
  readonly rollout: RolloutPolicy;
  readonly install: {
    /** Release directories kept on each host, so a rollback is a switch, not a download. */
    readonly keepReleases: number;
    /** The SSM command's execution timeout: a hung install is killed after this. */
    readonly commandTimeoutSeconds: number;
  };
  readonly artifact: {
    readonly maxBytes: number;
    readonly maxUnpackedBytes: number;
    readonly maxEntries: number;
  };
  /** Backoff of the Wait states that poll SSM: first wait, then x1.5 up to the maximum. */
  readonly polling: { readonly initialSeconds: number; readonly maxSeconds: number };
}

type Section = Record<string, unknown>;

/**
 * Validates an app's configuration document and fills in defaults. Unknown keys are refused:
 * a misspelt `bakeSecond` silently falling back to a default is how bad deploys pass review.
 */
export function parseAppConfig(app: string, raw: unknown): AppConfig {
  const where = `configuration of app ${app}`;
  const root = section(raw, where, [
    'targets',
    'health',
    'rollout',
    'install',
    'artifact',
    'polling',
  ]);
  const targets = section(root['targets'] ?? {}, `${where}: targets`, ['tagKey', 'tagValue']);
  const health = section(root['health'] ?? {}, `${where}: health`, [
    'path',
    'port',
    'expectedStatus',
    'retries',
    'intervalSeconds',
    'bakeSeconds',
    'timeoutSeconds',
    'alarms',
  ]);
  const rollout = section(root['rollout'] ?? {}, `${where}: rollout`, [
    'batchSize',
    'minimumHealthy',
    'maximumFailed',
    'onUnreachable',
  ]);
  const install = section(root['install'] ?? {}, `${where}: install`, [
    'keepReleases',
    'commandTimeoutSeconds',
  ]);
  const artifact = section(root['artifact'] ?? {}, `${where}: artifact`, [
    'maxBytes',
    'maxUnpackedBytes',
    'maxEntries',
  ]);
  const polling = section(root['polling'] ?? {}, `${where}: polling`, [
    'initialSeconds',
    'maxSeconds',
  ]);

  const field = (s: Section, name: string, fallback: number, min: number, max: number) =>
    numberIn(s[name] ?? fallback, `${where}: ${name}`, min, max);

  return {
    app,
    targets: {
      tagKey: text(targets['tagKey'] ?? 'signet:app', `${where}: targets.tagKey`, TAG_PATTERN),
      tagValue: text(targets['tagValue'] ?? app, `${where}: targets.tagValue`, TAG_PATTERN),
    },
    health: {
      path: text(health['path'] ?? '/health', `${where}: health.path`, HEALTH_PATH_PATTERN),
      port: field(health, 'port', 8080, 1, 65_535),
      expectedStatus: field(health, 'expectedStatus', 200, 100, 599),
      retries: field(health, 'retries', 10, 1, 100),
      intervalSeconds: field(health, 'intervalSeconds', 2, 0.1, 999),
      bakeSeconds: field(health, 'bakeSeconds', 10, 0, 3600),
      timeoutSeconds: integer(
        field(health, 'timeoutSeconds', 5, 1, 60),
        `${where}: timeoutSeconds`,
      ),
      alarms: alarmNames(health['alarms'] ?? [], `${where}: health.alarms`),
    },
    rollout: rolloutPolicy(rollout, where),
    install: {
      keepReleases: integer(field(install, 'keepReleases', 3, 2, 99), `${where}: keepReleases`),
      commandTimeoutSeconds: integer(
        field(install, 'commandTimeoutSeconds', 1800, 30, 172_800),
        `${where}: commandTimeoutSeconds`,
      ),
    },
    artifact: {
      maxBytes: field(artifact, 'maxBytes', 1024 ** 3, 1, 5 * 1024 ** 4),
      maxUnpackedBytes: field(artifact, 'maxUnpackedBytes', 4 * 1024 ** 3, 1, 16 * 1024 ** 4),
      maxEntries: field(artifact, 'maxEntries', 100_000, 1, 10_000_000),
    },
    polling: {
      initialSeconds: integer(field(polling, 'initialSeconds', 2, 1, 60), `${where}: polling`),
      maxSeconds: integer(field(polling, 'maxSeconds', 15, 1, 300), `${where}: polling`),
    },
  };
}

// Counts stop at 50 (one SendCommand's ids) and 10,000 (far past the largest fleet tested, 200).
function rolloutPolicy(rollout: Section, where: string): RolloutPolicy {
  const onUnreachable = rollout['onUnreachable'] ?? 'stop';
  if (onUnreachable !== 'stop' && onUnreachable !== 'skip') {
    throw new ConfigInvalid(`The ${where}: rollout.onUnreachable must be "stop" or "skip"`, {
      details: { where },
    });
  }
  return {
    batchSize: parseAmount(rollout['batchSize'] ?? 50, `${where}: batchSize`, 1, 50),
    minimumHealthy: parseAmount(
      rollout['minimumHealthy'] ?? 0,
      `${where}: minimumHealthy`,
      0,
      10_000,
    ),
    maximumFailed: parseAmount(rollout['maximumFailed'] ?? 0, `${where}: maximumFailed`, 0, 10_000),
    onUnreachable,
  };
}

// DescribeAlarms takes at most 100 names; a gate of more than 10 alarms is a dashboard.
const MAX_ALARMS = 10;
// CloudWatch alarm names: 1 to 255 characters, no control characters.
const ALARM_NAME_PATTERN = /^[^\p{Cc}]{1,255}$/u;

function alarmNames(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.length > MAX_ALARMS) {
    throw new ConfigInvalid(`The ${where} must be a list of at most ${MAX_ALARMS} alarm names`, {
      details: { where },
    });
  }
  return value.map((name) => text(name, where, ALARM_NAME_PATTERN));
}

// EC2 tag keys and values: letters, digits, spaces and + - = . _ : / @, up to 128/256 chars.
const TAG_PATTERN = /^[\p{L}\p{N} +\-=._:/@]{1,256}$/u;
const HEALTH_PATH_PATTERN = /^\/[A-Za-z0-9._~/?&=%-]{0,200}$/;

function section(value: unknown, where: string, allowed: readonly string[]): Section {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigInvalid(`The ${where} must be a JSON object`, { details: { where } });
  }
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new ConfigInvalid(
      `The ${where} has unknown key(s) ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`,
      { details: { where, unknown } },
    );
  }
  return value as Section;
}

function text(value: unknown, where: string, pattern: RegExp): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new ConfigInvalid(`The ${where} must match ${pattern}`, { details: { where } });
  }
  return value;
}

function numberIn(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ConfigInvalid(`The ${where} must be a number from ${min} to ${max}`, {
      details: { where },
    });
  }
  return value;
}

function integer(value: number, where: string): number {
  if (!Number.isInteger(value)) {
    throw new ConfigInvalid(`The ${where} must be a whole number`, { details: { where } });
  }
  return value;
}
