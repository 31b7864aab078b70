/**
 * Bundles each Lambda on its own for the nodejs24.x runtime: one ESM file per function under
 * dist/functions/<id>/index.mjs, so each function ships only what it imports. Run with
 * `npm run build`; infra/ calls bundleFunctions() the same way.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { handlerEntry, LAMBDA_FUNCTIONS } from './functions/manifest.ts';

export const DIST_DIR = join(import.meta.dirname, 'dist', 'functions');

export interface BundleResult {
  readonly id: string;
  readonly file: string;
  readonly bytes: number;
  /** Every source file with code in the bundle, relative to the repository. */
  readonly inputs: readonly string[];
}

export async function bundleFunctions(outDir = DIST_DIR): Promise<BundleResult[]> {
  const results: BundleResult[] = [];
  for (const spec of LAMBDA_FUNCTIONS) {
    const dir = join(outDir, spec.id);
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'index.mjs');
    const result = await build({
      entryPoints: [join(import.meta.dirname, handlerEntry(spec))],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      // The ES module builds first: esbuild's default for node is `main`, which for the AWS SDK
      // is its CommonJS build, and CommonJS cannot be tree-shaken (each client was whole).
      mainFields: ['module', 'main'],
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      // Some CommonJS dependencies call require() for Node built-ins; ESM bundles need it made.
      banner: {
        js:
          "import { createRequire as __signetRequire } from 'node:module'; " +
          'const require = __signetRequire(import.meta.url);',
      },
      logLevel: 'warning',
      metafile: true,
      plugins: [literalSchemaKeys],
    });
    // The output's inputs, not the metafile's: those list every file parsed, including the
    // ones tree shaking then removed.
    const output = Object.values(result.metafile.outputs)[0];
    const inputs = Object.entries(output?.inputs ?? {})
      .filter(([, used]) => used.bytesInOutput > 0)
      .map(([input]) => input);
    results.push({ id: spec.id, file, bytes: (await stat(file)).size, inputs });
  }
  return results;
}

/**
 * The AWS SDK's schema files spell trait keys as computed keys over file-level string constants
 * (`{ [_xN]: _m }` where `const _xN = "xmlName"`). esbuild cannot prove such a key free of side
 * effects, so it kept every schema with one, and all they refer to: 560 KB of EC2 shapes for
 * one DescribeInstances call. Writing each key as the string literal it names changes no value
 * and lets tree shaking drop the unused shapes (resolve-targets: 1.7 MB to 0.44 MB).
 */
const literalSchemaKeys: Plugin = {
  name: 'signet-literal-schema-keys',
  setup(pluginBuild) {
    pluginBuild.onLoad(
      { filter: /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/].*schemas[\\/]schemas_\d+\.js$/ },
      async ({ path }) => {
        const source = await readFile(path, 'utf8');
        const constants = new Map<string, string>();
        for (const match of source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) {
          const [, name, literal] = match;
          if (name !== undefined && literal !== undefined) constants.set(name, literal);
        }
        const contents = source.replace(/\[(_\w+)\]:/g, (computed, name: string) => {
          const literal = constants.get(name);
          return literal === undefined ? computed : `[${literal}]:`;
        });
        return { contents, loader: 'js' };
      },
    );
  },
};

if (import.meta.main) {
  for (const result of await bundleFunctions()) {
    process.stdout.write(
      `${result.id.padEnd(18)} ${(result.bytes / 1024).toFixed(0).padStart(6)} KiB\n`,
    );
  }
}
