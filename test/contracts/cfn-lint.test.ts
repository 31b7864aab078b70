import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignetDeployerProps } from '../../infra/props.ts';
import { externalTool } from '../helpers/external-tools.ts';
import { EXAMPLE_KEY, synthesizeSignet } from '../helpers/infra-stack.ts';

const run = promisify(execFile);

const available = await externalTool('cfn-lint', 'test/contracts/cfn-lint.test.ts');

/**
 * cfn-lint findings accepted on purpose, each with its reason. Nothing else may appear.
 */
const SUPPRESSED: Readonly<Record<string, string>> = {
  // aws-cdk-lib's Function and StateMachine constructs add their role to DependsOn as well as
  // naming it in Role / RoleArn (lambda/lib/function.ts, stepfunctions/lib/state-machine.ts);
  // the duplicate ordering is harmless and comes from the library, not from Signet's code.
  W3005: 'redundant DependsOn on the execution role, added by aws-cdk-lib',
};

/** Every shape of the stack Signet synthesizes: the test apps, a new KMS key, an existing one. */
const VARIANTS: Readonly<Record<string, Partial<SignetDeployerProps>>> = {
  'openpgp-apps': {},
  'new-kms-release-key': { kmsSigningKey: { githubRepository: 'acme/web', apps: ['web'] } },
  'existing-kms-release-key': {
    apps: [
      {
        name: 'web',
        trustedKeys: { release: EXAMPLE_KEY },
        trustedKmsKeys: {
          partner: 'arn:aws:kms:us-east-1:210987654321:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        },
      },
    ],
    kmsSigningKey: {
      githubRepository: 'acme/platform',
      githubRef: 'refs/tags/release',
      existingKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      githubOidcProviderArn:
        'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    },
  },
};

interface Finding {
  readonly Rule: { readonly Id: string };
  readonly Level: string;
  readonly Message: string;
  readonly Filename: string;
}

// AWS's own template linter on every synthesized template: zero errors, and no warning that
// is not in SUPPRESSED with its reason. One cfn-lint run for all templates: its start-up
// (loading the resource specifications) is most of its time.
describe.skipIf(!available)('cfn-lint on the synthesized templates', () => {
  let dir: string;
  let findings: Finding[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'signet-cfn-lint-'));
    const files: string[] = [];
    for (const [name, props] of Object.entries(VARIANTS)) {
      const synth = synthesizeSignet(props);
      const file = join(dir, `${name}.json`);
      await writeFile(file, JSON.stringify(synth.template.toJSON(), null, 1));
      synth.cleanup();
      files.push(file);
    }
    // cfn-lint's exit code is a bit mask of what it found (2 errors, 4 warnings, 8 notices),
    // with its JSON report on stdout either way; anything else means it did not finish.
    const { stdout } = await run('cfn-lint', ['--format', 'json', ...files], {
      maxBuffer: 16 * 1024 * 1024,
      timeout: 240_000,
    }).catch((error: { code?: unknown; stdout?: string; stderr?: string }) => {
      if (typeof error.code !== 'number' || error.code % 2 !== 0) {
        throw new Error(`cfn-lint did not finish (${String(error.code)}): ${error.stderr ?? ''}`);
      }
      return { stdout: error.stdout ?? '' };
    });
    findings = JSON.parse(stdout) as Finding[];
  }, 300_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds no error in any template', () => {
    const errors = findings.filter((f) => f.Level === 'Error');
    expect(errors.map((f) => `${f.Filename}: ${f.Rule.Id} ${f.Message}`)).toEqual([]);
  });

  it('finds no warning or notice without a reasoned suppression', () => {
    const unexplained = findings.filter((f) => SUPPRESSED[f.Rule.Id] === undefined);
    expect(unexplained.map((f) => `${f.Filename}: ${f.Rule.Id} ${f.Message}`)).toEqual([]);
  });

  it('lints every variant (each shows the suppressed CDK warning)', () => {
    const linted = new Set(findings.map((f) => basename(f.Filename, '.json')));
    expect([...linted].sort()).toEqual(Object.keys(VARIANTS).sort());
  });
});
