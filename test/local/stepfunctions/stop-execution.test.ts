import { StopExecutionCommand, type StopExecutionCommandInput } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection, startTestMachine, type TestMachine } from './test-machine.ts';

describe('StopExecution', () => {
  let machine: TestMachine;
  beforeAll(async () => {
    machine = await startTestMachine();
  });
  afterAll(async () => {
    await machine.close();
  });

  const stop = (input: StopExecutionCommandInput) =>
    machine.sfn.send(new StopExecutionCommand(input));
  const describeNow = (executionArn: string) => machine.finished(executionArn);

  it('aborts a running execution, keeping the error and cause it was given', async () => {
    // Prepare
    const executionArn = await machine.start('stopped', { behaviour: 'hang' });

    // Act
    const stopped = await stop({ executionArn, error: 'Operator.Stop', cause: 'wrong version' });

    // Assess
    const described = await describeNow(executionArn);
    expect(described).toMatchObject({
      status: 'ABORTED',
      error: 'Operator.Stop',
      cause: 'wrong version',
    });
    expect(described.stopDate?.getTime()).toBe(stopped.stopDate?.getTime());
    const events = await machine.history(executionArn);
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Operator.Stop', cause: 'wrong version' },
    });
    expect(machine.statusChanges.filter((change) => change.name === 'stopped')).toEqual([
      { name: 'stopped', status: 'RUNNING' },
      { name: 'stopped', status: 'ABORTED' },
    ]);
  });

  it('leaves error and cause out when StopExecution gave none', async () => {
    // Prepare
    const executionArn = await machine.start('stopped-quietly', { behaviour: 'hang' });

    // Act
    await stop({ executionArn });

    // Assess
    const described = await describeNow(executionArn);
    expect(described.status).toBe('ABORTED');
    expect(described).not.toHaveProperty('error');
    expect(described).not.toHaveProperty('cause');
    const events = await machine.history(executionArn);
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: {},
    });
  });

  it('leaves an execution that already ended as it was', async () => {
    // Prepare
    const executionArn = await machine.start('already-done');
    const before = await machine.finished(executionArn);

    // Act
    const stopped = await stop({ executionArn, error: 'Late' });

    // Assess
    const after = await describeNow(executionArn);
    expect(after.status).toBe('SUCCEEDED');
    expect(after.error).toBeUndefined();
    expect(stopped.stopDate?.getTime()).toBe(before.stopDate?.getTime());
  });

  it.each([
    {
      label: 'an unknown execution',
      arn: 'arn:aws:states:us-east-1:000000000000:execution:signet-test:ghost',
      code: 'ExecutionDoesNotExist',
    },
    { label: 'a malformed ARN', arn: 'ghost', code: 'InvalidArn' },
  ])('answers $label with $code', async ({ arn, code }) => {
    // Act
    const error = await rejection(stop({ executionArn: arn }));

    // Assess
    expect(error.name).toBe(code);
  });
});
