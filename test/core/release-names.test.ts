import { valid as semverValid } from 'semver';
import { describe, expect, it } from 'vitest';
import { artifactKey, isAppName, isVersion, parseArtifactKey } from '../../core/release-names.ts';

describe('isVersion', () => {
  it.each(['0.0.0', '1.4.0', '10.20.30', '1.0.0-0', '1.0.0-rc.1', '1.0.0-0a', '1.0.0-a-b.c.d.e'])(
    'accepts %s',
    (version) => expect(isVersion(version)).toBe(true),
  );

  it.each([
    ['a leading zero', '01.0.0'],
    ['a prerelease number with a leading zero', '1.0.0-01'],
    ['a later prerelease number with a leading zero', '1.0.0-rc.01'],
    ['build metadata', '1.0.0+build'],
    ['two parts', '1.4'],
    ['a v prefix', 'v1.0.0'],
    ['an empty prerelease', '1.0.0-'],
    ['a shell metacharacter', '1.0.0;id'],
  ])('refuses %s', (_label, version) => expect(isVersion(version)).toBe(false));

  // Release ordering uses semver: a version Signet accepts that semver cannot read would fail
  // every later release of the app (seen with 1.0.0-01).
  it('accepts only what semver can order', () => {
    const parts = ['0', '1', '01', '10', 'a', '0a', 'a0', '-', 'rc', '00'];
    const candidates = parts.flatMap((a) =>
      ['', `-${a}`, ...parts.map((b) => `-${a}.${b}`)].map((suffix) => `1.2.3${suffix}`),
    );
    const accepted = candidates.filter(isVersion);
    expect(accepted.length).toBeGreaterThan(50);
    expect(accepted.filter((version) => semverValid(version) !== version)).toEqual([]);
  });
});

describe('artifact keys', () => {
  it('round-trips app and version through the key layout', () => {
    const key = artifactKey({ app: 'web-api', version: '2.0.0-rc.1' });
    expect(key).toBe('releases/web-api/web-api-2.0.0-rc.1.tar.gz');
    expect(parseArtifactKey(key)).toEqual({ app: 'web-api', version: '2.0.0-rc.1' });
  });

  it.each(['web', 'a', 'web-2', `a${'b'.repeat(39)}`])('accepts app name %s', (app) =>
    expect(isAppName(app)).toBe(true),
  );
  it.each(['Web', '-web', 'web-', '2web', `a${'b'.repeat(40)}`, 'we b'])(
    'refuses app name %s',
    (app) => expect(isAppName(app)).toBe(false),
  );
});
