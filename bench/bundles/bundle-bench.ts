/**
 * Part 4, Lambda bundles: each function's bundle as `node esbuild.config.ts` makes it, its size
 * and the time a fresh Node 24 process takes to import it (best of `repeats`). The baseline of
 * the import is a stub importing only the Node built-ins the bundle imports: loading those is
 * the floor no bundling can lower, and on a loaded machine it is most of the time.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleFunctions } from '../../esbuild.config.ts';
import { bestOf, runTimed } from '../measure.ts';
import { type BenchRow, limitRow } from '../table.ts';

const CHILD = join(import.meta.dirname, 'import-child.ts');
const PART = 'bundles';
/** The targets: 500 KB (1000 bytes a KB, the stricter reading) and 150 ms per function. */
const MAX_KB = 500;
const MAX_IMPORT_MS = 150;

export interface BundleBenchOptions {
  readonly repeats: number;
  /** Where the bundles are written; the caller removes it. */
  readonly outDir: string;
  readonly progress: (message: string) => void;
}

export async function benchBundles(options: BundleBenchOptions): Promise<BenchRow[]> {
  options.progress('bundles: building every Lambda with esbuild.config.ts');
  const bundles = await bundleFunctions(options.outDir);
  const rows: BenchRow[] = [];
  for (const bundle of bundles) {
    options.progress(`bundles: importing ${bundle.id}`);
    const stub = join(options.outDir, `${bundle.id}-builtins.mjs`);
    await writeFile(stub, builtinsStub(await readFile(bundle.file, 'utf8')));
    const importMs = await bestOf(options.repeats, () => timeImport(bundle.file));
    const builtinsMs = await bestOf(options.repeats, () => timeImport(stub));
    rows.push(
      limitRow(
        { part: PART, measure: `${bundle.id}: size`, signet: bundle.bytes / 1000, unit: 'KB' },
        MAX_KB,
      ),
      limitRow(
        {
          part: PART,
          measure: `${bundle.id}: import`,
          signet: importMs,
          baseline: builtinsMs,
          unit: 'ms',
          note: 'baseline: importing only the Node built-ins the bundle imports',
        },
        MAX_IMPORT_MS,
      ),
    );
  }
  return rows;
}

async function timeImport(file: string): Promise<number> {
  const run = await runTimed(process.execPath, [CHILD, file], { keepStdout: true });
  return (JSON.parse(run.stdout) as { ms: number }).ms;
}

/** A module that imports the same `node:` built-ins as the bundle, and nothing else. */
export function builtinsStub(bundle: string): string {
  const builtins = new Set<string>();
  for (const match of bundle.matchAll(/(?:from|import)\s*"(node:[a-z_/0-9]+)"/g)) {
    if (match[1] !== undefined) builtins.add(match[1]);
  }
  const imports = [...builtins].sort().map((name) => `import '${name}';`);
  return [...imports, 'export const handler = () => undefined;', ''].join('\n');
}
