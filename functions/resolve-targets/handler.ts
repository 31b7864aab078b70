import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { loadAppConfig } from '../../core/app-config-store.ts';
import type { DeploymentRequest } from '../../core/deployment-request.ts';
import { NoTargets, TargetsUnavailable } from '../../core/errors.ts';
import { type ExcludedInstance, findFleetTargets, toBatches } from '../../core/fleet-targets.ts';
import { refuseOutdatedRollback, refuseOutOfOrder } from '../../core/release-order.ts';
import { type DeployedRelease, readReleaseRecord } from '../../core/release-record.ts';
import { resolvePolicy, type Tolerance } from '../../core/rollout-policy.ts';
import { ec2Client, parameterPrefix, ssmClient } from '../shared/default-deps.ts';
import { type PlainHandler, signetHandler } from '../shared/signet-handler.ts';

export interface ResolveTargetsEvent {
  readonly app: string;
  readonly request: DeploymentRequest;
}

/** The rollout: who gets the release, in which batches, and what to return to on failure. */
export interface RolloutPlan {
  readonly batches: readonly (readonly string[])[];
  readonly batchCount: number;
  readonly instanceCount: number;
  /** Tagged instances left out (stopped, offline, unmanaged), named for the operator. */
  readonly excluded: readonly ExcludedInstance[];
  /** Tagged instances that are terminated or shutting down; never waited for. */
  readonly terminated: readonly string[];
  /** The failures the app's rollout policy absorbs on this fleet. */
  readonly tolerance: Tolerance;
  /** The recorded current release; null on an app's first deployment. */
  readonly rollbackTarget: DeployedRelease | null;
}

export interface ResolveTargetsDeps {
  readonly ec2: () => EC2Client;
  readonly ssm: () => SSMClient;
  readonly parameterPrefix: () => string;
}

/**
 * Finds the app's fleet before any instance is touched. No reachable instance is NoTargets (a
 * failure: a deployment to nobody must not look like a success), and a tagged instance that is
 * stopped or offline stops the deployment too, so a fleet never silently runs two versions,
 * unless the app's `rollout.onUnreachable` is "skip": then those instances are named and left.
 */
export function resolveTargets(
  deps: ResolveTargetsDeps,
): PlainHandler<ResolveTargetsEvent, RolloutPlan> {
  return async ({ app, request }, { logger }) => {
    const prefix = deps.parameterPrefix();
    // Verification ran before the lock; another release may have been deployed since.
    const record = await readReleaseRecord(deps.ssm(), prefix, app);
    refuseOutOfOrder(request, record);
    refuseOutdatedRollback(request, record);
    const config = await loadAppConfig(deps.ssm(), prefix, app);
    const fleet = await findFleetTargets(deps.ec2(), deps.ssm(), config.targets);
    const tag = `${config.targets.tagKey}=${config.targets.tagValue}`;

    if (fleet.reachable.length === 0) {
      throw new NoTargets(`App ${app}: no running, SSM-managed instance is tagged ${tag}`, {
        details: { app, tag, excluded: fleet.excluded, terminated: fleet.terminated },
      });
    }
    const names = fleet.excluded.map((e) => `${e.instanceId} (${e.reason})`).join(', ');
    if (fleet.excluded.length > 0 && config.rollout.onUnreachable === 'stop') {
      throw new TargetsUnavailable(`App ${app}: tagged instances cannot be reached: ${names}`, {
        details: { app, tag, excluded: fleet.excluded },
      });
    }
    if (fleet.excluded.length > 0) logger.warn('skipping unreachable instances', { names });

    const { batchSize, tolerance } = resolvePolicy(app, config.rollout, fleet.reachable.length);
    const batches = toBatches(fleet.reachable, batchSize);
    logger.info('targets resolved', {
      instances: fleet.reachable.length,
      batches: batches.length,
      maximumFailed: tolerance.maximumFailed,
      rollbackTarget: record.current?.version ?? null,
    });
    return {
      batches,
      batchCount: batches.length,
      instanceCount: fleet.reachable.length,
      excluded: fleet.excluded,
      terminated: fleet.terminated,
      tolerance,
      rollbackTarget: record.current,
    };
  };
}

export const handler = signetHandler(
  'resolve-targets',
  resolveTargets({ ec2: ec2Client, ssm: ssmClient, parameterPrefix }),
);
