import { ConfigInvalid } from './errors.ts';

/** A number of instances, or a share of the fleet written as `"25%"`. */
export type Amount = number | `${number}%`;

/** How a rollout walks the fleet and how many failures it may absorb on the way. */
export interface RolloutPolicy {
  /** Instances installed at a time. Default 50. */
  readonly batchSize: Amount;
  /** Instances that must stay in service; batches shrink to keep them. Default 0. */
  readonly minimumHealthy: Amount;
  /** Instances that may fail before the deployment fails and rolls back. Default 0. */
  readonly maximumFailed: Amount;
  /** What a tagged instance that cannot be reached does: stop the deployment, or be skipped. */
  readonly onUnreachable: 'stop' | 'skip';
}

/** The policy resolved against one fleet: plain counts the Check Lambdas can compare. */
export interface Tolerance {
  readonly instanceCount: number;
  readonly maximumFailed: number;
  readonly minimumHealthy: number;
}

/** One instance whose failure the policy absorbed; named in the outcome and the audit. */
export interface ToleratedFailure {
  readonly instanceId: string;
  readonly phase: string;
  readonly status: string;
}

const PERCENT = /^(\d{1,3}(?:\.\d+)?)%$/;

/** Reads `5` or `"25%"`; a count must lie in [minCount, maxCount], a percent in [0, 100]. */
export function parseAmount(
  value: unknown,
  where: string,
  minCount: number,
  maxCount: number,
): Amount {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < minCount || value > maxCount) {
      throw new ConfigInvalid(
        `The ${where} must be a number from ${minCount} to ${maxCount} or a percentage`,
        { details: { where } },
      );
    }
    return value;
  }
  const match = typeof value === 'string' ? PERCENT.exec(value) : null;
  const percent = Number(match?.[1] ?? Number.NaN);
  if (match === null || percent > 100 || (minCount > 0 && percent === 0)) {
    throw new ConfigInvalid(
      `The ${where} must be a number from ${minCount} to ${maxCount} or a percentage like "25%"`,
      { details: { where } },
    );
  }
  return value as Amount;
}

/** An amount as a count of `total` instances; percentages of a share round as `rounding` says. */
export function countOf(amount: Amount, total: number, rounding: 'up' | 'down'): number {
  if (typeof amount === 'number') return amount;
  const exact = (Number(amount.slice(0, -1)) * total) / 100;
  // 1e-9 absorbs float noise: 30% of 10 is 3.0000000000000004, which must not round up to 4.
  return rounding === 'up' ? Math.ceil(exact - 1e-9) : Math.floor(exact + 1e-9);
}

/**
 * Resolves the policy for a fleet of `instanceCount`: batches never take more instances out of
 * service than `minimumHealthy` allows, and at least one instance goes at a time.
 */
export function resolvePolicy(
  app: string,
  policy: RolloutPolicy,
  instanceCount: number,
): { readonly batchSize: number; readonly tolerance: Tolerance } {
  const minimumHealthy = countOf(policy.minimumHealthy, instanceCount, 'up');
  const maximumFailed = countOf(policy.maximumFailed, instanceCount, 'down');
  const wanted = Math.max(1, countOf(policy.batchSize, instanceCount, 'up'));
  const room = instanceCount - minimumHealthy;
  if (room < 1) {
    throw new ConfigInvalid(
      `App ${app}: rollout.minimumHealthy (${minimumHealthy} of ${instanceCount} instance(s)) ` +
        'leaves no instance that may be taken out of service',
      { details: { app, minimumHealthy, instanceCount } },
    );
  }
  return {
    batchSize: Math.min(wanted, room),
    tolerance: { instanceCount, maximumFailed, minimumHealthy },
  };
}

/** Whether the policy absorbs this many failed instances in all. */
export function tolerates(tolerance: Tolerance, failedInstances: number): boolean {
  return (
    failedInstances <= tolerance.maximumFailed &&
    tolerance.instanceCount - failedInstances >= tolerance.minimumHealthy
  );
}
