import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LAMBDA_FUNCTIONS } from '../../functions/manifest.ts';
import type { SignetDeployerProps } from '../../infra/props.ts';
import { SignetStack } from '../../infra/signet-stack.ts';

export const EXAMPLE_KEY = readFileSync(
  join(import.meta.dirname, '..', '..', 'infra', 'keys', 'web-example.asc'),
  'utf8',
);

/** Two apps, one on the default tag and one on its own tag key, so IAM must cover both. */
export const TEST_APPS: SignetDeployerProps['apps'] = [
  { name: 'web', trustedKeys: { release: EXAMPLE_KEY } },
  {
    name: 'api',
    trustedKeys: { ci: EXAMPLE_KEY, backup: EXAMPLE_KEY },
    config: {
      targets: { tagKey: 'team:service', tagValue: 'api-prod' },
      rollout: { batchSize: 5 },
    },
  },
];

export interface SynthesizedSignet {
  readonly app: App;
  readonly stack: SignetStack;
  readonly template: Template;
  /** The cloud assembly directory (assets included). */
  readonly outdir: string;
  readonly synthMs: number;
  readonly cleanup: () => void;
}

/**
 * A temp directory holding a stand-in bundle for every function: the template tests look at
 * what the stack declares, not at the bundles' code (test/infra/app.test.ts bundles for real).
 */
export function stubBundleDir(root: string): string {
  const dir = join(root, 'bundles');
  for (const spec of LAMBDA_FUNCTIONS) {
    mkdirSync(join(dir, spec.id), { recursive: true });
    writeFileSync(
      join(dir, spec.id, 'index.mjs'),
      `export const handler = async () => '${spec.id}';\n`,
    );
  }
  return dir;
}

/** GIVEN a SignetStack with the test apps, WHEN it is synthesized once. */
export function synthesizeSignet(overrides: Partial<SignetDeployerProps> = {}): SynthesizedSignet {
  const root = mkdtempSync(join(tmpdir(), 'signet-infra-'));
  const outdir = join(root, 'cdk.out');
  const started = performance.now();
  const app = new App({ outdir });
  const stack = new SignetStack(app, 'SignetTest', {
    deployer: {
      apps: TEST_APPS,
      bundleDir: stubBundleDir(root),
      alertEmails: ['ops@example.com', 'oncall@example.com'],
      ...overrides,
    },
  });
  const template = Template.fromStack(stack);
  return {
    app,
    stack,
    template,
    outdir,
    synthMs: performance.now() - started,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** The template's resources of one type, by logical id (Properties `{}` when it has none). */
export function resourcesOfType(template: Template, type: string): Resources {
  const found = template.findResources(type) as Record<string, { Properties?: object }>;
  return Object.fromEntries(
    Object.entries(found).map(([id, resource]) => [
      id,
      { Type: type, Properties: { ...(resource.Properties ?? {}) } as Record<string, unknown> },
    ]),
  );
}

/** The Properties of one resource; throws when the template has no such resource. */
export function propertiesOf(
  template: Template,
  type: string,
  id: string,
): Record<string, unknown> {
  const resource = resourcesOfType(template, type)[id];
  if (resource === undefined) throw new Error(`no ${type} ${id} in the template`);
  return resource.Properties;
}

/** The logical id of the only CloudFormation resource whose construct path ends with `suffix`. */
export function logicalIdAt(stack: Stack, pathSuffix: string): string {
  const found = stack.node
    .findAll()
    .filter((node) => node instanceof CfnElement && node.node.path.endsWith(pathSuffix));
  if (found.length !== 1) throw new Error(`${found.length} resources at *${pathSuffix}`);
  return stack.resolve((found[0] as CfnElement).logicalId) as string;
}

/**
 * Replaces Ref / Fn::GetAtt / Fn::Join in a template value with concrete strings, the way
 * CloudFormation would, so a deployed rule pattern can be run against sample events.
 */
export function resolveIntrinsics(value: unknown, refs: Readonly<Record<string, string>>): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, refs));
  if (typeof value !== 'object' || value === null) return value;
  const node = value as Record<string, unknown>;
  if (typeof node['Ref'] === 'string') return lookup(refs, node['Ref']);
  const getAtt = node['Fn::GetAtt'] as [string, string] | undefined;
  if (getAtt !== undefined) return lookup(refs, `${getAtt[0]}.${getAtt[1]}`);
  const join = node['Fn::Join'] as [string, unknown[]] | undefined;
  if (join !== undefined) return join[1].map((part) => resolveIntrinsics(part, refs)).join(join[0]);
  return Object.fromEntries(
    Object.entries(node).map(([key, item]) => [key, resolveIntrinsics(item, refs)]),
  );
}

function lookup(refs: Readonly<Record<string, string>>, name: string): string {
  const value = refs[name];
  if (value === undefined) throw new Error(`no value given for ${name}`);
  return value;
}
