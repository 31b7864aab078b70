import type { AlarmVerdict } from './alarm-gate.ts';
import type { CommandPhase } from './command-phase.ts';
import type { Tolerance, ToleratedFailure } from './rollout-policy.ts';

/** One SendCommand call: SSM takes at most 50 instance ids per call. */
export interface SentCommand {
  readonly commandId: string;
  readonly instanceIds: readonly string[];
}

/**
 * A phase's commands as the state machine carries them between Wait states: ids and timings
 * only, never output, so the state stays small at any fleet size.
 */
export interface CommandState {
  readonly phase: CommandPhase;
  readonly app: string;
  readonly version: string;
  readonly commands: readonly SentCommand[];
  readonly sentAt: string;
  /** After this the phase has failed, whatever SSM still says. */
  readonly deadline: string;
  /** The next Wait state's length, growing with each poll. */
  readonly waitSeconds: number;
  readonly maxWaitSeconds: number;
  readonly polls: number;
  readonly done: boolean;
  /** The failures the rollout policy absorbs; absent for rollback phases, which absorb none. */
  readonly tolerance?: Tolerance;
  /** Failures absorbed so far in this deployment, carried from phase to phase and batch to batch. */
  readonly tolerated?: readonly ToleratedFailure[];
  /** When the deadline passed and the unfinished invocations were cancelled; polling goes on
   * until they have stopped, so a rollback never overlaps a running install. */
  readonly cancelledAt?: string;
  /** CloudWatch alarms that must stay out of ALARM while a new release is health-checked. */
  readonly alarms?: readonly string[];
  /** Set when the alarm gate failed the phase while hosts still ran: the phase fails with it
   * once the cancelled invocations have stopped, whatever the alarms say by then. */
  readonly alarmVerdict?: AlarmVerdict;
}

export function instancesOf(state: CommandState): string[] {
  return state.commands.flatMap((command) => command.instanceIds);
}
