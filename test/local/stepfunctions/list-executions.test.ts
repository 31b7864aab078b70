import {
  type ExecutionListItem,
  ListExecutionsCommand,
  type ListExecutionsCommandInput,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejection, startTestMachine, type TestMachine } from './test-machine.ts';

describe('ListExecutions', () => {
  let machine: TestMachine;
  beforeEach(async () => {
    machine = await startTestMachine();
  });
  afterEach(async () => {
    await machine.close();
  });

  const list = (input: Partial<ListExecutionsCommandInput> = {}) =>
    machine.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn, ...input }),
    );
  const runAll = async (names: readonly string[]) => {
    for (const name of names) await machine.finished(await machine.start(name));
  };
  const names = (items: ExecutionListItem[] | undefined) => (items ?? []).map((e) => e.name);

  it('lists executions newest first', async () => {
    // Prepare
    await runAll(['one', 'two', 'three']);

    // Act
    const listed = await list();

    // Assess
    expect(names(listed.executions)).toEqual(['three', 'two', 'one']);
    expect(listed.nextToken).toBeUndefined();
  });

  it('lists only the fields of ExecutionListItem, no input, output or error', async () => {
    // Prepare
    const executionArn = await machine.start('plain', { behaviour: 'throw' });
    await machine.finished(executionArn);

    // Act
    const listed = await list();

    // Assess
    const [item] = listed.executions ?? [];
    expect(Object.keys(item ?? {}).sort()).toEqual([
      'executionArn',
      'name',
      'startDate',
      'stateMachineArn',
      'status',
      'stopDate',
    ]);
    expect(item).toMatchObject({ executionArn, name: 'plain', status: 'FAILED' });
  });

  it.each([
    { status: 'SUCCEEDED' as const, expected: ['fine'] },
    { status: 'FAILED' as const, expected: ['broken'] },
    { status: 'RUNNING' as const, expected: ['waiting'] },
    { status: 'ABORTED' as const, expected: [] },
  ])('keeps only $status executions with statusFilter', async ({ status, expected }) => {
    // Prepare
    await machine.finished(await machine.start('fine'));
    await machine.finished(await machine.start('broken', { behaviour: 'throw' }));
    await machine.start('waiting', { behaviour: 'hang' });

    // Act
    const listed = await list({ statusFilter: status });

    // Assess
    expect(names(listed.executions)).toEqual(expected);
  });

  it('pages with maxResults and nextToken until the last page, which has no token', async () => {
    // Prepare
    await runAll(['e1', 'e2', 'e3', 'e4', 'e5']);

    // Act
    const pages: (string | undefined)[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await list({ maxResults: 2, ...(nextToken ? { nextToken } : {}) });
      pages.push(names(page.executions));
      nextToken = page.nextToken;
    } while (nextToken !== undefined && pages.length < 10);

    // Assess
    expect(pages).toEqual([['e5', 'e4'], ['e3', 'e2'], ['e1']]);
  });

  it('treats maxResults 0 as the default page of 100', async () => {
    // Prepare
    await runAll(['only']);

    // Act
    const listed = await list({ maxResults: 0 });

    // Assess
    expect(names(listed.executions)).toEqual(['only']);
  });

  it.each([
    {
      label: 'an unknown state machine',
      input: { stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:gone' },
      code: 'StateMachineDoesNotExist',
    },
    { label: 'a malformed ARN', input: { stateMachineArn: 'gone' }, code: 'InvalidArn' },
    { label: 'a forged nextToken', input: { nextToken: 'bm90LWEtdG9rZW4=' }, code: 'InvalidToken' },
    { label: 'maxResults over 1000', input: { maxResults: 1001 }, code: 'ValidationException' },
    {
      label: 'an unknown statusFilter',
      input: { statusFilter: 'DONE' as never },
      code: 'ValidationException',
    },
  ])('answers $label with $code', async ({ input, code }) => {
    // Act
    const error = await rejection(list(input));

    // Assess
    expect(error.name).toBe(code);
  });
});
