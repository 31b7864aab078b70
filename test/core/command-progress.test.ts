import { describe, expect, it } from 'vitest';
import {
  type InvocationReport,
  judgeCommand,
  nextWaitSeconds,
} from '../../core/command-progress.ts';

function report(
  instanceId: string,
  status: string,
  responseCode = -1,
  statusDetails = status,
): InvocationReport {
  return { instanceId, status, statusDetails, responseCode, output: `output of ${instanceId}` };
}

describe('judgeCommand', () => {
  const instances = ['i-a', 'i-b'];

  it('succeeds only when every instance reports Success with exit code 0', () => {
    const progress = judgeCommand(
      instances,
      [report('i-a', 'Success', 0), report('i-b', 'Success', 0)],
      false,
    );
    expect(progress).toEqual({ state: 'succeeded', total: 2 });
  });

  it('keeps running while any instance is pending, even when another has failed', () => {
    const progress = judgeCommand(
      instances,
      [report('i-a', 'Failed', 69), report('i-b', 'InProgress')],
      false,
    );
    expect(progress).toEqual({ state: 'running', finished: 1, total: 2 });
  });

  it('fails once everything finished, naming each failed instance', () => {
    const progress = judgeCommand(
      instances,
      [report('i-a', 'Failed', 66), report('i-b', 'Success', 0)],
      false,
    );
    expect(progress).toMatchObject({
      state: 'failed',
      failures: [
        { instanceId: 'i-a', status: 'Failed', exitCode: 66, outputTail: 'output of i-a' },
      ],
    });
  });

  it.each([
    ['TimedOut', report('i-a', 'TimedOut', -1, 'ExecutionTimedOut')],
    ['Cancelled', report('i-a', 'Cancelled', -1, 'Cancelled')],
    ['Undeliverable', report('i-a', 'Failed', -1, 'Undeliverable')],
    ['Success with a non-zero code', report('i-a', 'Success', 3)],
  ])('treats %s as a failure', (_label, failed) => {
    const progress = judgeCommand(['i-a'], [failed], false);
    expect(progress.state).toBe('failed');
  });

  it('waits for an invocation SSM does not list yet, then fails it after the grace period', () => {
    expect(judgeCommand(instances, [report('i-a', 'Success', 0)], false).state).toBe('running');
    const late = judgeCommand(instances, [report('i-a', 'Success', 0)], true);
    expect(late).toMatchObject({
      state: 'failed',
      failures: [{ instanceId: 'i-b', status: 'InvocationNeverAppeared' }],
    });
  });
});

describe('nextWaitSeconds', () => {
  it.each([
    [1, 15, 2],
    [2, 15, 3],
    [10, 15, 15],
    [15, 15, 15],
  ])('grows %i to %i-capped %i', (current, maximum, expected) => {
    expect(nextWaitSeconds(current, maximum)).toBe(expected);
  });
});
