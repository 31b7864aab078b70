import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { DescribeInstanceInformationCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { TargetSelector } from './app-config.ts';
import { awsCall } from './aws-call-errors.ts';

export interface ExcludedInstance {
  readonly instanceId: string;
  /** stopped, stopping, pending, not-managed (no SSM agent registered), ConnectionLost, ... */
  readonly reason: string;
}

export interface FleetTargets {
  /** Running instances whose SSM agent is online: the ones Signet will touch. */
  readonly reachable: readonly string[];
  readonly excluded: readonly ExcludedInstance[];
  /** Tagged instances that are terminated or shutting down: named, but never waited for. */
  readonly terminated: readonly string[];
}

const DEPARTED_STATES = new Set(['shutting-down', 'terminated']);

// DescribeInstanceInformation takes at most 50 instance ids per filter value list.
const SSM_FILTER_LIMIT = 50;

/**
 * The app's fleet: instances carrying its tag, split into those Signet can reach and those it
 * cannot (named, so operators see why). Terminated instances are named apart: they have left
 * the fleet, so they never stop a deployment.
 */
export async function findFleetTargets(
  ec2: EC2Client,
  ssm: SSMClient,
  selector: TargetSelector,
): Promise<FleetTargets> {
  const described = await describeTaggedInstances(ec2, selector);
  const terminated = described
    .filter((instance) => DEPARTED_STATES.has(instance.state))
    .map((instance) => instance.id)
    .sort();
  const tagged = described.filter((instance) => !DEPARTED_STATES.has(instance.state));
  const running = tagged.filter((instance) => instance.state === 'running');
  const online = await onlineInSsm(
    ssm,
    running.map((instance) => instance.id),
  );

  const excluded: ExcludedInstance[] = [];
  for (const instance of tagged) {
    if (instance.state !== 'running') {
      excluded.push({ instanceId: instance.id, reason: instance.state });
    } else if (!online.has(instance.id)) {
      excluded.push({ instanceId: instance.id, reason: 'not-managed' });
    } else if (online.get(instance.id) !== 'Online') {
      excluded.push({ instanceId: instance.id, reason: online.get(instance.id) ?? 'unknown' });
    }
  }
  const reachable = running
    .map((instance) => instance.id)
    .filter((id) => online.get(id) === 'Online')
    .sort();
  return { reachable, excluded, terminated };
}

/** Splits instance ids into consecutive batches of at most `size`. */
export function toBatches(instanceIds: readonly string[], size: number): string[][] {
  const batches: string[][] = [];
  for (let start = 0; start < instanceIds.length; start += size) {
    batches.push(instanceIds.slice(start, start + size));
  }
  return batches;
}

async function describeTaggedInstances(ec2: EC2Client, selector: TargetSelector) {
  const instances: { id: string; state: string }[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await awsCall(`DescribeInstances (tag ${selector.tagKey})`, () =>
      ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: `tag:${selector.tagKey}`, Values: [selector.tagValue] },
            {
              Name: 'instance-state-name',
              Values: ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated'],
            },
          ],
          MaxResults: 1000,
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      ),
    );
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        if (instance.InstanceId !== undefined) {
          instances.push({ id: instance.InstanceId, state: instance.State?.Name ?? 'unknown' });
        }
      }
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return instances;
}

/** Ping status by instance id, for the instances SSM knows. */
async function onlineInSsm(ssm: SSMClient, instanceIds: string[]): Promise<Map<string, string>> {
  const status = new Map<string, string>();
  for (let start = 0; start < instanceIds.length; start += SSM_FILTER_LIMIT) {
    const ids = instanceIds.slice(start, start + SSM_FILTER_LIMIT);
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await awsCall('DescribeInstanceInformation', () =>
        ssm.send(
          new DescribeInstanceInformationCommand({
            Filters: [{ Key: 'InstanceIds', Values: ids }],
            MaxResults: 50,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        ),
      );
      for (const info of page.InstanceInformationList ?? []) {
        if (info.InstanceId !== undefined) status.set(info.InstanceId, info.PingStatus ?? '');
      }
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
  }
  return status;
}
