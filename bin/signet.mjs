#!/usr/bin/env node
// Entry point that runs on any Node.js: Signet itself needs Node >= 22 (its TypeScript runs by
// type stripping, and its local Step Functions interpreter uses Promise.withResolvers). On an
// older runtime it runs itself again with the Node 24 that `npm ci` installs from the `node`
// package, passing Ctrl-C on to it, and fails loudly if that is missing.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MINIMUM_MAJOR = 22;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);

if (major >= MINIMUM_MAJOR) {
  const { main } = await import(pathToFileURL(join(root, 'cli', 'main.ts')).href);
  await main(process.argv.slice(2));
} else {
  const bundledNode = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(bundledNode)) {
    process.stderr.write(
      `signet: Node.js ${process.versions.node} is too old (need >= ${MINIMUM_MAJOR}) and the ` +
        'project-local Node 24 is missing. Run `npm ci` in the Signet checkout first.\n',
    );
    process.exit(3);
  }
  const child = spawn(bundledNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  // A terminal's Ctrl-C reaches both processes; a `kill -INT` of this one alone must still stop
  // the child, or `signet local up` would keep running without a parent.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 2 : 70)));
}
