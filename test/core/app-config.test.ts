import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../core/app-config.ts';

describe('parseAppConfig', () => {
  it('fills every default for an empty configuration', () => {
    const config = parseAppConfig('web', {});
    expect(config).toMatchObject({
      targets: { tagKey: 'signet:app', tagValue: 'web' },
      health: { path: '/health', port: 8080, expectedStatus: 200, bakeSeconds: 10 },
      rollout: { batchSize: 50 },
      install: { keepReleases: 3 },
    });
  });

  it('keeps what is set', () => {
    const config = parseAppConfig('web', {
      health: { port: 9000, intervalSeconds: 0.2 },
      rollout: { batchSize: 5 },
    });
    expect(config.health.port).toBe(9000);
    expect(config.health.intervalSeconds).toBe(0.2);
    expect(config.rollout.batchSize).toBe(5);
  });

  it.each([
    ['a misspelt key', { health: { bakeSecond: 5 } }, 'bakeSecond'],
    ['an unknown section', { rollouts: {} }, 'rollouts'],
    ['a batch over SSM’s 50', { rollout: { batchSize: 51 } }, 'batchSize'],
    ['a fractional batch', { rollout: { batchSize: 2.5 } }, 'batchSize'],
    ['a string number', { health: { port: '8080' } }, 'port'],
    ['a health path with a space', { health: { path: '/he alth' } }, 'health.path'],
    ['a health path without a slash', { health: { path: 'health' } }, 'health.path'],
    ['an array', [], 'JSON object'],
    ['keeping one release only', { install: { keepReleases: 1 } }, 'keepReleases'],
  ])('refuses %s, naming it', (_label, raw, named) => {
    expect(() => parseAppConfig('web', raw)).toThrow(
      expect.objectContaining({ name: 'ConfigInvalid', message: expect.stringContaining(named) }),
    );
  });
});
