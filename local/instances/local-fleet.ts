import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigInvalid, TargetsUnavailable } from '../../core/errors.ts';
import type {
  ManagedFleet,
  ManagedInstance,
  ScriptRequest,
  ScriptRun,
} from '../control-plane/fleet-port.ts';
import { localInstanceId } from './instance-id.ts';
import { terminateMarked } from './process-reaper.ts';
import { runScript } from './script-runner.ts';

export interface LocalInstanceSpec {
  /** Its EC2-shaped id. Default: derived from the name (`localInstanceId`). */
  readonly id?: string;
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Added to every script's environment, e.g. SIGNET_HOME and SIGNET_HTTP_PORT. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface FleetTiming {
  /** How long stopped processes get between SIGTERM and SIGKILL. Default 3000 ms. */
  readonly stopGraceMs: number;
  /** How long to read a script's buffered output after it exits. Default 100 ms. */
  readonly drainMs: number;
}

export interface LocalFleetOptions {
  /** Instances live in `<stateDir>/instances/<id>/`. */
  readonly stateDir: string;
  readonly instances: readonly LocalInstanceSpec[];
  readonly timing?: Partial<FleetTiming>;
  /** PATH for scripts. Default: this process's PATH. */
  readonly path?: string;
  /** AWS_SSM_REGION_NAME for scripts. Default us-east-1. */
  readonly region?: string;
}

export interface LocalInstance extends ManagedInstance {
  /** The instance's directory: its filesystem root for Signet's purposes. */
  readonly root: string;
  readonly env: Readonly<Record<string, string>>;
}

export interface LocalFleet extends ManagedFleet {
  instances(): readonly LocalInstance[];
  /** By id or name. */
  instance(idOrName: string): LocalInstance | undefined;
  /** Stops an instance: its processes are terminated and its agent goes ConnectionLost. */
  stopInstance(idOrName: string): Promise<void>;
  startInstance(idOrName: string): void;
  /** Terminates every process any instance started, detached daemons included. */
  stop(): Promise<void>;
}

/** Set in every process an instance starts; fleet.stop() finds processes by it. */
export const FLEET_MARKER = 'SIGNET_LOCAL_FLEET';
export const INSTANCE_MARKER = 'SIGNET_LOCAL_INSTANCE';

const DEFAULT_TIMING: FleetTiming = { stopGraceMs: 3000, drainMs: 100 };

interface InstanceState {
  spec: LocalInstance;
  state: 'running' | 'stopped';
  stateChangedAt: Date;
}

/**
 * Local instances: each a directory and the real processes its scripts start. Scripts run with
 * a clean environment (PATH from the options, HOME inside the instance, LANG, the agent's
 * AWS_SSM_INSTANCE_ID / AWS_SSM_REGION_NAME) plus the instance's env, and carry the fleet's
 * marker so nothing they start outlives `stop()`.
 *
 * @example
 * const fleet = await createLocalFleet({
 *   stateDir,
 *   instances: [{ name: 'web-1', tags: { App: 'web' } }],
 * });
 */
export async function createLocalFleet(options: LocalFleetOptions): Promise<LocalFleet> {
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const stateDir = resolve(options.stateDir);
  // One marker value per state directory: a later run can find what an earlier one left.
  const marker = createHash('sha256').update(stateDir).digest('hex').slice(0, 24);
  const launchTime = new Date();
  const states = new Map<string, InstanceState>();
  const groups = new Map<string, Set<number>>();

  for (const spec of options.instances) {
    const id = spec.id ?? localInstanceId(spec.name);
    if (states.has(id)) throw new ConfigInvalid(`Local instance ${spec.name} is listed twice`);
    const root = join(stateDir, 'instances', id);
    await mkdir(join(root, 'root'), { recursive: true });
    const instance: LocalInstance = {
      id,
      name: spec.name,
      tags: { Name: spec.name, ...spec.tags },
      root,
      env: { ...spec.env },
      state: 'running',
      launchTime,
      stateChangedAt: launchTime,
    };
    states.set(id, { spec: instance, state: 'running', stateChangedAt: launchTime });
    groups.set(id, new Set());
  }

  const find = (idOrName: string) =>
    [...states.values()].find(({ spec }) => spec.id === idOrName || spec.name === idOrName);
  const view = ({ spec, state, stateChangedAt }: InstanceState): LocalInstance => ({
    ...spec,
    state,
    stateChangedAt,
  });
  const killGroups = (id: string) => {
    for (const group of groups.get(id) ?? []) {
      try {
        process.kill(-group, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  };

  return {
    instances: () => [...states.values()].map(view),
    instance: (idOrName) => {
      const found = find(idOrName);
      return found === undefined ? undefined : view(found);
    },
    runScript(request: ScriptRequest): ScriptRun {
      const found = find(request.instanceId);
      if (found === undefined || found.state !== 'running') {
        throw new TargetsUnavailable(`Local instance ${request.instanceId} is not running`);
      }
      const { spec } = found;
      const tracked = groups.get(spec.id) as Set<number>;
      let current: number | undefined;
      return runScript(request, {
        root: spec.root,
        baseEnv: {
          PATH: options.path ?? process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
          HOME: join(spec.root, 'root'),
          LANG: 'C.UTF-8',
          AWS_SSM_INSTANCE_ID: spec.id,
          AWS_SSM_REGION_NAME: options.region ?? 'us-east-1',
          ...spec.env,
        },
        // The instance marker includes the fleet's: instance ids come from names alone, and
        // another stack on this machine may have an instance of the same name.
        markerEnv: { [FLEET_MARKER]: marker, [INSTANCE_MARKER]: `${marker}/${spec.id}` },
        drainMs: timing.drainMs,
        mayStart: () => found.state === 'running',
        track: (group) => {
          if (current !== undefined) tracked.delete(current);
          current = group;
          if (group !== undefined) tracked.add(group);
        },
      });
    },
    async stopInstance(idOrName) {
      const found = find(idOrName);
      if (found === undefined) throw new ConfigInvalid(`No local instance ${idOrName}`);
      found.state = 'stopped';
      found.stateChangedAt = new Date();
      killGroups(found.spec.id);
      await terminateMarked(INSTANCE_MARKER, `${marker}/${found.spec.id}`, timing.stopGraceMs);
    },
    startInstance(idOrName) {
      const found = find(idOrName);
      if (found === undefined) throw new ConfigInvalid(`No local instance ${idOrName}`);
      found.state = 'running';
      found.stateChangedAt = new Date();
    },
    async stop() {
      for (const id of states.keys()) killGroups(id);
      await terminateMarked(FLEET_MARKER, marker, timing.stopGraceMs);
    },
  };
}
