import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { LambdaFunctionSpec } from '../../../functions/manifest.ts';
import { startControlPlane } from '../../../local/control-plane/server.ts';
import type { StateMachineDefinition } from '../../../local/stepfunctions/definition.ts';
import type { ExecutionRecord } from '../../../local/stepfunctions/execution-record.ts';
import { invokeLikeLambda, localFunctionArn } from '../../../local/stepfunctions/local-lambda.ts';
import {
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
} from '../../../local/stepfunctions/step-functions-service.ts';

/**
 * A small state machine of its own for the local Step Functions tests: one Task per kind of
 * behaviour, a Wait, a Choice, two Fail states (ErrorPath / CausePath) and a Succeed, served by
 * the control plane to a real SFNClient. No other part of the local stack is started.
 */

export const GREET_ARN = localFunctionArn('test-greet');
export const INFLATE_ARN = localFunctionArn('test-inflate');
export const REGION = 'us-east-1';

export const TEST_DEFINITION: StateMachineDefinition = {
  StartAt: 'Greet',
  States: {
    Greet: {
      Type: 'Task',
      Resource: GREET_ARN,
      Parameters: {
        'who.$': '$.who',
        'behaviour.$': '$.behaviour',
        execution: {
          'id.$': '$$.Execution.Id',
          'name.$': '$$.Execution.Name',
          'startTime.$': '$$.Execution.StartTime',
        },
      },
      ResultPath: '$.greeting',
      TimeoutSeconds: 30,
      Retry: [
        { ErrorEquals: ['Flaky'], IntervalSeconds: 3600, MaxAttempts: 2 },
        { ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 3600 },
      ],
      Catch: [{ ErrorEquals: ['Refused'], ResultPath: '$.failure', Next: 'Refused' }],
      Next: 'Pause',
    },
    Pause: { Type: 'Wait', Seconds: 3600, Next: 'Route' },
    Route: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.mode', StringEquals: 'reject', Next: 'Rejected' },
        { Variable: '$.mode', StringEquals: 'inflate', Next: 'Inflate' },
      ],
      Default: 'Done',
    },
    Inflate: {
      Type: 'Task',
      Resource: INFLATE_ARN,
      Parameters: { 'size.$': '$.size' },
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'CaughtAll' }],
      Next: 'Done',
    },
    CaughtAll: { Type: 'Succeed' },
    Done: { Type: 'Succeed', OutputPath: '$.greeting' },
    Refused: { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' },
    Rejected: { Type: 'Fail', ErrorPath: '$.reason.error', CausePath: '$.reason.cause' },
  },
};

export type Behaviour = 'ok' | 'throw' | 'refuse' | 'flaky' | 'busy' | 'hang';

export interface TestInput {
  readonly who?: string;
  readonly behaviour?: Behaviour;
  readonly mode?: 'done' | 'reject' | 'inflate';
  readonly size?: 'small' | 'huge' | 'boom';
  readonly [other: string]: unknown;
}

export interface TestMachine {
  readonly sfn: SFNClient;
  readonly stepFunctions: LocalStepFunctions;
  readonly stateMachineArn: string;
  readonly stateDir: string;
  /** The status of each onStatusChange call, with the execution's name. */
  readonly statusChanges: { name: string; status: string }[];
  /** Every input Greet was called with (after Parameters). */
  readonly greetCalls: Record<string, unknown>[];
  /** The errors Greet threw, last one last. */
  readonly thrown: Error[];
  /** Starts an execution through the SDK; `input` is filled with defaults. */
  start(name: string, input?: TestInput): Promise<string>;
  /** Waits for the execution to end, then describes it through the SDK. */
  finished(executionArn: string): Promise<DescribeExecutionCommandOutput>;
  /** The whole history, oldest first, through the SDK. */
  history(executionArn: string): Promise<HistoryEvent[]>;
  /** Lets every `hang` call return. */
  release(): void;
  close(): Promise<void>;
}

