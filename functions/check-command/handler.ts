import {
  CancelCommandCommand,
  type CommandInvocation,
  ListCommandInvocationsCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import {
  type AlarmStates,
  type AlarmVerdict,
  alarmsUnreadable,
  alarmVerdict,
  alarmVerdictError,
} from '../../core/alarm-gate.ts';
import { awsCall } from '../../core/aws-call-errors.ts';
import { cloudWatchAlarmStates } from '../../core/cloudwatch-alarm-states.ts';
import { phaseFailure } from '../../core/command-failure.ts';
import {
  type InstanceFailure,
  type InvocationReport,
  judgeCommand,
  nextWaitSeconds,
} from '../../core/command-progress.ts';
import { type CommandState, instancesOf } from '../../core/command-state.ts';
import { type ToleratedFailure, tolerates } from '../../core/rollout-policy.ts';
import { cloudWatchClient, ssmClient } from '../shared/default-deps.ts';
import { type PlainHandler, signetHandler } from '../shared/signet-handler.ts';

export interface CheckCommandEvent {
  readonly command: CommandState;
}

export interface CheckCommandDeps {
  readonly ssm: () => SSMClient;
  /** Reads CloudWatch alarm states for a health phase gated on alarms (`health.alarms`). */
  readonly alarms?: () => AlarmStates;
  readonly now?: () => Date;
}

// SSM can take a while to list a fresh invocation; after this long a missing one is a failure.
const INVOCATION_GRACE_SECONDS = 60;
// How long cancelled invocations get to stop. The agent kills a cancelled script at once; an
// instance that went offline mid-run may never report, and the host lock still guards it.
const CANCEL_GRACE_SECONDS = 300;

/**
 * One poll of a phase's commands, between two Wait states (Lambdas never sleep). Returns the
 * state with `done` set when every instance succeeded, or when the failures stay within the
 * rollout policy (they are carried on in `tolerated`); throws the phase's error once every
 * instance has finished and the failures are beyond it. Past the deadline, or when the
 * health phase's alarm gate fails, it cancels what still runs and keeps polling until that has
 * stopped: a rollback never overlaps an install or a health check.
 */
export function checkCommand(
  deps: CheckCommandDeps,
): PlainHandler<CheckCommandEvent, CommandState> {
  return async ({ command }, { logger }) => {
    const now = (deps.now ?? (() => new Date()))();
    const reports: InvocationReport[] = [];
    for (const sent of command.commands) {
      reports.push(...(await listInvocations(deps.ssm(), sent.commandId, command)));
    }
    const graceOver = now.getTime() - Date.parse(command.sentAt) > INVOCATION_GRACE_SECONDS * 1000;
    const progress = judgeCommand(instancesOf(command), reports, graceOver);
    const next = { ...command, polls: command.polls + 1 };

    // The alarm gate fails the phase, but only once its hosts have stopped: the rollback that
    // follows must never run beside a health check still holding the host's lock.
    const verdict = command.alarmVerdict ?? (await readAlarms(deps, command));
    if (verdict !== null) {
      if (progress.state !== 'running' || pastCancelGrace(command, now)) {
        throw alarmVerdictError(command.app, command.version, verdict);
      }
      let cancelledAt = command.cancelledAt;
      if (cancelledAt === undefined) {
        const unfinished = await cancelUnfinished(deps, command, reports);
        logger.warn('alarm gate failed; cancelled the unfinished invocations', { unfinished });
        cancelledAt = now.toISOString();
      }
      return { ...next, alarmVerdict: verdict, cancelledAt, waitSeconds: 1 };
    }

    if (progress.state === 'succeeded') {
      logger.info('phase succeeded', { phase: command.phase, instances: progress.total });
      return { ...next, done: true };
    }
    if (progress.state === 'failed') {
      const tolerated = absorb(command, progress.failures);
      if (tolerated !== null) {
        logger.warn('failures tolerated', { phase: command.phase, tolerated });
        return { ...next, done: true, tolerated };
      }
      throw failureOf(command, progress.failures);
    }
    if (command.cancelledAt !== undefined) {
      if (!pastCancelGrace(command, now)) {
        return {
          ...next,
          waitSeconds: nextWaitSeconds(command.waitSeconds, command.maxWaitSeconds),
        };
      }
      logger.error('cancelled invocations did not stop', { phase: command.phase });
      throw failureOf(command, timedOut(command, reports));
    }
    if (now.getTime() > Date.parse(command.deadline)) {
      const unfinished = await cancelUnfinished(deps, command, reports);
      logger.warn('deadline passed; cancelled the unfinished invocations', { unfinished });
      return { ...next, cancelledAt: now.toISOString(), waitSeconds: 1 };
    }
    logger.debug('phase running', { phase: command.phase, finished: progress.finished });
    return { ...next, waitSeconds: nextWaitSeconds(command.waitSeconds, command.maxWaitSeconds) };
  };
}

/**
 * The alarm gate of a health phase that lists alarms: read at every poll, the last one too, so
 * an alarm that fires at the very end of the bake still fails the release. Null is a pass.
 */
async function readAlarms(
  deps: CheckCommandDeps,
  command: CommandState,
): Promise<AlarmVerdict | null> {
  const names = command.alarms ?? [];
  if (names.length === 0) return null;
  // Limitation: only the state at each poll is seen; an alarm that fires and clears between two
  // polls (at most polling.maxSeconds apart) passes, as DescribeAlarmHistory is not read.
  const reader = deps.alarms?.();
  if (reader === undefined) throw alarmsUnreadable(command.app, names);
  const where = `DescribeAlarms ${names.join(', ')} (health of ${command.app})`;
  return alarmVerdict(names, await awsCall(where, () => reader.stateOf(names)));
}

function pastCancelGrace(command: CommandState, now: Date): boolean {
  if (command.cancelledAt === undefined) return false;
  return now.getTime() - Date.parse(command.cancelledAt) > CANCEL_GRACE_SECONDS * 1000;
}

/** Cancels the invocations that have not succeeded yet; returns their instances. */
async function cancelUnfinished(
  deps: CheckCommandDeps,
  command: CommandState,
  reports: readonly InvocationReport[],
): Promise<string[]> {
  const unfinished = unfinishedInstances(command, reports);
  for (const sent of command.commands) {
    const ids = sent.instanceIds.filter((id) => unfinished.includes(id));
    if (ids.length > 0) await cancel(deps.ssm(), sent.commandId, ids, command);
  }
  return unfinished;
}

/** The failures so far if the policy absorbs them with these new ones; null if it does not. */
function absorb(
  command: CommandState,
  failures: readonly InstanceFailure[],
): ToleratedFailure[] | null {
  const rollback = command.phase !== 'install' && command.phase !== 'health';
  if (command.tolerance === undefined || failures.length === 0 || rollback) return null;
  const all = [
    ...(command.tolerated ?? []),
    ...failures.map((f) => ({ instanceId: f.instanceId, phase: command.phase, status: f.status })),
  ];
  const instances = new Set(all.map((failure) => failure.instanceId));
  return tolerates(command.tolerance, instances.size) ? all : null;
}

function failureOf(command: CommandState, failures: readonly InstanceFailure[]): Error {
  const earlier = command.tolerated ?? [];
  const note =
    earlier.length === 0
      ? undefined
      : `earlier tolerated failures: ${earlier.map((f) => `${f.instanceId} (${f.status})`).join(', ')}`;
  return phaseFailure(command.phase, command.app, command.version, failures, note);
}

function unfinishedInstances(command: CommandState, reports: readonly InvocationReport[]) {
  return instancesOf(command).filter(
    (id) => !reports.some((r) => r.instanceId === id && r.status === 'Success'),
  );
}

/** The instances the deadline caught, with the status SSM last gave them. */
function timedOut(command: CommandState, reports: readonly InvocationReport[]): InstanceFailure[] {
  return unfinishedInstances(command, reports).map((instanceId) => {
    const report = reports.find((r) => r.instanceId === instanceId);
    return {
      instanceId,
      status: 'DeadlinePassed',
      statusDetails: `not finished by ${command.deadline}; SSM said ${report?.status ?? 'nothing'}`,
      exitCode: report?.responseCode ?? -1,
      outputTail: report?.output.slice(-600) ?? '',
    };
  });
}

async function cancel(ssm: SSMClient, commandId: string, ids: string[], command: CommandState) {
  const where = `CancelCommand ${commandId} (${command.phase} of ${command.app})`;
  await awsCall(where, () =>
    ssm.send(new CancelCommandCommand({ CommandId: commandId, InstanceIds: ids })),
  );
}

async function listInvocations(
  ssm: SSMClient,
  commandId: string,
  command: CommandState,
): Promise<InvocationReport[]> {
  const where = `ListCommandInvocations ${commandId} (${command.phase} of ${command.app})`;
  const reports: InvocationReport[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await awsCall(where, () =>
      ssm.send(
        new ListCommandInvocationsCommand({
          CommandId: commandId,
          Details: true,
          MaxResults: 50,
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      ),
    );
    reports.push(...(page.CommandInvocations ?? []).map(toReport));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return reports;
}

function toReport(invocation: CommandInvocation): InvocationReport {
  const plugin = invocation.CommandPlugins?.[0];
  return {
    instanceId: invocation.InstanceId ?? '',
    status: invocation.Status ?? 'Pending',
    statusDetails: invocation.StatusDetails ?? '',
    responseCode: plugin?.ResponseCode ?? -1,
    output: plugin?.Output ?? '',
  };
}

export const handler = signetHandler(
  'check-command',
  checkCommand({ ssm: ssmClient, alarms: () => cloudWatchAlarmStates(cloudWatchClient()) }),
);
