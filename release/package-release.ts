import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cp, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputInvalid } from '../core/errors.ts';
import { isAppName, isVersion } from '../core/release-names.ts';
import { runTool } from './run-tool.ts';

/** The release metadata file at the archive's root: the signed statement of app and version. */
export const RELEASE_METADATA_FILE = 'signet-release.json';

export interface PackageOptions {
  readonly sourceDir: string;
  readonly app: string;
  readonly version: string;
  readonly outFile: string;
  /** Who made the release (a person, or CI's run id): recorded in the signed metadata. */
  readonly createdBy?: string;
  /** Where it was built from (a commit, a URL): recorded in the signed metadata. */
  readonly source?: string;
  readonly now?: Date;
}

export interface PackagedRelease {
  readonly file: string;
  readonly sha256: string;
  readonly size: number;
}

/**
 * Packs a build directory into the artifact Signet deploys: a gzip'd tar whose root holds the
 * app's files, its appspec.yml and signet-release.json. Entries are sorted and owned by root
 * with one timestamp, so the same input makes the same bytes.
 */
export async function packageRelease(options: PackageOptions): Promise<PackagedRelease> {
  if (!isAppName(options.app)) throw new InputInvalid(`${options.app} is not a valid app name`);
  if (!isVersion(options.version))
    throw new InputInvalid(`${options.version} is not a valid version`);

  const staging = await mkdtemp(join(tmpdir(), 'signet-release-'));
  try {
    const tree = join(staging, 'tree');
    await cp(options.sourceDir, tree, { recursive: true, verbatimSymlinks: true });
    const createdAt = (options.now ?? new Date()).toISOString();
    const metadata = {
      app: options.app,
      version: options.version,
      createdAt,
      ...(options.createdBy === undefined ? {} : { createdBy: options.createdBy }),
      ...(options.source === undefined ? {} : { source: options.source }),
    };
    await writeFile(join(tree, RELEASE_METADATA_FILE), `${JSON.stringify(metadata, null, 2)}\n`);
    await runTool('tar', [
      '--create',
      '--gzip',
      '--file',
      options.outFile,
      '--sort=name',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      `--mtime=${createdAt}`,
      '--directory',
      tree,
      '.',
    ]);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return {
    file: options.outFile,
    sha256: await sha256File(options.outFile),
    size: (await stat(options.outFile)).size,
  };
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
