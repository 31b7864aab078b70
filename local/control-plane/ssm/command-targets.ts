import type { ManagedInstance } from '../fleet-port.ts';
import { AwsServiceError } from '../service-types.ts';

export interface Target {
  readonly Key: string;
  readonly Values: readonly string[];
}

const INSTANCE_ID = /^(i-(\w{8}|\w{17}))$|^(mi-\w{17})$/;

/**
 * The instances a SendCommand reaches: the listed InstanceIds (each must be known, as SSM
 * refuses an instance it does not manage with InvalidInstanceId), or the instances matching
 * every Target: `InstanceIds`, `tag:<Key>` (any of the values), `tag-key` (has the key).
 * Stopped instances stay targets: their invocations wait as Delayed until delivery times out.
 */
export function resolveTargets(
  fleet: readonly ManagedInstance[],
  instanceIds: readonly string[] | undefined,
  targets: readonly Target[] | undefined,
  account: string,
): ManagedInstance[] {
  const hasIds = instanceIds !== undefined && instanceIds.length > 0;
  const hasTargets = targets !== undefined && targets.length > 0;
  if (hasIds === hasTargets) {
    throw new AwsServiceError('ValidationException', 'Specify either InstanceIds or Targets.');
  }
  if (hasIds) return byInstanceIds(fleet, instanceIds, account);
  return fleet.filter((instance) => (targets ?? []).every((target) => matches(instance, target)));
}

function byInstanceIds(
  fleet: readonly ManagedInstance[],
  instanceIds: readonly string[],
  account: string,
): ManagedInstance[] {
  if (new Set(instanceIds).size !== instanceIds.length) {
    throw new AwsServiceError('DuplicateInstanceId', 'Instance IDs must be unique.');
  }
  const unknown = instanceIds.filter((id) => !fleet.some((instance) => instance.id === id));
  if (unknown.length > 0 || instanceIds.some((id) => !INSTANCE_ID.test(id))) {
    throw new AwsServiceError(
      'InvalidInstanceId',
      `Instances [[${unknown.join(', ')}]] not in a valid state for account ${account}`,
    );
  }
  return instanceIds.map((id) => fleet.find((instance) => instance.id === id) as ManagedInstance);
}

function matches(instance: ManagedInstance, target: Target): boolean {
  if (target.Key === 'InstanceIds') return target.Values.includes(instance.id);
  if (target.Key === 'tag-key') return target.Values.some((key) => key in instance.tags);
  if (target.Key.startsWith('tag:')) {
    const value = instance.tags[target.Key.slice('tag:'.length)];
    return value !== undefined && target.Values.includes(value);
  }
  throw new AwsServiceError(
    'InvalidTarget',
    `Target key ${target.Key} is not supported locally (InstanceIds, tag:<Key>, tag-key).`,
  );
}
