import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
  readonly env?: Record<string, string>;
}

interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, { readonly steps: readonly Step[] }>;
}

/** A GitHub Actions expression reading a repository variable. */
const repositoryVariable = (name: string) => `\${{ vars.${name} }}`;

const FILE = join(import.meta.dirname, '..', '..', 'docs', 'examples', 'github-release.yml');

// The example people copy: it must keep doing what docs/AWS.md says it does.
describe('docs/examples/github-release.yml', () => {
  let text: string;
  let steps: readonly Step[];
  let workflow: Workflow;

  beforeAll(async () => {
    text = await readFile(FILE, 'utf8');
    workflow = parse(text) as Workflow;
    steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  });

  it('asks for an OIDC token and nothing more than reading the repository', () => {
    expect(workflow.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(workflow.on).toEqual({ push: { branches: ['main'] } });
  });

  it('assumes the release role through OIDC, with no stored AWS keys', () => {
    const assume = steps.find((step) =>
      step.uses?.startsWith('aws-actions/configure-aws-credentials@'),
    );
    expect(assume?.with?.['role-to-assume']).toBe(repositoryVariable('SIGNET_RELEASE_ROLE_ARN'));
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|secrets\./);
  });

  it('signs with KMS through signet release --kms-key after assuming the role', () => {
    const names = steps.map((step) => step.name ?? step.uses);
    const release = steps.find((step) => step.run?.includes('signet.mjs release'));
    expect(release?.run).toMatch(/--kms-key "\$KMS_KEY_ARN"/);
    expect(release?.env?.['KMS_KEY_ARN']).toBe(repositoryVariable('SIGNET_KMS_KEY_ARN'));
    expect(names.indexOf(release?.name)).toBeGreaterThan(
      names.indexOf('Assume the release role (OIDC, no stored keys)'),
    );
  });
});
