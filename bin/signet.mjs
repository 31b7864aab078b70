#!/usr/bin/env node
// Entry point that runs on any Node.js: Signet itself needs Node >= 22 (its TypeScript runs by
// type stripping, and its local Step Functions interpreter uses Promise.withResolvers). On an
// older runtime it re-runs itself with the Node 24 that `npm ci` installs from the `node`
// package, and fails loudly if that is missing rather than misbehaving later.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MINIMUM_MAJOR = 22;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);

if (major >= MINIMUM_MAJOR) {
  await import(join(root, 'cli', 'main.ts'));
} else {
  const bundledNode = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(bundledNode)) {
    process.stderr.write(
      `signet: Node.js ${process.versions.node} is too old (need >= ${MINIMUM_MAJOR}) and the ` +
        'project-local Node 24 is missing. Run `npm ci` in the Signet checkout first.\n',
    );
    process.exit(70);
  }
  const result = spawnSync(
    bundledNode,
    [fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  process.exit(result.status ?? 70);
}
