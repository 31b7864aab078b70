/**
 * Imports one Lambda bundle in a fresh process and prints how long the import took, in ms:
 *
 *   node bench/bundles/import-child.ts dist/functions/emit-event/index.mjs
 *
 * A fresh process each time, so nothing is cached: what a Lambda cold start pays for the code.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: import-child.ts <bundle file>');
const url = pathToFileURL(file).href;
const started = performance.now();
const module: Record<string, unknown> = await import(url);
const ms = performance.now() - started;
if (typeof module['handler'] !== 'function') throw new Error(`${file} exports no handler`);
process.stdout.write(`${JSON.stringify({ ms })}\n`);
