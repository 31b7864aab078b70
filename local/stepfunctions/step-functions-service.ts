import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunOptions, StateMachine } from 'aws-local-stepfunctions';
import { executionArnFor } from '../../core/execution-name.ts';
import { optionalBoolean, optionalString } from '../control-plane/input-fields.ts';
import {
  AwsServiceError,
  type JsonObject,
  type JsonService,
} from '../control-plane/service-types.ts';
import type { StateMachineDefinition } from './definition.ts';
import {
  ExecutionHistory,
  type InterpreterEvent,
  withoutExecutionData,
} from './execution-history.ts';
import { describeExecution, type ExecutionRecord, listExecutionItem } from './execution-record.ts';
import {
  executionArnField,
  executionInput,
  executionName,
  pageOf,
  stateMachineArnField,
  statusFilter,
} from './execution-requests.ts';
import { type TaskState, taskStates, timingOverrides } from './interpreter-options.ts';
import { LOCAL_ACCOUNT_ID } from './local-lambda.ts';

export interface LocalStepFunctionsOptions {
  readonly stateDir: string;
  readonly region: string;
  readonly stateMachineName: string;
  readonly definition: StateMachineDefinition;
  /** Task resource ARN -> the function that runs it (local Lambdas). */
  readonly taskHandlers: ReadonlyMap<string, (input: unknown) => Promise<unknown>>;
  /** Every Wait state lasts this long locally, instead of its Seconds. Default: as written. */
  readonly waitMs?: number;
  /** The local pause of a Retry: by state and retrier, instead of IntervalSeconds and backoff. */
  readonly retryMs?: (stateName: string, errors: readonly string[]) => number;
  /** Called when an execution starts and when it ends, as EventBridge's status events are. */
  readonly onStatusChange?: (execution: ExecutionRecord) => void | Promise<void>;
}

type Overrides = NonNullable<RunOptions['overrides']>;
type LocalTaskHandler = NonNullable<Overrides['taskResourceLocalHandlers']>[string];

interface RunningExecution {
  abort: () => void;
  done: Promise<void>;
  /** What StopExecution asked for; set just before the abort. */
  stopRequest?: { readonly error?: string; readonly cause?: string };
}

/**
 * A Step Functions endpoint for one Standard state machine, run by aws-local-stepfunctions:
 * StartExecution, DescribeExecution, ListExecutions, GetExecutionHistory, StopExecution,
 * DescribeStateMachine and ListStateMachines, over the same JSON protocol the SDK speaks.
 * Executions live in memory; each one that ends is also written to
 * `<stateDir>/executions/<name>.json`. The written spec is docs/local/STEP-FUNCTIONS.md.
 *
 * @example
 * const sfn = new LocalStepFunctions({ stateDir, region, stateMachineName, definition, taskHandlers });
 * const plane = await startControlPlane({ services: [sfn.service] });
 */
export class LocalStepFunctions {
  readonly stateMachineArn: string;
  readonly service: JsonService;
  readonly #options: LocalStepFunctionsOptions;
  readonly #machine: StateMachine;
  readonly #tasks: readonly TaskState[];
  readonly #timing: Omit<Overrides, 'taskResourceLocalHandlers'>;
  readonly #executions = new Map<string, ExecutionRecord>();
  readonly #running = new Map<string, RunningExecution>();
  readonly #roleArn: string;

