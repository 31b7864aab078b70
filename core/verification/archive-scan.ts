import type { Gunzip } from 'node:zlib';
import { createGunzip } from 'node:zlib';
import { ArchiveInvalid, ArtifactTooLarge } from '../errors.ts';
import { ArchivePolicy } from './archive-policy.ts';
import type { RootFiles } from './root-files.ts';
import { TarScanner } from './tar-scanner.ts';
import type { ArchiveLimits, ArchiveSummary } from './types.ts';

/**
 * gunzip's output chunk. Each chunk is one hand-off between the thread pool and JS, so larger
 * chunks inflate faster (a 250 MB tar: 256 KiB chunks about 2x faster than 64 KiB, and 64 KiB
 * far faster than zlib's 16 KiB default). An inflation bomb may pass the unpacked-size cap by
 * one chunk before it is stopped, so the chunk stays within 1/64 of the cap, and at least
 * 64 KiB.
 */
export function inflateChunkBytes(maxUnpackedBytes: number): number {
  // `|| 0`: a cap that is not a number gets the smallest chunk.
  return Math.min(256 * 1024, Math.max(64 * 1024, Math.floor(maxUnpackedBytes / 64) || 0));
}

export interface ArchiveScanResult {
  /** The first fault found, or null when the archive passed every rule. */
  readonly fault: unknown;
  readonly summary: ArchiveSummary;
  readonly rootFiles: RootFiles;
}

/**
 * gunzip -> tar scanner -> entry rules, fed the artifact's bytes as they are read. The first
 * fault is kept and the rest of the artifact is no longer inflated: the verdict is already
 * known, and an inflation bomb then costs at most the unpacked-size cap (plus one chunk).
 */
export class ArchiveScan {
  readonly #app: string;
  readonly #limits: ArchiveLimits;
  readonly #gunzip: Gunzip;
  readonly #policy: ArchivePolicy;
  readonly #scanner: TarScanner;
  readonly #settled: Promise<void>;
  #fault: unknown = null;
  #stopped = false;
  #inflatedBytes = 0;

  constructor(app: string, limits: ArchiveLimits) {
    this.#app = app;
    this.#limits = limits;
    this.#gunzip = createGunzip({ chunkSize: inflateChunkBytes(limits.maxUnpackedBytes) });
    this.#policy = new ArchivePolicy(app, limits);
    this.#scanner = new TarScanner(app, this.#policy, limits.maxPathLength);
    this.#settled = new Promise((resolve) => {
      this.#gunzip.once('end', resolve);
      this.#gunzip.once('close', resolve);
    });
    this.#gunzip.on('data', (chunk: Buffer) => this.#onInflated(chunk));
    this.#gunzip.on('error', (error) => {
      this.#stop(
        new ArchiveInvalid(
          `app ${app}: the artifact is not a valid gzip stream (${error.message})`,
          {
            details: { app },
            cause: error,
          },
        ),
      );
    });
  }

  /**
   * Hands the next artifact bytes to gunzip, which inflates them on libuv's thread pool.
   * Returns a promise when gunzip wants no more until it drains, so the caller pauses reading.
   */
  write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.#stopped) return undefined;
    if (this.#gunzip.write(chunk)) return undefined;
    return new Promise((resolve) => {
      const done = () => {
        this.#gunzip.off('drain', done).off('close', done);
        resolve();
      };
      this.#gunzip.once('drain', done).once('close', done);
    });
  }

  /** After the artifact's last byte: ends gunzip, checks the tar stream ended cleanly. */
  async finish(): Promise<ArchiveScanResult> {
    if (!this.#stopped) this.#gunzip.end();
    await this.#settled;
    if (this.#fault === null) {
      try {
        this.#scanner.finish();
        this.#policy.finish();
      } catch (error) {
        this.#fault = error;
      }
    }
    return {
      fault: this.#fault,
      summary: {
        entries: this.#policy.entries,
        unpackedBytes: this.#inflatedBytes,
        regularFiles: this.#policy.regularFiles,
      },
      rootFiles: this.#policy.rootFiles,
    };
  }

  /** Releases zlib's memory when the read failed and no verdict on the archive is needed. */
  abort(): void {
    this.#stopped = true;
    this.#gunzip.destroy();
  }

  #onInflated(chunk: Buffer): void {
    if (this.#stopped) return;
    this.#inflatedBytes += chunk.length;
    if (this.#inflatedBytes > this.#limits.maxUnpackedBytes) {
      const { maxUnpackedBytes } = this.#limits;
      this.#stop(
        new ArtifactTooLarge(
          `app ${this.#app}: the archive inflates past the cap of ${maxUnpackedBytes} bytes`,
          { details: { app: this.#app, maxUnpackedBytes, inflatedBytes: this.#inflatedBytes } },
        ),
      );
      return;
    }
    try {
      this.#scanner.write(chunk);
    } catch (error) {
      this.#stop(error);
    }
  }

  #stop(fault: unknown): void {
    if (this.#fault === null) this.#fault = fault;
    if (this.#stopped) return;
    this.#stopped = true;
    this.#gunzip.destroy();
  }
}
