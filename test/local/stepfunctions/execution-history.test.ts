import {
  GetExecutionHistoryCommand,
  type GetExecutionHistoryCommandInput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GREET_ARN,
  inputOf,
  rejection,
  startTestMachine,
  type TestMachine,
} from './test-machine.ts';

const types = (events: HistoryEvent[]) => events.map((event) => event.type);
const LAMBDA_CALL = ['LambdaFunctionScheduled', 'LambdaFunctionStarted'];

describe('GetExecutionHistory', () => {
  let machine: TestMachine;
  beforeAll(async () => {
    machine = await startTestMachine();
  });
  afterAll(async () => {
    await machine.close();
  });

  const run = async (name: string, input: Parameters<TestMachine['start']>[1] = {}) => {
    const executionArn = await machine.start(name, input);
    await machine.finished(executionArn);
    return { executionArn, events: await machine.history(executionArn) };
  };
  const page = (input: GetExecutionHistoryCommandInput) =>
    machine.sfn.send(new GetExecutionHistoryCommand(input));

  it('names the events of a successful run as AWS does, in order', async () => {
    // Act
    const { events } = await run('history-ok');

    // Assess
    expect(types(events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      ...LAMBDA_CALL,
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('numbers events from 1, each pointing at the one before, in time order', async () => {
    // Act
    const { events } = await run('history-ids');

    // Assess
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    expect(events.map((event) => event.previousEventId)).toEqual(events.map((_, index) => index));
    const times = events.map((event) => event.timestamp?.getTime() ?? Number.NaN);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('gives the details AWS gives: input as started, Lambda resource, input and raw result', async () => {
    // Act
    const { executionArn, events } = await run('history-details', { who: 'Lin' });

    // Assess
    const find = (type: string) => events.find((event) => event.type === type);
    expect(find('ExecutionStarted')?.executionStartedEventDetails).toEqual({
      input: JSON.stringify(inputOf({ who: 'Lin' })),
      inputDetails: { truncated: false },
      roleArn: 'arn:aws:iam::000000000000:role/signet-test',
    });
    expect(find('TaskStateEntered')?.stateEnteredEventDetails).toMatchObject({ name: 'Greet' });
    const scheduled = find('LambdaFunctionScheduled')?.lambdaFunctionScheduledEventDetails;
    expect(scheduled).toMatchObject({ resource: GREET_ARN, timeoutInSeconds: 30 });
    expect(JSON.parse(scheduled?.input ?? '')).toEqual({
      who: 'Lin',
      behaviour: 'ok',
      execution: expect.objectContaining({ id: executionArn, name: 'history-details' }),
    });
    const result = JSON.parse(
      find('LambdaFunctionSucceeded')?.lambdaFunctionSucceededEventDetails?.output ?? '',
    );
    expect(result).toMatchObject({ message: 'hello Lin', attempt: 1 });
    const exited = JSON.parse(find('TaskStateExited')?.stateExitedEventDetails?.output ?? '');
    expect(exited).toEqual({ ...inputOf({ who: 'Lin' }), greeting: result });
    expect(
      JSON.parse(find('ExecutionSucceeded')?.executionSucceededEventDetails?.output ?? ''),
    ).toEqual(result);
  });

  it('shows a retry as a failed call followed by a new one in the same state', async () => {
    // Act
    const { events } = await run('history-retry', { behaviour: 'flaky' });

    // Assess
    expect(types(events).slice(0, 10)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      ...LAMBDA_CALL,
      'LambdaFunctionFailed',
      ...LAMBDA_CALL,
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'WaitStateEntered',
    ]);
    const failed = events.find((event) => event.type === 'LambdaFunctionFailed');
    expect(failed?.lambdaFunctionFailedEventDetails?.error).toBe('Flaky');
    expect(JSON.parse(failed?.lambdaFunctionFailedEventDetails?.cause ?? '')).toMatchObject({
      errorType: 'Flaky',
      errorMessage: 'try again',
    });
  });

  it('shows a caught error as a failed call and the state exiting, then the Fail state', async () => {
    // Act
    const { events } = await run('history-caught', { behaviour: 'refuse' });

    // Assess
    expect(types(events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      ...LAMBDA_CALL,
      'LambdaFunctionFailed',
      'TaskStateExited',
      'FailStateEntered',
      'ExecutionFailed',
    ]);
    expect(events.at(-1)?.executionFailedEventDetails).toMatchObject({ error: 'Refused' });
  });

  it('ends an uncaught error at the failed call, without leaving the state', async () => {
    // Act
    const { events } = await run('history-uncaught', { behaviour: 'throw' });

    // Assess
    expect(types(events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      ...LAMBDA_CALL,
      'LambdaFunctionFailed',
      'ExecutionFailed',
    ]);
  });

  it('lists the same events newest first with reverseOrder', async () => {
    // Prepare
    const { executionArn, events } = await run('history-reversed');

    // Act
    const reversed = await page({ executionArn, reverseOrder: true, maxResults: 1000 });

    // Assess
    expect(reversed.events?.map((event) => event.id)).toEqual(
      [...events].reverse().map((event) => event.id),
    );
  });

  it('pages with maxResults and nextToken', async () => {
    // Prepare
    const { executionArn, events } = await run('history-paged');

    // Act
    const first = await page({ executionArn, maxResults: 5 });
    const second = await page({ executionArn, maxResults: 5, nextToken: first.nextToken });
    const rest = await page({ executionArn, maxResults: 100, nextToken: second.nextToken });

    // Assess
    const ids = [first, second, rest].flatMap((p) => p.events?.map((event) => event.id));
    expect(ids).toEqual(events.map((event) => event.id));
    expect(rest.nextToken).toBeUndefined();
  });

  it('leaves input and output out with includeExecutionData false', async () => {
    // Prepare
    const { executionArn } = await run('history-no-data');

    // Act
    const answer = await page({ executionArn, includeExecutionData: false, maxResults: 1000 });

    // Assess
    const text = JSON.stringify(answer.events);
    expect(text).not.toContain('"input"');
    expect(text).not.toContain('"output"');
    expect(text).toContain(GREET_ARN);
  });

  it('answers an unknown execution with ExecutionDoesNotExist', async () => {
    // Act
    const error = await rejection(
      page({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:signet-test:no' }),
    );

    // Assess
    expect(error.name).toBe('ExecutionDoesNotExist');
  });
});
