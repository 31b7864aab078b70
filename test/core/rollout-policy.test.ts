import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../core/app-config.ts';
import { countOf, resolvePolicy, tolerates } from '../../core/rollout-policy.ts';

describe('rollout policy', () => {
  it('defaults to batches of 50, no failure tolerated, and stopping on unreachable instances', () => {
    // Act
    const { rollout } = parseAppConfig('web', {});

    // Assess
    expect(rollout).toEqual({
      batchSize: 50,
      minimumHealthy: 0,
      maximumFailed: 0,
      onUnreachable: 'stop',
    });
  });

  it.each([
    ['a percentage over 100', { batchSize: '101%' }, 'batchSize'],
    ['a zero batch share', { batchSize: '0%' }, 'batchSize'],
    ['a percentage without its sign', { maximumFailed: '10' }, 'maximumFailed'],
    ['a negative count', { minimumHealthy: -1 }, 'minimumHealthy'],
    ['an unknown unreachable rule', { onUnreachable: 'ignore' }, 'onUnreachable'],
    ['an unknown key', { maxErrors: 1 }, 'maxErrors'],
  ])('refuses %s, naming it', (_label, rollout, named) => {
    // Act / Assess
    expect(() => parseAppConfig('web', { rollout })).toThrow(
      expect.objectContaining({ name: 'ConfigInvalid', message: expect.stringContaining(named) }),
    );
  });

  it.each([
    ['30% of 10 up', '30%', 10, 'up', 3],
    ['25% of 10 up', '25%', 10, 'up', 3],
    ['25% of 10 down', '25%', 10, 'down', 2],
    ['a count whatever the fleet', 7, 200, 'down', 7],
    ['1% of 200 down', '1%', 200, 'down', 2],
  ] as const)('counts %s', (_label, amount, total, rounding, expected) => {
    // Act / Assess
    expect(countOf(amount, total, rounding)).toBe(expected);
  });

  it('refuses a minimumHealthy that leaves nothing to deploy to, naming the app', () => {
    // Prepare
    const policy = parseAppConfig('web', { rollout: { minimumHealthy: '100%' } }).rollout;

    // Act / Assess
    expect(() => resolvePolicy('web', policy, 4)).toThrow(
      expect.objectContaining({ name: 'ConfigInvalid', message: expect.stringContaining('web') }),
    );
  });

  it.each([
    ['no failure with none allowed', 0, 0, 0, true],
    ['one failure with none allowed', 0, 0, 1, false],
    ['two failures with two allowed', 2, 0, 2, true],
    ['two failures that break minimumHealthy', 2, 9, 2, false],
  ])('judges %s', (_label, maximumFailed, minimumHealthy, failed, expected) => {
    // Act / Assess
    expect(tolerates({ instanceCount: 10, maximumFailed, minimumHealthy }, failed)).toBe(expected);
  });

  it.each([
    ['a name that is not text', { alarms: [5] }],
    ['more than 10 alarms', { alarms: Array.from({ length: 11 }, (_, i) => `a${i}`) }],
    ['a control character', { alarms: ['bad\nname'] }],
  ])('refuses a health alarm list with %s', (_label, health) => {
    // Act / Assess
    expect(() => parseAppConfig('web', { health })).toThrow(
      expect.objectContaining({
        name: 'ConfigInvalid',
        message: expect.stringContaining('alarms'),
      }),
    );
  });

  it('keeps the health alarm names, none by default', () => {
    // Act / Assess
    expect(parseAppConfig('web', {}).health.alarms).toEqual([]);
    expect(parseAppConfig('web', { health: { alarms: ['web 5xx'] } }).health.alarms).toEqual([
      'web 5xx',
    ]);
  });
});
