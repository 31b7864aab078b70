/** Shared inputs for the verification tests: releases, GNU tar archives, chunked streams. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { ArchiveScan, type ArchiveScanResult } from '../../../core/verification/archive-scan.ts';
import { DEFAULT_ARCHIVE_LIMITS } from '../../../core/verification/constants.ts';
import type { ArchiveLimits } from '../../../core/verification/types.ts';
import { tarEntry } from '../../helpers/tar-builder.ts';

const run = promisify(execFile);

export const APPSPEC_TEXT =
  'version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: bin/start.sh\n';

export function metadataJson(app = 'web', version = '1.4.0', extra: object = {}): string {
  return JSON.stringify({ app, version, createdAt: '2026-12-04T16:00:00Z', ...extra });
}

/** The two root files every release needs, as tar entries. */
export function releaseRootEntries(app = 'web', version = '1.4.0'): Uint8Array[] {
  return [
    tarEntry({ name: 'signet-release.json', data: metadataJson(app, version) }),
    tarEntry({ name: 'appspec.yml', data: APPSPEC_TEXT }),
  ];
}

/** A file tree for `tar czf`: text content, or a symlink target. */
export type TreeSpec = Readonly<Record<string, string | { readonly symlink: string }>>;

/** Writes the tree to a temp dir and archives it with GNU tar, as a person releasing would. */
export async function gnuTarGz(
  tree: TreeSpec,
  tarArgs: readonly string[] = [],
): Promise<Uint8Array> {
  const root = await mkdtemp(join(tmpdir(), 'signet-tree-'));
  try {
    const source = join(root, 'build');
    await mkdir(source);
    for (const [path, content] of Object.entries(tree)) {
      await mkdir(dirname(join(source, path)), { recursive: true });
      if (typeof content === 'string') await writeFile(join(source, path), content);
      else await symlink(content.symlink, join(source, path));
    }
    const output = join(root, 'release.tar.gz');
    await run('tar', [...tarArgs, '-czf', output, '-C', source, '.']);
    return new Uint8Array(await readFile(output));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** A minimal valid release tree. */
export function releaseTree(extra: TreeSpec = {}): TreeSpec {
  return {
    'signet-release.json': metadataJson(),
    'appspec.yml': APPSPEC_TEXT,
    'bin/start.sh': '#!/bin/sh\nexec node server.js\n',
    ...extra,
  };
}

/** Splits bytes into an async stream of `size`-byte chunks, as S3's Body would deliver them. */
export async function* chunksOf(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) {
    yield bytes.subarray(offset, offset + size);
  }
}

/** Runs the archive scan alone (no signature) over gzip'd bytes. */
export async function scanArchive(
  gzipped: Uint8Array,
  limits: Partial<ArchiveLimits> = {},
  chunkSize = 64 * 1024,
): Promise<ArchiveScanResult> {
  const scan = new ArchiveScan('web', { ...DEFAULT_ARCHIVE_LIMITS, ...limits });
  for await (const chunk of chunksOf(gzipped, chunkSize)) await scan.write(chunk);
  return scan.finish();
}

/** Asserts the error's name and that its message contains every fragment. */
export function expectError(error: unknown, name: string, ...fragments: string[]): void {
  expect(error).toBeInstanceOf(Error);
  const { name: actualName, message } = error as Error;
  expect({ name: actualName, message }).toMatchObject({ name });
  for (const fragment of fragments) expect(message).toContain(fragment);
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** The error a function throws; fails the test if it returns. */
export function errorThrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, but the function returned');
}
