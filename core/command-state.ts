import type { CommandPhase } from './command-phase.ts';

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
}

export function instancesOf(state: CommandState): string[] {
  return state.commands.flatMap((command) => command.instanceIds);
}
