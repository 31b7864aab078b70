import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleResult, bundleFunctions } from '../../esbuild.config.ts';
import { LAMBDA_FUNCTIONS } from '../../functions/manifest.ts';

// What AWS will run: one ESM bundle per function, built by the project's esbuild config.
describe('Lambda bundles', () => {
  let outDir: string;
  let bundles: BundleResult[];

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'signet-bundles-'));
    bundles = await bundleFunctions(outDir);
  }, 120_000);
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('builds one bundle per function in the manifest', () => {
    expect(bundles.map((b) => b.id)).toEqual(LAMBDA_FUNCTIONS.map((f) => f.id));
  });

  it('exports a handler from each bundle, loadable as Lambda loads it', async () => {
    for (const bundle of bundles) {
      const module = (await import(pathToFileURL(bundle.file).href)) as { handler?: unknown };
      expect(typeof module.handler, bundle.id).toBe('function');
    }
  }, 90_000);

  it('contains nothing from local mode, the CLI, the release tool or the CDK app', () => {
    for (const bundle of bundles) {
      const foreign = bundle.inputs.filter((input) =>
        /^(local|cli|release|infra|test)\//.test(input),
      );
      expect(foreign, bundle.id).toEqual([]);
    }
  });

  it('carries only the SDK clients its function calls', () => {
    const clients = (bundle: BundleResult) =>
      [
        ...new Set(
          bundle.inputs.map((i) => /@aws-sdk\/client-([a-z0-9-]+)\//.exec(i)?.[1]).filter(Boolean),
        ),
      ].sort();
    const byId = Object.fromEntries(bundles.map((b) => [b.id, clients(b)]));
    expect(byId['emit-event']).toEqual(['eventbridge']);
    expect(byId['check-command']).toEqual(['cloudwatch', 'ssm']);
    expect(byId['start-deployment']).toEqual(['sfn']);
    expect(byId['verify-artifact']).toEqual(['kms', 's3', 'ssm']);
  });
});
