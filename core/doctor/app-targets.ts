import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { TargetSelector } from '../app-config.ts';
import { type ExcludedInstance, findFleetTargets } from '../fleet-targets.ts';
import { guarded } from './aws-failure.ts';
import { type CheckResult, failed, passed, warned } from './check-result.ts';

/**
 * The app has at least one reachable instance (running, its SSM agent Online); every tagged
 * instance that is not reachable is named in a warning of its own.
 */
export async function checkAppTargets(
  ec2: EC2Client,
  ssm: SSMClient,
  app: string,
  selector: TargetSelector,
): Promise<CheckResult[]> {
  const check = 'app-targets';
  const actions = ['ec2:DescribeInstances', 'ssm:DescribeInstanceInformation'];
  return guarded(check, app, actions, async () => {
    const tag = `${selector.tagKey}=${selector.tagValue}`;
    const fleet = await findFleetTargets(ec2, ssm, selector);
    const warnings = fleet.excluded.map((instance) =>
      warned(
        check,
        app,
        `instance ${instance.instanceId} tagged ${tag} ${describe(instance)}: deployments of ` +
          `${app} stop with TargetsUnavailable while it is tagged and unreachable`,
        fixFor(instance, tag),
      ),
    );
    if (fleet.reachable.length > 0) return [passed(check, app), ...warnings];
    return [
      failed(
        check,
        app,
        `no running instance tagged ${tag} has its SSM agent online: deployments of ${app} ` +
          'fail with NoTargets',
        `tag the instances of ${app} ${tag}, start them, and check that their SSM agent is ` +
          'online (`aws ssm describe-instance-information`)',
      ),
      ...warnings,
    ];
  });
}

function describe(instance: ExcludedInstance): string {
  if (instance.reason === 'not-managed') return 'has no SSM agent registered';
  if (['pending', 'stopping', 'stopped', 'shutting-down'].includes(instance.reason)) {
    return `is ${instance.reason}`;
  }
  return `has its SSM agent ${instance.reason}`;
}

function fixFor(instance: ExcludedInstance, tag: string): string {
  const id = instance.instanceId;
  if (['stopping', 'stopped'].includes(instance.reason)) {
    return `start it (\`aws ec2 start-instances --instance-ids ${id}\`) or remove its tag ${tag}`;
  }
  if (instance.reason === 'not-managed') {
    return (
      'run the SSM agent on it with AmazonSSMManagedInstanceCore on its instance role, or ' +
      `remove its tag ${tag}`
    );
  }
  return `check its SSM agent and its network path to SSM, or remove its tag ${tag}`;
}
