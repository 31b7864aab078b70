import { describe, expect, it } from 'vitest';
import { parseAppSpec } from '../../core/appspec.ts';
import { DEFAULT_HOOK_TIMEOUT_SECONDS } from '../../core/appspec-types.ts';
import { AppSpecInvalid } from '../../core/errors.ts';

const HEADER = 'version: 0.0\nos: linux\n';

function refusal(
  text: string,
  where = 'appspec.yml of web 1.4.0',
): InstanceType<typeof AppSpecInvalid> {
  try {
    parseAppSpec(text, where);
  } catch (error) {
    if (error instanceof AppSpecInvalid) return error;
    throw error;
  }
  throw new Error('parseAppSpec accepted the text');
}

describe('parseAppSpec', () => {
  it('returns version, os and only the hooks the file lists', () => {
    const text = `${HEADER}hooks:\n  ApplicationStart:\n    - location: hooks/start.sh\n`;

    const spec = parseAppSpec(text, 'appspec.yml');

    expect(spec).toEqual({
      version: '0.0',
      os: 'linux',
      hooks: {
        ApplicationStart: [
          { location: 'hooks/start.sh', timeoutSeconds: DEFAULT_HOOK_TIMEOUT_SECONDS },
        ],
      },
    });
  });

  it('keeps timeout and runas of each script, in file order', () => {
    const text =
      `${HEADER}hooks:\n  ValidateService:\n` +
      '    - location: a.sh\n      timeout: 20\n      runas: web\n    - location: b.sh\n';

    const spec = parseAppSpec(text, 'appspec.yml');

    expect(spec.hooks.ValidateService).toEqual([
      { location: 'a.sh', timeoutSeconds: 20, runas: 'web' },
      { location: 'b.sh', timeoutSeconds: DEFAULT_HOOK_TIMEOUT_SECONDS },
    ]);
    expect(Object.hasOwn(spec.hooks.ValidateService?.[1] ?? {}, 'runas')).toBe(false);
  });

  it('returns hooks in CodeDeploy order whatever the file order', () => {
    const text =
      `${HEADER}hooks:\n  ValidateService:\n    - location: v.sh\n` +
      '  ApplicationStop:\n    - location: s.sh\n';

    const spec = parseAppSpec(text, 'appspec.yml');

    expect(Object.keys(spec.hooks)).toEqual(['ApplicationStop', 'ValidateService']);
  });

  it('names the file and the line in AppSpecInvalid', () => {
    const error = refusal(`${HEADER}files:\n  - source: /\n`);

    expect(error.name).toBe('AppSpecInvalid');
    expect(error.message).toBe(
      "appspec.yml of web 1.4.0 line 3: 'files' is not supported: Signet installs the whole " +
        'archive as the release directory',
    );
    expect(error.details).toEqual({ file: 'appspec.yml of web 1.4.0', line: 3 });
  });

  it('reports a missing key without a line', () => {
    const error = refusal('os: linux\n');

    expect(error.message).toBe('appspec.yml of web 1.4.0: version is missing');
    expect(error.details).toEqual({ file: 'appspec.yml of web 1.4.0', line: null });
  });

  it.each([
    [
      'an absolute location',
      '/bin/stop.sh',
      "must be relative to the archive root: '/bin/stop.sh'",
    ],
    ['a .. component', 'a/../../b.sh', "must not contain '..': 'a/../../b.sh'"],
    ['a trailing ..', 'hooks/..', "must not contain '..': 'hooks/..'"],
    ['a space', "'a b.sh'", "may contain only letters, digits and . _ @ + - /: 'a b.sh'"],
  ])('refuses a location with %s', (_label, location, reason) => {
    const text = `${HEADER}hooks:\n  ApplicationStop:\n    - location: ${location}\n`;

    expect(refusal(text).message).toBe(`appspec.yml of web 1.4.0 line 5: location ${reason}`);
  });

  it.each([
    ['1', 1],
    ['3600', 3600],
    ["'45'", 45],
  ])('accepts timeout %s', (timeout, seconds) => {
    const text = `${HEADER}hooks:\n  BeforeInstall:\n    - location: a.sh\n      timeout: ${timeout}\n`;

    expect(parseAppSpec(text, 'appspec.yml').hooks.BeforeInstall?.[0]?.timeoutSeconds).toBe(
      seconds,
    );
  });

  it('reads a file with CRLF line endings like one with LF', () => {
    const lf = `${HEADER}hooks:\n  AfterInstall:\n    - location: a.sh\n`;

    const crlf = parseAppSpec(lf.replaceAll('\n', '\r\n'), 'appspec.yml');

    expect(crlf).toEqual(parseAppSpec(lf, 'appspec.yml'));
  });

  it('treats a Unicode line separator as part of a value, as bash does', () => {
    const text = `${HEADER}hooks:\n  AfterInstall:\n    - location: a\u2028b.sh\n`;

    expect(refusal(text).message).toContain('location may contain only letters, digits and');
  });
});