/** The input with defaults for every field the definition reads. */
export function inputOf(input: TestInput = {}): Record<string, unknown> {
  return { who: 'world', behaviour: 'ok', mode: 'done', size: 'small', ...input };
}

class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

const spec = (id: string): LambdaFunctionSpec => ({
  id,
  arnSubstitution: null,
  description: 'test function',
  timeoutSeconds: 30,
  memoryMb: 128,
});

export async function startTestMachine(
  options: Partial<Pick<LocalStepFunctionsOptions, 'waitMs' | 'retryMs' | 'onStatusChange'>> = {},
): Promise<TestMachine> {
  const stateDir = await mkdtemp(join(tmpdir(), 'signet-sfn-'));
  const statusChanges: { name: string; status: string }[] = [];
  const greetCalls: Record<string, unknown>[] = [];
  const thrown: Error[] = [];
  const attempts = new Map<string, number>();
  const gates = new Set<() => void>();
  const fail = (error: Error): never => {
    thrown.push(error);
    throw error;
  };

  const greet = async (event: unknown) => {
    const input = event as { who: string; behaviour: Behaviour; execution: { name: string } };
    greetCalls.push(input as unknown as Record<string, unknown>);
    const attempt = (attempts.get(input.execution.name) ?? 0) + 1;
    attempts.set(input.execution.name, attempt);
    if (input.behaviour === 'throw') fail(new NamedError('Boom', 'the greeter broke'));
    if (input.behaviour === 'refuse') fail(new NamedError('Refused', 'not today'));
    if (input.behaviour === 'flaky' && attempt === 1) fail(new NamedError('Flaky', 'try again'));
    if (input.behaviour === 'busy' && attempt === 1) {
      fail(new NamedError('Lambda.TooManyRequestsException', 'Rate exceeded'));
    }
    if (input.behaviour === 'hang') await new Promise<void>((resolve) => gates.add(resolve));
    return { message: `hello ${input.who}`, execution: input.execution, attempt };
  };
  const inflate = async (event: unknown) => {
    const { size } = event as { size: string };
    if (size === 'boom') throw new NamedError('Boom', 'the inflater broke');
    return size === 'huge' ? { padding: 'x'.repeat(300 * 1024) } : { inflated: true };
  };

  const stepFunctions = new LocalStepFunctions({
    stateDir,
    region: REGION,
    stateMachineName: 'signet-test',
    definition: TEST_DEFINITION,
    taskHandlers: new Map([
      [GREET_ARN, invokeLikeLambda(spec('test-greet'), greet)],
      [INFLATE_ARN, invokeLikeLambda(spec('test-inflate'), inflate)],
    ]),
    waitMs: options.waitMs ?? 1,
    retryMs: options.retryMs ?? (() => 1),
    onStatusChange: async (execution: ExecutionRecord) => {
      statusChanges.push({ name: execution.name, status: execution.status });
      await options.onStatusChange?.(execution);
    },
  });
  const plane = await startControlPlane({ services: [stepFunctions.service] });
  const sfn = new SFNClient({
    endpoint: plane.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
  const release = () => {
    for (const open of gates) open();
    gates.clear();
  };

  return {
    sfn,
    stepFunctions,
    stateMachineArn: stepFunctions.stateMachineArn,
    stateDir,
    statusChanges,
    greetCalls,
    thrown,
    async start(name, input) {
      const started = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: stepFunctions.stateMachineArn,
          name,
          input: JSON.stringify(inputOf(input)),
        }),
      );
      return started.executionArn ?? '';
    },
    async finished(executionArn) {
      await stepFunctions.waitFor(executionArn);
      return sfn.send(new DescribeExecutionCommand({ executionArn }));
    },
    async history(executionArn) {
      const page = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }),
      );
      return page.events ?? [];
    },
    release,
    async close() {
      release();
      await stepFunctions.stopAll();
      sfn.destroy();
      await plane.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** The error a promise rejects with, for asserting on AWS error names. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}
