import { type InvocationDetails, isTerminal } from './invocation-status.ts';

export interface CommandRollup {
  readonly status: string;
  readonly statusDetails: string;
  readonly completedCount: number;
  readonly errorCount: number;
  readonly deliveryTimedOutCount: number;
}

/** MaxErrors as a count for this many targets: "0", "5" or "10%" (of the targets, rounded down). */
export function allowedErrors(maxErrors: string, targetCount: number): number {
  if (maxErrors.endsWith('%'))
    return Math.floor((Number(maxErrors.slice(0, -1)) * targetCount) / 100);
  return Number(maxErrors);
}

/**
 * A command's Status from its invocations, following the CommandStatus and StatusDetails
 * documentation: Pending until an invocation moves; InProgress while any runs; Cancelling
 * after CancelCommand until all stop; then Success when every delivered invocation
 * succeeded, Failed / TimedOut when errors of that kind exceed MaxErrors, and Incomplete
 * (rolled up to Failed, inferred) when some did not succeed without exceeding it. Failed and
 * execution timeouts count as errors; delivery timeouts are counted apart; Undeliverable
 * invocations count for neither (guide: "don't contribute to whether the parent command status
 * is Success or Incomplete").
 */
export function rollUpCommand(
  invocations: readonly InvocationDetails[],
  options: {
    readonly cancelRequested: boolean;
    readonly maxErrors: string;
    readonly noTargets: boolean;
  },
): CommandRollup {
  const count = (details: InvocationDetails) => invocations.filter((d) => d === details).length;
  const completedCount = invocations.filter(isTerminal).length;
  const executionTimeouts = count('ExecutionTimedOut');
  const errorCount = count('Failed') + executionTimeouts;
  const deliveryTimedOutCount = count('DeliveryTimedOut');
  const counts = { completedCount, errorCount, deliveryTimedOutCount };
  const rollup = (status: string, statusDetails = status) => ({ status, statusDetails, ...counts });

  if (options.noTargets) return rollup('Success', 'NoInstancesInTag');
  if (completedCount < invocations.length) {
    if (options.cancelRequested) return rollup('Cancelling');
    return invocations.every((d) => d === 'Pending') ? rollup('Pending') : rollup('InProgress');
  }
  if (options.cancelRequested && count('Cancelled') > 0) return rollup('Cancelled');
  const allowed = allowedErrors(options.maxErrors, invocations.length);
  if (errorCount > allowed) {
    return executionTimeouts === errorCount
      ? rollup('TimedOut', 'ExecutionTimedOut')
      : rollup('Failed');
  }
  if (deliveryTimedOutCount > allowed) return rollup('TimedOut', 'DeliveryTimedOut');
  const delivered = invocations.filter((d) => d !== 'Undeliverable');
  if (delivered.every((d) => d === 'Success')) return rollup('Success');
  return rollup('Failed', 'Incomplete');
}
