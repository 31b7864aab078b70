import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestMachine, type TestMachine } from './test-machine.ts';

/** Milliseconds from the first event of type `from` to the first later one of type `to`. */
function gap(events: HistoryEvent[], from: string, to: string): number {
  const start = events.findIndex((event) => event.type === from);
  const end = events.findIndex((event, index) => index > start && event.type === to);
  const at = (index: number) => events[index]?.timestamp?.getTime() ?? Number.NaN;
  return at(end) - at(start);
}

describe('local timing overrides', () => {
  let machine: TestMachine | undefined;
  afterEach(async () => {
    await machine?.close();
  });

  it('makes every Wait state last waitMs instead of its Seconds (3600 in the definition)', async () => {
    // Prepare
    machine = await startTestMachine({ waitMs: 150 });

    // Act
    const executionArn = await machine.start('short-wait');
    const described = await machine.finished(executionArn);

    // Assess
    expect(described.status).toBe('SUCCEEDED');
    const waited = gap(await machine.history(executionArn), 'WaitStateEntered', 'WaitStateExited');
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(3000);
  });

  it('asks retryMs once per retrier, with the state name and the retrier ErrorEquals', async () => {
    // Prepare
    const asked: [string, readonly string[]][] = [];

    // Act
    machine = await startTestMachine({
      retryMs: (state, errors) => {
        asked.push([state, errors]);
        return 1;
      },
    });

    // Assess
    expect(asked).toEqual([
      ['Greet', ['Flaky']],
      ['Greet', ['Lambda.TooManyRequestsException']],
    ]);
  });

  it.each([
    { label: 'the Flaky retrier', behaviour: 'flaky' as const, error: 'Flaky', pause: 300 },
    {
      label: 'the Lambda throttling retrier',
      behaviour: 'busy' as const,
      error: 'Lambda.TooManyRequestsException',
      pause: 1,
    },
  ])('pauses $label for the milliseconds retryMs gave it', async ({ behaviour, error, pause }) => {
    // Prepare
    machine = await startTestMachine({
      retryMs: (_state, errors) => (errors.includes('Flaky') ? 300 : 1),
    });

    // Act
    const executionArn = await machine.start(`retry-${behaviour}`, { behaviour });
    const described = await machine.finished(executionArn);

    // Assess
    expect(described.status).toBe('SUCCEEDED');
    const events = await machine.history(executionArn);
    const failed = events.find((event) => event.type === 'LambdaFunctionFailed');
    expect(failed?.lambdaFunctionFailedEventDetails?.error).toBe(error);
    const paused = gap(events, 'LambdaFunctionFailed', 'LambdaFunctionScheduled');
    expect(paused).toBeGreaterThanOrEqual(pause - 10);
    expect(paused).toBeLessThan(pause + 250);
  });
});
