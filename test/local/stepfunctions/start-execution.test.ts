import {
  ListExecutionsCommand,
  StartExecutionCommand,
  type StartExecutionCommandInput,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../../local/control-plane/service-types.ts';
import { inputOf, rejection, startTestMachine, type TestMachine } from './test-machine.ts';

const nameOf = (call: Record<string, unknown>) => (call['execution'] as { name: string }).name;

describe('StartExecution', () => {
  // One machine for the file (its definition is validated once); every test names its own
  // executions.
  let machine: TestMachine;
  beforeAll(async () => {
    machine = await startTestMachine();
  });
  afterAll(async () => {
    await machine.close();
  });

  const start = (input: Partial<StartExecutionCommandInput>) =>
    machine.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machine.stateMachineArn,
        input: JSON.stringify(inputOf()),
        ...input,
      }),
    );

  it('answers the execution ARN and start date, and runs the execution', async () => {
    // Act
    const before = Date.now();
    const started = await start({ name: 'first-run' });

    // Assess
    const expectedArn = `${machine.stateMachineArn.replace(':stateMachine:', ':execution:')}:first-run`;
    expect(started.executionArn).toBe(expectedArn);
    expect(started.startDate?.getTime()).toBeGreaterThanOrEqual(before);
    expect((await machine.finished(expectedArn)).status).toBe('SUCCEEDED');
  });

  it('names an execution started without a name with a UUID', async () => {
    // Act
    const started = await start({});

    // Assess
    expect(started.executionArn).toMatch(
      /:execution:signet-test:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it.each([
    { label: 'a space', name: 'has space' },
    { label: 'a tab', name: 'has\ttab' },
    { label: 'a newline', name: 'has\nnewline' },
    ...[...'<>{}[]?*"#%\\^|~`$&,;:/'].map((c) => ({ label: `'${c}'`, name: `bad${c}name` })),
    { label: 'a C0 control character', name: 'bell\u0007' },
    { label: 'DEL', name: 'del\u007f' },
    { label: 'a C1 control character', name: 'c1\u0085' },
  ])('refuses a name with $label as InvalidName', async ({ name }) => {
    // Act
    const error = await rejection(start({ name }));

    // Assess
    expect(error.name).toBe('InvalidName');
  });

  it.each([
    { label: 'an empty name', name: '' },
    { label: 'a name of 81 characters', name: 'n'.repeat(81) },
  ])('refuses $label as ValidationException, as the model constrains 1 to 80', async ({ name }) => {
    // Act
    const error = await rejection(start({ name }));

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain("at 'name' failed to satisfy constraint");
  });

  it.each([
    { label: 'one character', name: 'x' },
    { label: 'exactly 80 characters', name: 'n'.repeat(80) },
    { label: 'letters outside ASCII', name: 'déploiement-ü' },
    { label: 'dots, dashes and underscores', name: 'web-1.2.0_rc' },
  ])('accepts a name of $label', async ({ name }) => {
    // Act
    const started = await start({ name });

    // Assess
    expect(started.executionArn?.endsWith(`:${name}`)).toBe(true);
  });

  it('answers a second start with the same name and input, while running, as the first', async () => {
    // Prepare
    const input = JSON.stringify(inputOf({ behaviour: 'hang' }));
    const first = await start({ name: 'twice', input });

    // Act
    const second = await start({ name: 'twice', input });

    // Assess
    expect(second.executionArn).toBe(first.executionArn);
    expect(second.startDate?.getTime()).toBe(first.startDate?.getTime());
    const listed = await machine.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn }),
    );
    expect(listed.executions?.filter((e) => e.name === 'twice')).toHaveLength(1);
    expect(machine.greetCalls.filter((call) => nameOf(call) === 'twice')).toHaveLength(1);
  });

  it('refuses the same name with another input while running as ExecutionAlreadyExists', async () => {
    // Prepare
    await start({ name: 'taken', input: JSON.stringify(inputOf({ behaviour: 'hang' })) });

    // Act
    const error = await rejection(
      start({ name: 'taken', input: JSON.stringify(inputOf({ behaviour: 'hang', who: 'x' })) }),
    );

    // Assess
    expect(error.name).toBe('ExecutionAlreadyExists');
  });

  it('refuses the same name and input once the execution ended as ExecutionAlreadyExists', async () => {
    // Prepare
    const started = await start({ name: 'ended' });
    await machine.finished(started.executionArn ?? '');

    // Act
    const error = await rejection(start({ name: 'ended' }));

    // Assess
    expect(error.name).toBe('ExecutionAlreadyExists');
  });

  it.each([
    { label: 'text that is not JSON', input: '{"who": ' },
    { label: 'JSON over 256 KiB', input: JSON.stringify({ pad: 'a'.repeat(256 * 1024) }) },
    // 131,073 two-byte characters: under the limit in characters, over it in UTF-8 bytes.
    { label: 'over 256 KiB in UTF-8 only', input: JSON.stringify({ pad: 'é'.repeat(131_073) }) },
  ])('refuses $label as InvalidExecutionInput', async ({ input }) => {
    // Act
    const error = await rejection(start({ name: 'bad-input', input }));

    // Assess
    expect(error.name).toBe('InvalidExecutionInput');
  });

  it('accepts an input of exactly 256 KiB', async () => {
    // Prepare
    const base = JSON.stringify({ ...inputOf(), pad: '' });
    const input = JSON.stringify({ ...inputOf(), pad: 'a'.repeat(256 * 1024 - base.length) });

    // Act
    const started = await start({ name: 'at-the-limit', input });

    // Assess
    expect(Buffer.byteLength(input)).toBe(256 * 1024);
    expect((await machine.finished(started.executionArn ?? '')).status).toBe('SUCCEEDED');
  });

  it.each([
    {
      label: 'another state machine',
      arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:other',
      code: 'StateMachineDoesNotExist',
    },
    { label: 'a malformed ARN', arn: 'not-an-arn', code: 'InvalidArn' },
    {
      label: 'an execution ARN',
      arn: 'arn:aws:states:us-east-1:000000000000:execution:signet-test:x',
      code: 'InvalidArn',
    },
  ])('refuses $label as $code', async ({ arn, code }) => {
    // Act
    const error = await rejection(start({ stateMachineArn: arn, name: 'x' }));

    // Assess
    expect(error.name).toBe(code);
  });

  it('tells onStatusChange when the execution starts and when it ends', async () => {
    // Act
    const started = await start({ name: 'watched' });
    await machine.finished(started.executionArn ?? '');

    // Assess
    expect(machine.statusChanges.filter((change) => change.name === 'watched')).toEqual([
      { name: 'watched', status: 'RUNNING' },
      { name: 'watched', status: 'SUCCEEDED' },
    ]);
  });

  it('applies the same rules to executions started in process', () => {
    // Act
    const act = () => machine.stepFunctions.start('bad name', inputOf());

    // Assess
    expect(act).toThrow(AwsServiceError);
    expect(act).toThrow(/Invalid Name/);
  });
});

describe('StartExecution with a failing status listener', () => {
  it('runs the execution to its end all the same', async () => {
    // Prepare
    const machine = await startTestMachine({
      onStatusChange: () => {
        throw new Error('listener broke');
      },
    });

    try {
      // Act
      const executionArn = await machine.start('unheard');
      const described = await machine.finished(executionArn);

      // Assess
      expect(described.status).toBe('SUCCEEDED');
      expect(machine.statusChanges.map((change) => change.status)).toEqual([
        'RUNNING',
        'SUCCEEDED',
      ]);
    } finally {
      await machine.close();
    }
  });
});
