import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAppSpec } from '../../core/appspec.ts';
import { AppSpecInvalid } from '../../core/errors.ts';
import { formatAppSpecPlan } from './support/appspec-plan.ts';
import { HOST_SCRIPT, runProcess, testPath } from './support/host-script.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/appspec/', import.meta.url));

function fixtures(kind: 'valid' | 'invalid', expectedSuffix: string) {
  const dir = join(FIXTURES, kind);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yml'))
    .map((name) => {
      const file = join(dir, name);
      return {
        name: name.slice(0, -'.yml'.length),
        file,
        expected: readFileSync(file.replace(/\.yml$/, expectedSuffix), 'utf8'),
      };
    });
}

/** The bash parser's answer: the plan on stdout, or the message on stderr. */
function bashPlan(file: string) {
  return runProcess(
    'bash',
    ['-c', 'source "$1" && appspec_print_plan "$2" appspec.yml', 'parity', HOST_SCRIPT, file],
    { PATH: testPath() },
  );
}

function typeScriptOutcome(file: string): { plan: string } | { error: unknown } {
  try {
    return { plan: formatAppSpecPlan(parseAppSpec(readFileSync(file, 'utf8'), 'appspec.yml')) };
  } catch (error) {
    return { error };
  }
}

describe('appspec.yml fixtures through both parsers', () => {
  const valid = fixtures('valid', '.plan');
  const invalid = fixtures('invalid', '.error');

  it('has fixtures of both kinds', () => {
    expect(valid.length).toBeGreaterThan(10);
    expect(invalid.length).toBeGreaterThan(40);
  });

  it.each(valid)('parses valid/$name identically in bash and TypeScript', async (fixture) => {
    const bash = await bashPlan(fixture.file);

    const ts = typeScriptOutcome(fixture.file);

    expect({ code: bash.code, stderr: bash.stderr }).toEqual({ code: 0, stderr: '' });
    expect(bash.stdout).toBe(fixture.expected);
    expect(ts).toEqual({ plan: fixture.expected });
  });

  it.each(invalid)('refuses invalid/$name with the same message in both', async (fixture) => {
    const bash = await bashPlan(fixture.file);

    const ts = typeScriptOutcome(fixture.file);

    expect(bash.code).toBe(1);
    expect(bash.stdout).toBe('');
    expect(bash.stderr).toBe(fixture.expected);
    expect('error' in ts && ts.error).toBeInstanceOf(AppSpecInvalid);
    expect('error' in ts && (ts.error as Error).message).toBe(fixture.expected.trimEnd());
  });
});