  constructor(options: LocalStepFunctionsOptions) {
    this.#options = options;
    const { region, stateMachineName } = options;
    this.stateMachineArn = `arn:aws:states:${region}:${LOCAL_ACCOUNT_ID}:stateMachine:${stateMachineName}`;
    this.#roleArn = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${options.stateMachineName}`;
    this.#machine = interpreterFor(options.definition);
    this.#tasks = taskStates(options.definition, options.taskHandlers);
    this.#timing = timingOverrides(options.definition, options.waitMs, options.retryMs);
    this.service = {
      protocol: 'json',
      targetPrefix: 'AWSStepFunctions',
      operations: {
        StartExecution: async (input) => this.#startExecution(input),
        DescribeExecution: async (input) => describeExecution(this.#find(executionArnField(input))),
        ListExecutions: async (input) => this.#listExecutions(input),
        GetExecutionHistory: async (input) => this.#history(input),
        StopExecution: async (input) => this.#stop(input),
        DescribeStateMachine: async (input) => this.#describeStateMachine(input),
        ListStateMachines: async () => ({
          stateMachines: [
            {
              stateMachineArn: this.stateMachineArn,
              name: this.#options.stateMachineName,
              type: 'STANDARD',
              creationDate: 0,
            },
          ],
        }),
      },
    };
  }

  /** Starts an execution in process; the API path and the local stack both use this. */
  start(name: string, input: unknown): ExecutionRecord {
    const started = this.#startExecution({
      stateMachineArn: this.stateMachineArn,
      name,
      input: JSON.stringify(input),
    });
    return this.#find(started['executionArn']);
  }

  /** Resolves when the execution has ended, with its final record. */
  async waitFor(executionArn: string): Promise<ExecutionRecord> {
    await this.#running.get(executionArn)?.done;
    return this.#find(executionArn);
  }

  /** Every execution, newest first. */
  executions(): ExecutionRecord[] {
    // Insertion order is start order, exact even when two starts share a millisecond.
    return [...this.#executions.values()].reverse();
  }

  /** Aborts every running execution (the stack is shutting down). */
  async stopAll(): Promise<void> {
    const running = [...this.#running.values()];
    for (const run of running) run.abort();
    await Promise.allSettled(running.map((run) => run.done));
  }

  #startExecution(input: JsonObject): JsonObject {
    this.#checkStateMachine(stateMachineArnField(input));
    const name = executionName(input);
    const { text, value } = executionInput(input);
    const executionArn = executionArnFor(this.stateMachineArn, name);
    const existing = this.#executions.get(executionArn);
    if (existing !== undefined) {
      // Standard workflows: the same name and input while running is idempotent.
      if (existing.status === 'RUNNING' && existing.input === text) {
        return { executionArn, startDate: existing.startDate / 1000 };
      }
      throw new AwsServiceError(
        'ExecutionAlreadyExists',
        `Execution Already Exists: '${executionArn}'`,
      );
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: this.stateMachineArn,
      name,
      status: 'RUNNING',
      startDate: Date.now(),
      input: text,
      history: [],
    };
    this.#executions.set(executionArn, record);
    this.#run(record, value);
    return { executionArn, startDate: record.startDate / 1000 };
  }

  #run(record: ExecutionRecord, input: unknown): void {
    const execution: RunningExecution = { abort: () => undefined, done: Promise.resolve() };
    const history = new ExecutionHistory({
      roleArn: this.#roleArn,
      input: record.input,
      taskOf: (stateName) => {
        const task = this.#tasks.find((t) => t.name === stateName);
        return {
          resource: task?.resource ?? '',
          ...(task?.timeoutInSeconds === undefined
            ? {}
            : { timeoutInSeconds: task.timeoutInSeconds }),
        };
      },
      abortDetails: () => execution.stopRequest ?? {},
    });
    const taskResourceLocalHandlers: Record<string, LocalTaskHandler> = {};
    for (const task of this.#tasks) {
      taskResourceLocalHandlers[task.name] = history.track(
        task.name,
        task.run,
      ) as unknown as LocalTaskHandler;
    }
    const run = this.#machine.run(input as never, {
      overrides: { ...this.#timing, taskResourceLocalHandlers },
      // Limitation: the interpreter sets $$.Execution.StartTime from its own clock, read in the
      // same synchronous step as startDate; the two can differ by a millisecond.
      context: {
        Execution: { Id: record.executionArn, Name: record.name, RoleArn: this.#roleArn },
        StateMachine: { Id: this.stateMachineArn, Name: this.#options.stateMachineName },
      },
    });
    const collectHistory = (async () => {
      for await (const event of run.eventLogs) {
        for (const draft of history.map(event as InterpreterEvent)) {
          const id = record.history.length + 1;
          record.history.push({ ...draft, id, previousEventId: id - 1 });
        }
      }
    })();
    const done = run.result.then(
      (output: unknown) => {
        record.status = 'SUCCEEDED';
        record.output = JSON.stringify(output);
      },
      (error: Error) => this.#fail(record, error, execution.stopRequest),
    );
    const finished = (async () => {
      await this.#notify(record);
      await done;
      record.stopDate = Date.now();
      await collectHistory.catch(() => undefined);
      await this.#persist(record);
      await this.#notify(record);
      // Last, so waitFor returns only once the record is written and listeners were told.
      this.#running.delete(record.executionArn);
    })();
    execution.abort = run.abort;
    execution.done = finished;
    this.#running.set(record.executionArn, execution);
  }

  #fail(record: ExecutionRecord, error: Error, stop: RunningExecution['stopRequest']): void {
    if (error.name === 'ExecutionAbortedError') {
      record.status = 'ABORTED';
      if (stop?.error !== undefined) record.error = stop.error;
      if (stop?.cause !== undefined) record.cause = stop.cause;
      return;
    }
    if (error.name === 'ExecutionTimeoutError') {
      record.status = 'TIMED_OUT';
      record.error = 'States.Timeout';
      return;
    }
    const inner = (error.cause as Error | undefined) ?? error;
    record.status = 'FAILED';
    record.error = inner.name;
    record.cause = inner.message;
  }

  async #notify(record: ExecutionRecord): Promise<void> {
    try {
      await this.#options.onStatusChange?.(record);
    } catch {
      // A status listener's failure must not change the execution it observes.
    }
  }

  async #persist(record: ExecutionRecord): Promise<void> {
    const dir = join(this.#options.stateDir, 'executions');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${record.name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }

  #find(executionArn: unknown): ExecutionRecord {
    const record = this.#executions.get(String(executionArn));
    if (record === undefined) {
      throw new AwsServiceError(
        'ExecutionDoesNotExist',
        `Execution Does Not Exist: '${String(executionArn)}'`,
      );
    }
    return record;
  }

  #checkStateMachine(stateMachineArn: string): void {
    if (stateMachineArn !== this.stateMachineArn) {
      throw new AwsServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    }
  }

  #listExecutions(input: JsonObject): JsonObject {
    this.#checkStateMachine(stateMachineArnField(input));
    const status = statusFilter(input);
    const matching = this.executions().filter((e) => status === undefined || e.status === status);
    const { items, nextToken } = pageOf(matching, input);
    return {
      executions: items.map(listExecutionItem),
      ...(nextToken === undefined ? {} : { nextToken }),
    };
  }

  #history(input: JsonObject): JsonObject {
    const record = this.#find(executionArnField(input));
    const withData = optionalBoolean(input, 'includeExecutionData') ?? true;
    const ordered = optionalBoolean(input, 'reverseOrder')
      ? [...record.history].reverse()
      : record.history;
    const { items, nextToken } = pageOf(ordered, input);
    return {
      events: items.map((event) => ({
        ...(withData ? event : withoutExecutionData(event)),
        timestamp: event.timestamp / 1000,
      })),
      ...(nextToken === undefined ? {} : { nextToken }),
    };
  }

  async #stop(input: JsonObject): Promise<JsonObject> {
    const record = this.#find(executionArnField(input));
    const running = this.#running.get(record.executionArn);
    if (running !== undefined) {
      const error = optionalString(input, 'error');
      const cause = optionalString(input, 'cause');
      running.stopRequest = {
        ...(error === undefined ? {} : { error }),
        ...(cause === undefined ? {} : { cause }),
      };
      running.abort();
      // Answer once the execution is ABORTED, so a DescribeExecution right after agrees.
      await running.done;
    }
    return { stopDate: (record.stopDate ?? Date.now()) / 1000 };
  }

  #describeStateMachine(input: JsonObject): JsonObject {
    this.#checkStateMachine(stateMachineArnField(input));
    return {
      stateMachineArn: this.stateMachineArn,
      name: this.#options.stateMachineName,
      status: 'ACTIVE',
      definition: JSON.stringify(this.#options.definition),
      roleArn: this.#roleArn,
      type: 'STANDARD',
      creationDate: 0,
    };
  }
}

// The interpreter validates its definition with asl-validator, which compiles its JSON schemas
// anew on every call (about a second): each distinct definition is validated once a process.
const validDefinitions = new Set<string>();

function interpreterFor(definition: StateMachineDefinition): StateMachine {
  const text = JSON.stringify(definition);
  // A copy: the validator writes QueryLanguage into every state it checks.
  const machine = new StateMachine(JSON.parse(text), {
    validationOptions: { noValidate: validDefinitions.has(text), checkArn: true, checkPaths: true },
  });
  validDefinitions.add(text);
  return machine;
}
