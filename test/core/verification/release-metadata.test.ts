import { describe, expect, it } from 'vitest';
import { readAppSpecText } from '../../../core/verification/appspec-text.ts';
import { parseReleaseMetadata } from '../../../core/verification/release-metadata.ts';
import { errorThrownBy, expectError } from './fixtures.ts';

const content = (text: string) => ({ bytes: new TextEncoder().encode(text) });

describe('parseReleaseMetadata', () => {
  it('reads app, version and the optional fields, ignoring unknown keys', () => {
    // Prepare
    const text = JSON.stringify({
      app: 'web',
      version: '1.4.0-beta.2',
      createdAt: '2026-12-04T16:00:00.123+01:00',
      createdBy: 'ci@example.test',
      source: 'git+https://example.test/web.git#0123abc',
      futureField: { nested: true },
    });

    // Act
    const metadata = parseReleaseMetadata('web', content(text));

    // Assess
    expect(metadata).toEqual({
      app: 'web',
      version: '1.4.0-beta.2',
      createdAt: '2026-12-04T16:00:00.123+01:00',
      createdBy: 'ci@example.test',
      source: 'git+https://example.test/web.git#0123abc',
    });
  });

  it('accepts a file saved with a UTF-8 byte order mark', () => {
    // Act
    const metadata = parseReleaseMetadata('web', content('\ufeff{"app":"web","version":"1.0.0"}'));

    // Assess
    expect(metadata).toEqual({ app: 'web', version: '1.0.0' });
  });

  it.each([
    ['a missing file', { problem: 'is missing from the archive root' }, 'is missing'],
    ['invalid JSON', content('{"app": "web",'), 'is not valid UTF-8 JSON'],
    ['invalid UTF-8', { bytes: new Uint8Array([0x7b, 0xff, 0x7d]) }, 'is not valid UTF-8 JSON'],
    ['a JSON array', content('["web", "1.0.0"]'), 'is not a JSON object'],
    ['JSON null', content('null'), 'is not a JSON object'],
    ['a missing app', content('{"version":"1.0.0"}'), 'has no valid "app"'],
    ['an app with capitals', content('{"app":"Web","version":"1.0.0"}'), 'has no valid "app"'],
    ['an app with a slash', content('{"app":"web/../x","version":"1.0.0"}'), 'valid "app"'],
    ['a missing version', content('{"app":"web"}'), 'has no valid "version"'],
    ['a version with build metadata', content('{"app":"web","version":"1.0.0+b1"}'), '"version"'],
    ['a numeric version', content('{"app":"web","version":1}'), 'has no valid "version"'],
    [
      'a createdAt that is not a timestamp',
      content('{"app":"web","version":"1.0.0","createdAt":"yesterday"}'),
      '"createdAt" that is not an ISO 8601 timestamp',
    ],
    [
      'a createdBy that is not a string',
      content('{"app":"web","version":"1.0.0","createdBy":42}'),
      '"createdBy" that is not a single-line string',
    ],
    [
      'a source with a newline',
      content('{"app":"web","version":"1.0.0","source":"a\\nb"}'),
      '"source" that is not a single-line string',
    ],
  ])('refuses %s as ReleaseMetadataInvalid', (_label, file, fragment) => {
    // Act
    const error = errorThrownBy(() => parseReleaseMetadata('web', file));

    // Assess
    expectError(error, 'ReleaseMetadataInvalid', 'app web: signet-release.json', fragment);
  });
});

describe('readAppSpecText', () => {
  it('returns the text as written', () => {
    // Act
    const text = readAppSpecText('web', content('version: 0.0\r\nos: linux\r\n'));

    // Assess
    expect(text).toBe('version: 0.0\r\nos: linux\r\n');
  });
});
