/**
 * Turns the local interpreter's event log into AWS execution-history events, named and shaped
 * as GetExecutionHistory returns them (botocore stepfunctions model, `HistoryEvent`), so a
 * local trace and a cloud trace read alike.
 */

export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

/** An event before it gets its place in the history (id and previousEventId). */
export type HistoryDraft = { type: string; timestamp: number; [details: string]: unknown };

/** The parts of an aws-local-stepfunctions event this mapping reads. */
export interface InterpreterEvent {
  readonly type: string;
  readonly timestamp: number;
  readonly state?: {
    readonly name: string;
    readonly type: string;
    readonly input?: unknown;
    readonly output?: unknown;
  };
  readonly input?: unknown;
  readonly output?: unknown;
  readonly Error?: string;
  readonly Cause?: unknown;
}

export interface ExecutionHistoryOptions {
  readonly roleArn: string;
  /** The execution input exactly as StartExecution received it. */
  readonly input: string;
  /** The Lambda ARN and TimeoutSeconds of a Task state. */
  readonly taskOf: (stateName: string) => { resource: string; timeoutInSeconds?: number };
  /** The error and cause StopExecution was given; read when the abort is recorded. */
  readonly abortDetails: () => { readonly error?: string; readonly cause?: string };
}

interface LambdaCall {
  readonly input: unknown;
  output?: unknown;
  succeeded: boolean;
}

type TaskFunction = (input: unknown) => Promise<unknown>;

const NOT_TRUNCATED = { truncated: false };

/**
 * One execution's history mapping. The interpreter reports states; what the Lambda saw (the
 * input after Parameters, its raw result) comes from the Task functions, which `track` wraps.
 */
export class ExecutionHistory {
  readonly #options: ExecutionHistoryOptions;
  // The interpreter calls a Task's function in the same tick as it reports the state's entry
  // or retry, before the event is read here: calls wait in this queue, per state, until then.
  readonly #calls = new Map<string, LambdaCall[]>();
  readonly #current = new Map<string, LambdaCall>();

  constructor(options: ExecutionHistoryOptions) {
    this.#options = options;
  }

  /** The Task's function, recording each call's input and result for the history. */
  track(stateName: string, run: TaskFunction): TaskFunction {
    return async (input) => {
      const call: LambdaCall = { input, succeeded: false };
      this.#calls.set(stateName, [...(this.#calls.get(stateName) ?? []), call]);
      const output = await run(input);
      call.output = output;
      call.succeeded = true;
      return output;
    };
  }

  /** The AWS events for one interpreter event, in order. */
  map(event: InterpreterEvent): HistoryDraft[] {
    const at = event.timestamp;
    const state = event.state;
    switch (event.type) {
      case 'ExecutionStarted':
        return [
          draft('ExecutionStarted', at, {
            input: this.#options.input,
            inputDetails: NOT_TRUNCATED,
            roleArn: this.#options.roleArn,
          }),
        ];
      case 'ExecutionSucceeded':
        return [
          draft('ExecutionSucceeded', at, {
            output: json(event.output),
            outputDetails: NOT_TRUNCATED,
          }),
        ];
      case 'ExecutionFailed':
        return [draft('ExecutionFailed', at, { error: event.Error, cause: text(event.Cause) })];
      case 'ExecutionAborted':
        return [draft('ExecutionAborted', at, { ...this.#options.abortDetails() })];
      case 'ExecutionTimeout':
        return [draft('ExecutionTimedOut', at, { error: 'States.Timeout' })];
      case 'StateEntered':
        if (state === undefined) return [];
        return [
          draft(
            `${state.type}StateEntered`,
            at,
            {
              name: state.name,
              input: json(state.input),
              inputDetails: NOT_TRUNCATED,
            },
            'stateEnteredEventDetails',
          ),
          ...(state.type === 'Task' ? this.#scheduled(state.name, at) : []),
        ];
      case 'StateRetried':
        return state?.type === 'Task' ? this.#scheduled(state.name, at) : [];
      case 'StateFailed':
        return state?.type === 'Task' ? this.#ended(state.name, at, event) : [];
      case 'StateExited':
        if (state === undefined) return [];
        return [
          ...(state.type === 'Task' ? this.#ended(state.name, at, event) : []),
          draft(
            `${state.type}StateExited`,
            at,
            {
              name: state.name,
              output: json(state.output),
              outputDetails: NOT_TRUNCATED,
            },
            'stateExitedEventDetails',
          ),
        ];
      default:
        return [];
    }
  }

  #scheduled(stateName: string, at: number): HistoryDraft[] {
    const [call, ...rest] = this.#calls.get(stateName) ?? [];
    this.#calls.set(stateName, rest);
    // No call: the state failed before its function was called (a Parameters path, say).
    if (call === undefined) return [];
    this.#current.set(stateName, call);
    const { resource, timeoutInSeconds } = this.#options.taskOf(stateName);
    return [
      draft('LambdaFunctionScheduled', at, {
        resource,
        input: json(call.input),
        inputDetails: NOT_TRUNCATED,
        ...(timeoutInSeconds === undefined ? {} : { timeoutInSeconds }),
      }),
      { type: 'LambdaFunctionStarted', timestamp: at },
    ];
  }

  // The end of the current call, reported once: on the state's failure, or on its exit after a
  // success (a caught failure exits the state too, with nothing more to say about the call).
  #ended(stateName: string, at: number, event: InterpreterEvent): HistoryDraft[] {
    const call = this.#current.get(stateName);
    this.#current.delete(stateName);
    if (call === undefined) return [];
    if (call.succeeded) {
      return [
        draft('LambdaFunctionSucceeded', at, {
          output: json(call.output),
          outputDetails: NOT_TRUNCATED,
        }),
      ];
    }
    const details = { error: event.Error, cause: text(event.Cause) };
    return event.Error === 'States.Timeout'
      ? [draft('LambdaFunctionTimedOut', at, details)]
      : [draft('LambdaFunctionFailed', at, details)];
  }
}

/** An event with its details under `<type in lower camel case>EventDetails`, as AWS names them. */
function draft(
  type: string,
  timestamp: number,
  details: Record<string, unknown>,
  key = `${type[0]?.toLowerCase()}${type.slice(1)}EventDetails`,
): HistoryDraft {
  return { type, timestamp, [key]: details };
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

/** A history event without execution data, as `includeExecutionData: false` asks. */
export function withoutExecutionData(event: HistoryEvent): HistoryEvent {
  const stripped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && value !== null && typeof value === 'object') {
      const { input: _input, output: _output, ...rest } = value as Record<string, unknown>;
      stripped[key] = rest;
    } else {
      stripped[key] = value;
    }
  }
  return stripped as unknown as HistoryEvent;
}
