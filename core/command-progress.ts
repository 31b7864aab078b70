/** One instance's invocation as SSM reports it, reduced to what Signet decides on. */
export interface InvocationReport {
  readonly instanceId: string;
  /** Pending, InProgress, Delayed, Success, Cancelled, TimedOut, Failed, Cancelling. */
  readonly status: string;
  /** Finer: DeliveryTimedOut, ExecutionTimedOut, Undeliverable, Terminated, ... */
  readonly statusDetails: string;
  /** The script's exit code; -1 until it ran. */
  readonly responseCode: number;
  /** The start of the output SSM shows in the listing (at most 2,500 characters). */
  readonly output: string;
}

export interface InstanceFailure {
  readonly instanceId: string;
  readonly status: string;
  readonly statusDetails: string;
  readonly exitCode: number;
  /** The end of what the instance printed, for the operator; never the full output. */
  readonly outputTail: string;
}

export type CommandProgress =
  | { readonly state: 'running'; readonly finished: number; readonly total: number }
  | { readonly state: 'succeeded'; readonly total: number }
  | {
      readonly state: 'failed';
      readonly failures: readonly InstanceFailure[];
      readonly total: number;
    };

// Statuses after which SSM will not change an invocation again. Pending, InProgress, Delayed
// and Cancelling are not final: a Cancelling script may still be writing to the release.
const FINAL_STATUSES = new Set([
  'Success',
  'Failed',
  'Cancelled',
  'TimedOut',
  'Undeliverable',
  'Terminated',
]);
// StatusDetails as the API spells them ("Delivery Timed Out"), compared without spaces.
const FINAL_DETAILS = new Set([
  'Undeliverable',
  'Terminated',
  'DeliveryTimedOut',
  'ExecutionTimedOut',
  'Failed',
  'Success',
]);
const OUTPUT_TAIL = 600;

/**
 * Decides where a command stands on its instances. Right after SendCommand, SSM may not list
 * an invocation yet (eventual consistency): a missing one counts as pending until
 * `missingGraceOver`, then as a failure, so a command that never reached an instance cannot
 * leave the deployment polling forever. Only Success with exit code 0 is success.
 */
export function judgeCommand(
  expectedInstances: readonly string[],
  reports: readonly InvocationReport[],
  missingGraceOver: boolean,
): CommandProgress {
  const byInstance = new Map(reports.map((report) => [report.instanceId, report]));
  const failures: InstanceFailure[] = [];
  let finished = 0;

  for (const instanceId of expectedInstances) {
    const report = byInstance.get(instanceId);
    if (report === undefined) {
      if (!missingGraceOver) continue;
      finished += 1;
      failures.push({
        instanceId,
        status: 'InvocationNeverAppeared',
        statusDetails: 'SSM never listed an invocation for this instance',
        exitCode: -1,
        outputTail: '',
      });
      continue;
    }
    if (!isFinal(report)) continue;
    finished += 1;
    if (report.status !== 'Success' || report.responseCode !== 0) {
      failures.push({
        instanceId,
        status: report.status,
        statusDetails: report.statusDetails,
        exitCode: report.responseCode,
        outputTail: report.output.slice(-OUTPUT_TAIL),
      });
    }
  }

  const total = expectedInstances.length;
  if (finished < total) return { state: 'running', finished, total };
  return failures.length === 0
    ? { state: 'succeeded', total }
    : { state: 'failed', failures, total };
}

function isFinal(report: InvocationReport): boolean {
  if (report.status === 'Cancelling') return false;
  return (
    FINAL_STATUSES.has(report.status) || FINAL_DETAILS.has(report.statusDetails.replaceAll(' ', ''))
  );
}

/** The next poll interval: 1.5 times the last, capped; integers because Wait needs them. */
export function nextWaitSeconds(current: number, maximum: number): number {
  return Math.min(maximum, Math.max(1, Math.ceil(current * 1.5)));
}
