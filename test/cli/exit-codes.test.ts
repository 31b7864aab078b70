import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/exit-codes.ts';
import { runSignet } from '../helpers/run-signet.ts';

// The README's exit code table, held against the CLI: scripts tell a failed deployment (1) from
// a command line used wrongly (2) and from a machine that is not set up (3).
describe('signet exit codes', () => {
  it('lists in the README exactly the codes the CLI can return', async () => {
    const readme = await readFile(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const documented = [...readme.matchAll(/^\| ([0-9]+) +\|/gm)].map((m) => Number(m[1]));
    expect(documented).toEqual(Object.values(ExitCode));
  });

  it.each([
    ['help', ['--help'], 0],
    ['a command’s help', ['release', '--help'], 0],
    ['no command', [], 2],
    ['an unknown command', ['deploy', 'web'], 2],
    ['a missing argument', ['status'], 2],
    ['an extra argument', ['status', 'web', 'api'], 2],
    ['an unknown option', ['status', 'web', '--bogus'], 2],
    ['an app name with capitals', ['status', 'Web'], 2],
    ['an app name with a shell metacharacter', ['rollback', 'web;id'], 2],
    ['a version that is not semantic', ['redeploy', 'web', 'latest'], 2],
    ['a version with build metadata', ['redeploy', 'web', '1.0.0+build'], 2],
    ['a release without --version', ['release', 'examples/web', '--app', 'web'], 2],
    [
      'a release of a directory that does not exist',
      ['release', '/nonexistent', '--app', 'web', '--version', '1.0.0'],
      2,
    ],
    ['audit without verify', ['audit', 'check', 'web'], 2],
    ['local without a subcommand', ['local'], 2],
    ['a --limit that is not a number', ['history', 'web', '--limit', 'ten'], 2],
    ['doctor with an app name with capitals', ['doctor', 'Web'], 2],
    ['doctor with an unknown option', ['doctor', '--bogus'], 2],
    ['doctor’s help', ['doctor', '--help'], 0],
  ])('answers %s with %i', async (_label, argv, code) => {
    const result = await runSignet(argv);
    expect(result.code, result.err).toBe(code);
  });

  it('answers a missing setting with 3, naming it and where to get it', async () => {
    const result = await runSignet(['status', 'web']);
    expect(result.code).toBe(3);
    expect(result.err).toContain('SIGNET_STATE_TABLE');
    expect(result.err).toContain('signet local up');
  });

  it.each([
    ['no setting at all', {}, 'SIGNET_ARTIFACT_BUCKET'],
    [
      'every setting but the release rule',
      {
        SIGNET_ARTIFACT_BUCKET: 'artifacts',
        SIGNET_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:s',
        SIGNET_STATE_TABLE: 'signet-state',
      },
      'SIGNET_RELEASE_RULE_NAME',
    ],
  ])(
    'answers doctor with %s with 3 before calling AWS, naming the setting',
    async (_l, env, name) => {
      const result = await runSignet(['doctor'], env);
      expect(result.code).toBe(3);
      expect(result.err).toContain(name);
      expect(result.out).toBe('');
    },
  );

  it('checks the command line before the environment', async () => {
    expect((await runSignet(['status', 'Web'])).code).toBe(2);
  });
});
