/**
 * Turns the local interpreter's event log into AWS execution-history events, named and shaped
 * as GetExecutionHistory returns them, so a local trace and a cloud trace read alike.
 */

export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

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

type Draft = { type: string; timestamp: number; [details: string]: unknown };

export function toHistoryEvents(event: InterpreterEvent, roleArn: string): Draft[] {
  const at = event.timestamp;
  const state = event.state;
  switch (event.type) {
    case 'ExecutionStarted':
      return [
        {
          type: 'ExecutionStarted',
          timestamp: at,
          executionStartedEventDetails: { input: json(event.input), roleArn },
        },
      ];
    case 'ExecutionSucceeded':
      return [
        {
          type: 'ExecutionSucceeded',
          timestamp: at,
          executionSucceededEventDetails: { output: json(event.output) },
        },
      ];
    case 'ExecutionFailed':
      return [
        {
          type: 'ExecutionFailed',
          timestamp: at,
          executionFailedEventDetails: { error: event.Error, cause: text(event.Cause) },
        },
      ];
    case 'ExecutionAborted':
      return [{ type: 'ExecutionAborted', timestamp: at, executionAbortedEventDetails: {} }];
    case 'ExecutionTimeout':
      return [{ type: 'ExecutionTimedOut', timestamp: at, executionTimedOutEventDetails: {} }];
    case 'StateEntered': {
      if (state === undefined) return [];
      const entered: Draft = {
        type: `${state.type}StateEntered`,
        timestamp: at,
        stateEnteredEventDetails: { name: state.name, input: json(state.input) },
      };
      return state.type === 'Task' ? [entered, ...lambdaScheduled(at)] : [entered];
    }
    case 'StateExited': {
      if (state === undefined) return [];
      const exited: Draft = {
        type: `${state.type}StateExited`,
        timestamp: at,
        stateExitedEventDetails: { name: state.name, output: json(state.output) },
      };
      if (state.type !== 'Task') return [exited];
      const succeeded = {
        type: 'LambdaFunctionSucceeded',
        timestamp: at,
        lambdaFunctionSucceededEventDetails: { output: json(state.output) },
      };
      return [succeeded, exited];
    }
    case 'StateFailed':
      return state?.type === 'Task'
        ? [
            {
              type: 'LambdaFunctionFailed',
              timestamp: at,
              lambdaFunctionFailedEventDetails: { error: event.Error, cause: text(event.Cause) },
            },
          ]
        : [];
    case 'StateRetried':
      // AWS shows a retry as the function being scheduled again.
      return lambdaScheduled(at);
    default:
      return [];
  }
}

function lambdaScheduled(at: number): Draft[] {
  return [
    { type: 'LambdaFunctionScheduled', timestamp: at, lambdaFunctionScheduledEventDetails: {} },
    { type: 'LambdaFunctionStarted', timestamp: at },
  ];
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}
