/**
 * One temporary host for a test file: a SIGNET_HOME, an artifact server, and helpers that
 * package a release, run the host script against it and read what it left on disk.
 */

import { chmodSync, existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { type ArtifactServer, startArtifactServer } from './artifact-server.ts';
import { type RunOptions, type RunResult, runHost } from './host-script.ts';
import { killProcessesOf } from './processes.ts';
import { makeTempDir, packRelease, type ReleaseSpec, removeDir, writeRelease } from './releases.ts';

export interface PublishedRelease {
  readonly version: string;
  readonly url: string;
  readonly sha256: string;
  /** The release tree the artifact was made from. */
  readonly source: string;
}

export class HostFixture {
  readonly root: string;
  readonly home: string;
  readonly hookLog: string;
  readonly #server: ArtifactServer;
  #counter = 0;

  private constructor(root: string, server: ArtifactServer) {
    this.root = root;
    this.home = join(root, 'home');
    this.hookLog = join(root, 'hooks.log');
    this.#server = server;
  }

  static async start(): Promise<HostFixture> {
    const root = makeTempDir('signet-host-');
    // Hooks with runas run as another user, who must be able to reach the release.
    chmodSync(root, 0o755);
    return new HostFixture(root, await startArtifactServer());
  }

  async close(): Promise<void> {
    await this.#server.close();
    killProcessesOf(this.home);
    removeDir(this.root);
  }

  get appDir(): string {
    return join(this.home, 'web');
  }

  /** Writes a release tree, packs it with tar and serves it. */
  publish(version: string, spec?: ReleaseSpec): PublishedRelease {
    const id = `${version}-${++this.#counter}`;
    const source = join(this.root, 'src', id);
    writeRelease(source, spec);
    return this.publishTree(version, source);
  }

  /** Packs an existing tree (tar's own members list) and serves it. */
  publishTree(version: string, source: string, members?: readonly string[]): PublishedRelease {
    const artifact = join(this.root, `artifact-${++this.#counter}.tar.gz`);
    const sha256 = packRelease(source, artifact, members);
    return {
      version,
      url: this.#server.publish(`a${this.#counter}.tar.gz`, artifact),
      sha256,
      source,
    };
  }

  /** Serves a tarball a test built itself. */
  publishFile(version: string, artifact: string, sha256: string): PublishedRelease {
    const url = this.#server.publish(`f${++this.#counter}.tar.gz`, artifact);
    return { version, url, sha256, source: '' };
  }

  missingUrl(): string {
    return this.#server.missingUrl();
  }

  run(parameters: Readonly<Record<string, string | null>>, options: RunOptions = {}) {
    return runHost(parameters, {
      ...options,
      env: { SIGNET_HOME: this.home, SIGNET_TEST_LOG: this.hookLog, ...options.env },
    });
  }

  install(release: PublishedRelease, extra: Record<string, string> = {}): Promise<RunResult> {
    return this.run({
      Action: 'install',
      Version: release.version,
      ArtifactUrl: release.url,
      ArtifactSha256: release.sha256,
      ...extra,
    });
  }

  /** The version `current` points to, or null. */
  current(): string | null {
    const link = join(this.appDir, 'current');
    if (!existsSync(join(this.appDir))) return null;
    try {
      return readlinkSync(link).replace(/^releases\//, '');
    } catch {
      return null;
    }
  }

  releases(): string[] {
    const dir = join(this.appDir, 'releases');
    return existsSync(dir) ? readdirSync(dir).sort() : [];
  }

  /** Entries left in staging/: should always be none once a command ended. */
  staging(): string[] {
    const dir = join(this.appDir, 'staging');
    return existsSync(dir) ? readdirSync(dir) : [];
  }

  /** Lines "<hook> <version>" in the order hooks ran; the log is then emptied. */
  takeHookLog(): string[] {
    if (!existsSync(this.hookLog)) return [];
    const lines = readFileSync(this.hookLog, 'utf8').split('\n').filter(Boolean);
    removeDir(this.hookLog);
    return lines;
  }
}
