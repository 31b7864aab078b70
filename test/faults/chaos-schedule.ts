import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FaultPlan } from '../../local/faults/fault-plan.ts';
import type { LocalInstanceInfo } from '../../local/stack/options.ts';
import { CHAOS_HOOKS } from './chaos-app.ts';

/** A seeded generator (mulberry32): the same seed gives the same schedules on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type ChaosFault =
  | { readonly kind: 'offline-at-start'; readonly instance: number }
  | {
      readonly kind: 'offline-briefly';
      readonly instance: number;
      readonly atMs: number;
      readonly forMs: number;
    }
  | { readonly kind: 'delay-delivery'; readonly instance: number; readonly ms: number }
  | { readonly kind: 'hide-invocation'; readonly instance: number; readonly polls: number }
  | { readonly kind: 'kill-midway'; readonly instance: number; readonly afterMs: number }
  | { readonly kind: 'fail-hook'; readonly instance: number; readonly hook: string }
  | { readonly kind: 'health-flap'; readonly instance: number }
  | { readonly kind: 'throttle'; readonly operation: string; readonly times: number }
  | { readonly kind: 'lose-lambda'; readonly functionId: string; readonly times: number };

const KINDS: readonly ChaosFault['kind'][] = [
  'offline-at-start',
  'offline-briefly',
  'delay-delivery',
  'hide-invocation',
  'kill-midway',
  'fail-hook',
  'health-flap',
  'throttle',
  'lose-lambda',
];
// Operations and functions whose faults the SDK's or the state machine's retries must absorb.
const THROTTLED = ['ListCommandInvocations', 'SendCommand', 'DescribeInstanceInformation'];
const LOST = ['resolve-targets', 'start-command', 'check-command', 'record-release'];

/** Zero to two faults on random instances; a quarter of the schedules have none. */
export function randomSchedule(random: () => number, instances: number): ChaosFault[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const count = random() < 0.25 ? 0 : between(1, 2);
  const faults: ChaosFault[] = [];
  for (let n = 0; n < count; n += 1) {
    const instance = between(0, instances - 1);
    const kind = pick(KINDS);
    switch (kind) {
      case 'offline-at-start':
        faults.push({ kind, instance });
        break;
      case 'offline-briefly':
        faults.push({ kind, instance, atMs: between(0, 1500), forMs: between(200, 1500) });
        break;
      case 'delay-delivery':
        faults.push({ kind, instance, ms: between(100, 1500) });
        break;
      case 'hide-invocation':
        faults.push({ kind, instance, polls: between(1, 3) });
        break;
      case 'kill-midway':
        faults.push({ kind, instance, afterMs: between(20, 600) });
        break;
      case 'fail-hook':
        faults.push({ kind, instance, hook: pick(CHAOS_HOOKS) });
        break;
      case 'health-flap':
        faults.push({ kind, instance });
        break;
      case 'throttle':
        faults.push({ kind, operation: pick(THROTTLED), times: between(1, 3) });
        break;
      case 'lose-lambda':
        faults.push({ kind, functionId: pick(LOST), times: between(1, 2) });
        break;
    }
  }
  return faults;
}

/**
 * Puts a schedule into effect for the deployment of `version`; returns the function that
 * ends it (timers stopped, instances back online, fault files removed).
 */
export async function applySchedule(
  plan: FaultPlan,
  instances: readonly LocalInstanceInfo[],
  schedule: readonly ChaosFault[],
  version: string,
): Promise<() => Promise<void>> {
  const timers: NodeJS.Timeout[] = [];
  const faultDirs: string[] = [];
  const instanceOf = (index: number) => instances[index] as LocalInstanceInfo;
  for (const fault of schedule) {
    switch (fault.kind) {
      case 'offline-at-start':
        plan.offline(instanceOf(fault.instance).id);
        break;
      case 'offline-briefly': {
        const id = instanceOf(fault.instance).id;
        timers.push(setTimeout(() => plan.offline(id), fault.atMs));
        timers.push(setTimeout(() => plan.online(id), fault.atMs + fault.forMs));
        break;
      }
      case 'delay-delivery':
        plan.delayDelivery(instanceOf(fault.instance).id, fault.ms);
        break;
      case 'hide-invocation':
        plan.hideInvocation(instanceOf(fault.instance).id, fault.polls);
        break;
      case 'kill-midway':
        plan.killMidway(instanceOf(fault.instance).id, fault.afterMs);
        break;
      case 'fail-hook': {
        const dir = join(instanceOf(fault.instance).signetHome, 'faults', version);
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, fault.hook), 'injected by the chaos test\n');
        faultDirs.push(dir);
        break;
      }
      case 'health-flap': {
        // The example app answers 503 while config/unhealthy exists in its release directory.
        const release = join(instanceOf(fault.instance).signetHome, 'web', 'releases', version);
        let unhealthy = false;
        const flip = setInterval(() => {
          unhealthy = !unhealthy;
          const marker = join(release, 'config', 'unhealthy');
          const change = unhealthy
            ? mkdir(join(release, 'config'), { recursive: true }).then(() => writeFile(marker, ''))
            : rm(marker, { force: true });
          change.catch(() => undefined);
        }, 150);
        timers.push(flip);
        faultDirs.push(join(release, 'config', 'unhealthy'));
        break;
      }
      case 'throttle':
        plan.throttle(fault.operation, fault.times);
        break;
      case 'lose-lambda':
        plan.loseLambda(fault.functionId, fault.times);
        break;
    }
  }
  return async () => {
    for (const timer of timers) clearTimeout(timer);
    plan.clear();
    for (const dir of faultDirs) await rm(dir, { recursive: true, force: true });
  };
}
