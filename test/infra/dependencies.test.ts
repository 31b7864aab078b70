import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

// DESIGN.md: infra/ reads the state machine file and bundles the Lambdas, but imports neither
// local mode nor the CLI; of functions/ it needs only the manifest (the bundles do the rest).
describe('infra/ imports', () => {
  it('reach core/, the manifest and the bundler, never local/, cli/, release/ or a handler', async () => {
    const files = (await readdir(join(ROOT, 'infra'))).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    const violations: string[] = [];
    for (const name of files) {
      const text = await readFile(join(ROOT, 'infra', name), 'utf8');
      for (const match of text.matchAll(/^\s*(?:import|export)[^'"]*from\s+'(\.[^']+)'/gm)) {
        const target = relative(ROOT, join(ROOT, 'infra', match[1] ?? ''));
        const allowed =
          target.startsWith('core/') ||
          target.startsWith('infra/') ||
          target === 'functions/manifest.ts' ||
          target === 'esbuild.config.ts';
        if (!allowed) violations.push(`infra/${name} -> ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
