import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigInvalid } from '../../core/errors.ts';
import { LAMBDA_FUNCTIONS } from '../../functions/manifest.ts';
import { loadSignetConfig } from '../../infra/config-file.ts';
import { buildSignetApp, DEFAULT_CONFIG_FILE } from '../../infra/signet-app.ts';
import { EXAMPLE_KEY } from '../helpers/infra-stack.ts';

const ROOT = join(import.meta.dirname, '..', '..');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signet-infra-app-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function writeConfig(name: string, config: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(config));
  return file;
}

describe('loadSignetConfig', () => {
  it('reads the example config and its key file', async () => {
    const config = await loadSignetConfig(DEFAULT_CONFIG_FILE);
    expect(config.stackName).toBe('Signet');
    expect(config.deployer.apps.map((app) => app.name)).toEqual(['web']);
    expect(config.deployer.apps[0]?.trustedKeys?.['example']).toBe(EXAMPLE_KEY);
  });

  it.each([
    [
      'an unknown top-level key',
      { apps: [], alertEmail: ['x@example.com'] },
      /unknown key\(s\) alertEmail/,
    ],
    [
      'an unknown app key',
      { apps: [{ name: 'web', trustedKeys: {} }] },
      /apps\[0\]: unknown key\(s\) trustedKeys/,
    ],
    ['a bad stack name', { stackName: 'my stack', apps: [] }, /stackName must be/],
    [
      'a key file that is not there',
      { apps: [{ name: 'web', trustedKeyFiles: { release: 'missing.asc' } }] },
      /apps\[0\] \(web\): cannot read trusted key file .*missing\.asc/,
    ],
    ['an app without keys', { apps: [{ name: 'web' }] }, /app web: no trusted signing keys/],
  ])('refuses %s, naming the file', async (_label, config, message) => {
    const file = await writeConfig('config.json', config);
    const error = await loadSignetConfig(file).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConfigInvalid);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses a key file that armors no usable public key, naming its label', async () => {
    await writeFile(
      join(dir, 'broken.asc'),
      '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n-----END PGP PUBLIC KEY BLOCK-----\n',
    );
    const file = await writeConfig('broken.json', {
      apps: [{ name: 'web', trustedKeyFiles: { release: 'broken.asc' } }],
    });
    const error = await loadSignetConfig(file).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConfigInvalid);
    expect((error as Error).message).toMatch(/release/);
  });
});

describe('the CDK app', () => {
  let assembly: CloudAssembly;
  let bundleDir: string;
  let timings: { bundleAndBuildMs: number; synthMs: number };
  // GIVEN the example config, WHEN the app bundles the Lambdas for real and synthesizes with
  // cdk-nag's AwsSolutions plugin registered (synthesis throws on any unacknowledged finding).
  beforeAll(async () => {
    bundleDir = join(dir, 'bundles');
    const started = performance.now();
    const app = await buildSignetApp({ outdir: join(dir, 'cdk.out'), bundleDir });
    const built = performance.now();
    assembly = app.synth();
    timings = { bundleAndBuildMs: built - started, synthMs: performance.now() - built };
    process.stdout.write(
      `infra: bundling and building the app ${timings.bundleAndBuildMs.toFixed(0)} ms, ` +
        `synthesis with cdk-nag ${timings.synthMs.toFixed(0)} ms\n`,
    );
  }, 120_000);

  it('synthesizes the Signet stack, nag plugin included, within a minute', () => {
    expect(assembly.stacks.map((stack) => stack.stackName)).toEqual(['Signet']);
    expect(timings.synthMs).toBeLessThan(60_000);
  });

  it("ships each function the bundle the project's esbuild config made for it", async () => {
    const stack = assembly.getStackByName('Signet');
    const template = stack.template as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const shipped = new Map<string, string>();
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const key = (resource.Properties['Code'] as { S3Key: string }).S3Key.replace(/\.zip$/, '');
      shipped.set(
        String(resource.Properties['Description']),
        join(assembly.directory, `asset.${key}`),
      );
    }
    expect(shipped.size).toBe(LAMBDA_FUNCTIONS.length);
    for (const spec of LAMBDA_FUNCTIONS) {
      const assetDir = shipped.get(spec.description);
      expect(assetDir, spec.id).toBeDefined();
      const [deployed, bundled] = await Promise.all([
        readFile(join(assetDir ?? '', 'index.mjs')),
        readFile(join(bundleDir, spec.id, 'index.mjs')),
      ]);
      expect(deployed.equals(bundled), spec.id).toBe(true);
    }
  });

  it('is what `cdk synth` runs from the repository, with Node 24 type stripping', async () => {
    const cdkJson = JSON.parse(await readFile(join(ROOT, 'cdk.json'), 'utf8'));
    const packageJson = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    expect(cdkJson.app).toBe('node infra/app.ts');
    expect(packageJson.scripts.synth).toBe('cdk synth');
  });
});
