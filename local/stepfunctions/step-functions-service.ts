import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunOptions, StateMachine } from 'aws-local-stepfunctions';
import { executionArnFor } from '../../core/execution-name.ts';
import {
  AwsServiceError,
  type JsonObject,
  type JsonService,
} from '../control-plane/service-types.ts';
import { type StateMachineDefinition, statesOfType } from './definition.ts';
import { type InterpreterEvent, toHistoryEvents } from './execution-history.ts';
import { describeExecution, type ExecutionRecord } from './execution-record.ts';
import { LOCAL_ACCOUNT_ID } from './local-lambda.ts';

export interface LocalStepFunctionsOptions {
  readonly stateDir: string;
  readonly region: string;
  readonly stateMachineName: string;
  readonly definition: StateMachineDefinition;
  /** Task resource ARN -> the function that runs it (local Lambdas). */
  readonly taskHandlers: ReadonlyMap<string, (input: unknown) => Promise<unknown>>;
  /** Every Wait state lasts this long locally, instead of its Seconds. */
  readonly waitMs?: number;
  /** The local pause of a Retry: by state and retrier, instead of IntervalSeconds and backoff. */
  readonly retryMs?: (stateName: string, errors: readonly string[]) => number;
  /** Called when an execution starts and when it ends, as EventBridge's status events are. */
  readonly onStatusChange?: (execution: ExecutionRecord) => void | Promise<void>;
}

type Overrides = NonNullable<RunOptions['overrides']>;
type LocalTaskHandler = NonNullable<Overrides['taskResourceLocalHandlers']>[string];

// Step Functions' rule for execution names: 1-80 characters, none of these, no control codes.
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
const hasControlCharacter = (text: string) =>
  [...text].some(
    (c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f),
  );
const MAX_INPUT_BYTES = 256 * 1024;

/**
 * A Step Functions endpoint for one Standard state machine, run by aws-local-stepfunctions:
 * StartExecution, DescribeExecution, ListExecutions, GetExecutionHistory, StopExecution,
 * DescribeStateMachine and ListStateMachines, over the same JSON protocol the SDK speaks.
 */
export class LocalStepFunctions {
  readonly stateMachineArn: string;
  readonly service: JsonService;
  readonly #options: LocalStepFunctionsOptions;
  readonly #machine: StateMachine;
  readonly #executions = new Map<string, ExecutionRecord>();
  readonly #running = new Map<string, { abort: () => void; done: Promise<void> }>();
  readonly #roleArn: string;

