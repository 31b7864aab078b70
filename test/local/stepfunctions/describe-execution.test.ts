import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputOf, rejection, startTestMachine, type TestMachine } from './test-machine.ts';

describe('DescribeExecution', () => {
  let machine: TestMachine;
  beforeAll(async () => {
    machine = await startTestMachine();
  });
  afterAll(async () => {
    await machine.close();
  });

  const describeExecution = (executionArn: string) =>
    machine.sfn.send(new DescribeExecutionCommand({ executionArn }));
  const greetCallOf = (name: string) =>
    machine.greetCalls.find(
      (call) => (call['execution'] as { name: string } | undefined)?.name === name,
    );

  it('describes a running execution without stop date, output or error', async () => {
    // Prepare
    const executionArn = await machine.start('still-running', { behaviour: 'hang' });

    // Act
    const described = await describeExecution(executionArn);

    // Assess
    expect(described).toMatchObject({ status: 'RUNNING', name: 'still-running' });
    expect(described.stopDate).toBeUndefined();
    expect(described.output).toBeUndefined();
    expect(described.error).toBeUndefined();
    machine.release();
  });

  it('describes a succeeded execution: its input as given, its output, its dates', async () => {
    // Prepare
    const input = `{ "who": "Ada",\n  "behaviour": "ok", "mode": "done", "size": "small" }`;
    const started = await machine.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machine.stateMachineArn,
        name: 'greets-ada',
        input,
      }),
    );
    await machine.stepFunctions.waitFor(started.executionArn ?? '');

    // Act
    const described = await describeExecution(started.executionArn ?? '');

    // Assess
    expect(described).toMatchObject({
      executionArn: started.executionArn,
      stateMachineArn: machine.stateMachineArn,
      name: 'greets-ada',
      status: 'SUCCEEDED',
      input,
    });
    expect(JSON.parse(described.output ?? '')).toMatchObject({ message: 'hello Ada', attempt: 1 });
    expect(described.startDate?.getTime()).toBe(started.startDate?.getTime());
    expect(described.stopDate?.getTime()).toBeGreaterThanOrEqual(
      described.startDate?.getTime() ?? Number.POSITIVE_INFINITY,
    );
    expect(described.error).toBeUndefined();
  });

  it('takes a Fail state error and cause from its ErrorPath and CausePath', async () => {
    // Prepare
    const executionArn = await machine.start('rejected', {
      mode: 'reject',
      reason: { error: 'Rejected.ByPolicy', cause: 'the policy says no' },
    });

    // Act
    const described = await machine.finished(executionArn);

    // Assess
    expect(described).toMatchObject({
      status: 'FAILED',
      error: 'Rejected.ByPolicy',
      cause: 'the policy says no',
    });
    expect(described.output).toBeUndefined();
  });

  it('ends with a thrown error, named after it, its cause the Lambda runtime error JSON', async () => {
    // Prepare
    const executionArn = await machine.start('breaks', { behaviour: 'throw' });

    // Act
    const described = await machine.finished(executionArn);

    // Assess
    const thrown = machine.thrown.find((error) => error.message === 'the greeter broke');
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('Boom');
    expect(JSON.parse(described.cause ?? '')).toEqual({
      errorType: 'Boom',
      errorMessage: 'the greeter broke',
      trace: thrown?.stack?.split('\n'),
    });
  });

  it('hands a caught error, Lambda-shaped, to the Fail state that reads it', async () => {
    // Prepare
    const executionArn = await machine.start('refused', { behaviour: 'refuse' });

    // Act
    const described = await machine.finished(executionArn);

    // Assess
    expect(described).toMatchObject({ status: 'FAILED', error: 'Refused' });
    expect(JSON.parse(described.cause ?? '')).toMatchObject({
      errorType: 'Refused',
      errorMessage: 'not today',
    });
  });

  it('gives a Task the execution id, name and start time through Parameters ($$)', async () => {
    // Prepare
    const executionArn = await machine.start('with-context');

    // Act
    const described = await machine.finished(executionArn);

    // Assess
    const context = greetCallOf('with-context')?.['execution'] as Record<string, string>;
    expect(context['id']).toBe(executionArn);
    expect(context['name']).toBe('with-context');
    // Limitation (see the spec): the interpreter reads its own clock for StartTime.
    const startTime = Date.parse(context['startTime'] ?? '');
    expect(Math.abs(startTime - (described.startDate?.getTime() ?? 0))).toBeLessThanOrEqual(5);
  });

  it('ends a state over 256 KiB with States.DataLimitExceeded, which States.ALL does not catch', async () => {
    // Prepare
    const executionArn = await machine.start('too-big', { mode: 'inflate', size: 'huge' });

    // Act
    const described = await machine.finished(executionArn);

    // Assess
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('States.DataLimitExceeded');
    expect(described.cause).toContain('exceeding the maximum number of bytes service limit');
  });

  it('lets the same States.ALL catch any other error of that state', async () => {
    // Prepare
    const executionArn = await machine.start('caught-all', { mode: 'inflate', size: 'boom' });

    // Act
    const described = await machine.finished(executionArn);

    // Assess
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? '')).toMatchObject({ failure: { Error: 'Boom' } });
  });

  it('writes each ended execution, with its history, to <stateDir>/executions/<name>.json', async () => {
    // Prepare
    const executionArn = await machine.start('persisted');
    await machine.finished(executionArn);

    // Act
    const file = join(machine.stateDir, 'executions', 'persisted.json');
    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;

    // Assess
    expect(saved).toMatchObject({ executionArn, name: 'persisted', status: 'SUCCEEDED' });
    expect((saved['history'] as { type: string }[]).at(-1)?.type).toBe('ExecutionSucceeded');
  });

  it.each([
    {
      label: 'an unknown execution',
      arn: 'arn:aws:states:us-east-1:000000000000:execution:signet-test:nobody',
      code: 'ExecutionDoesNotExist',
    },
    { label: 'a malformed ARN', arn: 'execution/nobody', code: 'InvalidArn' },
  ])('answers $label with $code', async ({ arn, code }) => {
    // Act
    const error = await rejection(describeExecution(arn));

    // Assess
    expect(error.name).toBe(code);
  });

  it('carries quoted text intact through the input, Parameters and the output', async () => {
    // Prepare
    const executionArn = await machine.start('who-is-it', { who: 'Grace "amazing" Hopper' });

    // Act
    const described = await machine.finished(executionArn);

    // Assess
    expect(JSON.parse(described.input ?? '')).toEqual(inputOf({ who: 'Grace "amazing" Hopper' }));
    expect(JSON.parse(described.output ?? '')).toMatchObject({
      message: 'hello Grace "amazing" Hopper',
    });
  });
});
