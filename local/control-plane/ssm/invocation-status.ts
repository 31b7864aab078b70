/**
 * Run Command statuses. StatusDetails is the finer word; Status is what it rolls up to. Sources:
 * the SSM API model (CommandInvocationStatus, CommandPluginStatus, CommandStatus enums and the
 * StatusDetails documentation) and "Understanding command statuses" in the SSM user guide.
 */

export type InvocationStatus =
  | 'Pending'
  | 'InProgress'
  | 'Delayed'
  | 'Success'
  | 'Cancelled'
  | 'TimedOut'
  | 'Failed'
  | 'Cancelling';

export type InvocationDetails =
  | 'Pending'
  | 'InProgress'
  | 'Delayed'
  | 'Success'
  | 'DeliveryTimedOut'
  | 'ExecutionTimedOut'
  | 'Failed'
  | 'Cancelled'
  | 'Cancelling'
  | 'Undeliverable'
  | 'Terminated';

// Undeliverable and Terminated have no Status of their own in the API's enum; Failed and
// Cancelled are what they roll up to here (inferred: the guide does not say).
const STATUS_OF: Readonly<Record<InvocationDetails, InvocationStatus>> = {
  Pending: 'Pending',
  InProgress: 'InProgress',
  Delayed: 'Delayed',
  Success: 'Success',
  DeliveryTimedOut: 'TimedOut',
  ExecutionTimedOut: 'TimedOut',
  Failed: 'Failed',
  Cancelled: 'Cancelled',
  Cancelling: 'Cancelling',
  Undeliverable: 'Failed',
  Terminated: 'Cancelled',
};

const NOT_TERMINAL = new Set<InvocationDetails>(['Pending', 'InProgress', 'Delayed', 'Cancelling']);

export function statusOf(details: InvocationDetails): InvocationStatus {
  return STATUS_OF[details];
}

export function isTerminal(details: InvocationDetails): boolean {
  return !NOT_TERMINAL.has(details);
}

/** CommandPluginStatus has no Delayed or Cancelling: the plugin has not started or still runs. */
export function pluginStatusOf(details: InvocationDetails): string {
  if (details === 'Delayed') return 'Pending';
  if (details === 'Cancelling') return 'InProgress';
  return statusOf(details);
}

// The agent's exit code for a process it killed (128 + SIGKILL); amazon-ssm-agent
// agent/plugins/pluginutil/pluginutil_unix.go, GetStatus.
export const STOPPED_PREEMPTIVELY_EXIT_CODE = 137;

/**
 * The details the agent reports for a finished script. As in the agent's GetStatus, only exit
 * code 0 is Success, and 137 (the code of a killed process) reads as a timeout unless the
 * command was cancelled, even when the script itself died of SIGKILL.
 */
export function detailsForExit(exitCode: number, cancelled: boolean): InvocationDetails {
  if (exitCode === 0) return 'Success';
  if (exitCode === STOPPED_PREEMPTIVELY_EXIT_CODE)
    return cancelled ? 'Cancelled' : 'ExecutionTimedOut';
  return 'Failed';
}
