import type { StateMachineDefinition } from './definition.ts';
import { statesOfType } from './definition.ts';

/** A Task state and the local function that runs it. */
export interface TaskState {
  readonly name: string;
  readonly resource: string;
  readonly timeoutInSeconds?: number;
  readonly run: (input: unknown) => Promise<unknown>;
}

/** Every Task state with its local function; a Task without one is a setup error. */
export function taskStates(
  definition: StateMachineDefinition,
  handlers: ReadonlyMap<string, (input: unknown) => Promise<unknown>>,
): TaskState[] {
  return statesOfType(definition, 'Task').map(([name, state]) => {
    const resource = String(state['Resource']);
    const run = handlers.get(resource);
    if (run === undefined) {
      throw new Error(`State ${name}: no local function for resource ${resource}`);
    }
    const timeout = state['TimeoutSeconds'];
    return {
      name,
      resource,
      run,
      ...(typeof timeout === 'number' ? { timeoutInSeconds: timeout } : {}),
    };
  });
}

/**
 * aws-local-stepfunctions' overrides for Wait states (one duration for all) and Retry pauses
 * (one per retrier, replacing IntervalSeconds, BackoffRate and jitter).
 */
export function timingOverrides(
  definition: StateMachineDefinition,
  waitMs: number | undefined,
  retryMs: ((stateName: string, errors: readonly string[]) => number) | undefined,
): { waitTimeOverrides: Record<string, number>; retryIntervalOverrides: Record<string, number[]> } {
  const waitTimeOverrides: Record<string, number> = {};
  if (waitMs !== undefined) {
    for (const [name] of statesOfType(definition, 'Wait')) waitTimeOverrides[name] = waitMs;
  }
  const retryIntervalOverrides: Record<string, number[]> = {};
  if (retryMs !== undefined) {
    for (const [name, state] of statesOfType(definition, 'Task')) {
      const retriers = (state['Retry'] ?? []) as { ErrorEquals: string[] }[];
      retryIntervalOverrides[name] = retriers.map((retrier) => retryMs(name, retrier.ErrorEquals));
    }
  }
  return { waitTimeOverrides, retryIntervalOverrides };
}