  constructor(options: LocalStepFunctionsOptions) {
    this.#options = options;
    this.stateMachineArn = `arn:aws:states:${options.region}:${LOCAL_ACCOUNT_ID}:stateMachine:${options.stateMachineName}`;
    this.#roleArn = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${options.stateMachineName}`;
    this.#machine = new StateMachine(options.definition as never, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
    this.service = {
      protocol: 'json',
      targetPrefix: 'AWSStepFunctions',
      operations: {
        StartExecution: async (input) => this.#startExecution(input),
        DescribeExecution: async (input) => describeExecution(this.#find(input['executionArn'])),
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
    return this.#find(this.#startExecution({ name, input: JSON.stringify(input) })['executionArn']);
  }

  /** Resolves when the execution has ended, with its final record. */
  async waitFor(executionArn: string): Promise<ExecutionRecord> {
    await this.#running.get(executionArn)?.done;
    return this.#find(executionArn);
  }

  executions(): ExecutionRecord[] {
    return [...this.#executions.values()].sort((a, b) => b.startDate - a.startDate);
  }

  /** Aborts every running execution (the stack is shutting down). */
  async stopAll(): Promise<void> {
    const running = [...this.#running.values()];
    for (const run of running) run.abort();
    await Promise.allSettled(running.map((run) => run.done));
  }

  #startExecution(input: JsonObject): JsonObject {
    const name = String(input['name'] ?? crypto.randomUUID());
    const text = String(input['input'] ?? '{}');
    if (
      name.length === 0 ||
      name.length > 80 ||
      INVALID_NAME.test(name) ||
      hasControlCharacter(name)
    ) {
      throw new AwsServiceError('InvalidName', `Invalid Name: '${name}'`);
    }
    if (Buffer.byteLength(text) > MAX_INPUT_BYTES) {
      throw new AwsServiceError('InvalidExecutionInput', 'Execution input is over 256 KB');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AwsServiceError('InvalidExecutionInput', 'Invalid execution input: not JSON');
    }
    const executionArn = this.#executionArn(name);
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
    this.#run(record, parsed);
    return { executionArn, startDate: record.startDate / 1000 };
  }

  #run(record: ExecutionRecord, input: unknown): void {
    const run = this.#machine.run(input as never, {
      overrides: this.#overrides(),
      context: {
        Execution: {
          Id: record.executionArn,
          Name: record.name,
          RoleArn: this.#roleArn,
          StartTime: new Date(record.startDate).toISOString(),
        },
        StateMachine: { Id: this.stateMachineArn, Name: this.#options.stateMachineName },
      },
    });
    const collectHistory = (async () => {
      for await (const event of run.eventLogs) {
        for (const draft of toHistoryEvents(event as InterpreterEvent, this.#roleArn)) {
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
      (error: Error) => this.#fail(record, error),
    );
    const finished = (async () => {
      await this.#notify(record);
      await done;
      record.stopDate = Date.now();
      await collectHistory.catch(() => undefined);
      this.#running.delete(record.executionArn);
      await this.#persist(record);
      await this.#notify(record);
    })();
    this.#running.set(record.executionArn, { abort: run.abort, done: finished });
  }

  #fail(record: ExecutionRecord, error: Error): void {
    if (error.name === 'ExecutionAbortedError') {
      record.status = 'ABORTED';
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
    const { history, ...summary } = record;
    await writeFile(
      join(dir, `${record.name}.json`),
      `${JSON.stringify({ ...summary, history }, null, 2)}\n`,
    );
  }

  #overrides(): Overrides {
    const taskResourceLocalHandlers: Record<string, LocalTaskHandler> = {};
    for (const [name, state] of statesOfType(this.#options.definition, 'Task')) {
      const handler = this.#options.taskHandlers.get(String(state['Resource']));
      if (handler === undefined) {
        throw new Error(
          `State ${name}: no local function for resource ${String(state['Resource'])}`,
        );
      }
      taskResourceLocalHandlers[name] = handler as unknown as LocalTaskHandler;
    }
    const waitTimeOverrides: Record<string, number> = {};
    if (this.#options.waitMs !== undefined) {
      for (const [name] of statesOfType(this.#options.definition, 'Wait')) {
        waitTimeOverrides[name] = this.#options.waitMs;
      }
    }
    const retryIntervalOverrides: Record<string, number[]> = {};
    const retryMs = this.#options.retryMs;
    if (retryMs !== undefined) {
      for (const [name, state] of statesOfType(this.#options.definition, 'Task')) {
        const retriers = (state['Retry'] ?? []) as { ErrorEquals: string[] }[];
        retryIntervalOverrides[name] = retriers.map((retrier) =>
          retryMs(name, retrier.ErrorEquals),
        );
      }
    }
    return { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides };
  }

  #executionArn(name: string): string {
    return executionArnFor(this.stateMachineArn, name);
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

  #listExecutions(input: JsonObject): JsonObject {
    if (input['stateMachineArn'] !== this.stateMachineArn) {
      throw new AwsServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${String(input['stateMachineArn'])}'`,
      );
    }
    const filter = input['statusFilter'];
    const matching = this.executions().filter((e) => filter === undefined || e.status === filter);
    const { page, nextToken } = paginate(matching, input, 100);
    return {
      executions: page.map((e) => {
        const {
          input: _input,
          output: _output,
          error: _error,
          cause: _cause,
          ...listed
        } = describeExecution(e);
        return listed;
      }),
      ...(nextToken === undefined ? {} : { nextToken }),
    };
  }

  #history(input: JsonObject): JsonObject {
    const record = this.#find(input['executionArn']);
    const events = input['reverseOrder'] === true ? [...record.history].reverse() : record.history;
    const { page, nextToken } = paginate(events, input, 100);
    return {
      events: page.map((e) => ({ ...e, timestamp: e.timestamp / 1000 })),
      ...(nextToken === undefined ? {} : { nextToken }),
    };
  }

  #stop(input: JsonObject): JsonObject {
    const record = this.#find(input['executionArn']);
    this.#running.get(record.executionArn)?.abort();
    return { stopDate: Date.now() / 1000 };
  }

  #describeStateMachine(input: JsonObject): JsonObject {
    if (input['stateMachineArn'] !== this.stateMachineArn) {
      throw new AwsServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${String(input['stateMachineArn'])}'`,
      );
    }
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

/** maxResults / nextToken paging as the SDK expects (an opaque token; here, an offset). */
function paginate<T>(items: readonly T[], input: JsonObject, defaultSize: number) {
  const size = Math.min(1000, Number(input['maxResults'] ?? 0) || defaultSize);
  const start =
    input['nextToken'] === undefined ? 0 : Number.parseInt(String(input['nextToken']), 10);
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? String(start + size) : undefined;
  return { page, nextToken: next };
}
