import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => {
    const specifier = m[1] ?? '';
    return specifier.startsWith('.')
      ? relative(ROOT, join(ROOT, file, '..', specifier))
      : specifier;
  });
}

// DESIGN.md: the Lambdas and their shared core know only AWS APIs; local mode drives them, the
// CLI drives local mode and the core. A reader should see it from the folders, and so should CI.
describe('which way dependencies flow', () => {
  it.each([
    ['core', ['functions/', 'local/', 'cli/', 'release/', 'infra/']],
    ['functions', ['local/', 'cli/', 'release/', 'infra/']],
    ['release', ['functions/', 'local/', 'cli/', 'infra/']],
    ['local', ['cli/', 'infra/']],
  ])('%s imports nothing from %j', async (dir, forbidden) => {
    const violations: string[] = [];
    for (const file of await sourceFiles(dir)) {
      for (const target of await importsOf(file)) {
        if (forbidden.some((prefix) => target.startsWith(prefix)))
          violations.push(`${file} -> ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
