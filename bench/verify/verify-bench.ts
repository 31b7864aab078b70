/**
 * Part 1, verify: Signet's verification pass against the tools a user would otherwise run, on
 * the same files in the same run. Each Signet measure runs in a child process (time and peak
 * RSS are its own); each number is the best of `repeats` runs.
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { bestOf, bestOfEach, MiB, runPipeline, runTimed } from '../measure.ts';
import { type BenchRow, infoRow, ratioRow } from '../table.ts';
import {
  type ArtifactKind,
  type BenchArtifact,
  formatSize,
  makeArtifact,
  makeSigningKey,
  writePublicKey,
} from './inputs.ts';
import type { VerifySample } from './verify-child.ts';

const CHILD = join(import.meta.dirname, 'verify-child.ts');
const PART = 'verify';

export interface VerifyBenchOptions {
  /** Compressed artifact sizes, smallest first; the RSS target compares the last with the first. */
  readonly sizes: readonly number[];
  readonly kinds: readonly ArtifactKind[];
  readonly repeats: number;
  /** A fresh temporary directory; the caller removes it. */
  readonly workDir: string;
  readonly progress: (message: string) => void;
}

export async function benchVerify(options: VerifyBenchOptions): Promise<BenchRow[]> {
  const key = await makeSigningKey(join(options.workDir, 'gnupg'));
  const keyFile = await writePublicKey(options.workDir, key);
  const gpgEnv = { ...process.env, GNUPGHOME: key.gnupgHome };
  const warmUp = await makeArtifact(options.workDir, 'random', 64 * 1024, key);
  const rows: BenchRow[] = [];
  let coldStartMs = Number.POSITIVE_INFINITY;
  for (const kind of options.kinds) {
    const peakRss: number[] = [];
    for (const size of options.sizes) {
      options.progress(`verify: making a ${kind} artifact of ${formatSize(size)}`);
      const artifact = await makeArtifact(options.workDir, kind, size, key);
      try {
        options.progress(
          `verify: measuring ${artifact.label} (${artifact.entries} entries, ` +
            `${Math.round(artifact.unpackedBytes / MiB)} MiB unpacked)`,
        );
        const measured = await measureArtifact(artifact, warmUp, keyFile, gpgEnv, options.repeats);
        rows.push(...rowsFor(artifact, measured));
        peakRss.push(measured.peakRssKiB / 1024);
        coldStartMs = Math.min(coldStartMs, measured.whole.warmUpMs);
      } finally {
        await rm(artifact.file, { force: true });
        await rm(artifact.signatureFile, { force: true });
      }
    }
    const [smallest, largest] = [peakRss[0], peakRss[peakRss.length - 1]];
    const sizes = options.sizes;
    if (smallest !== undefined && largest !== undefined && sizes.length > 1) {
      rows.push(
        ratioRow(
          {
            part: PART,
            measure:
              `${kind}: peak RSS ${formatSize(sizes[sizes.length - 1] ?? 0)} ` +
              `vs ${formatSize(sizes[0] ?? 0)}`,
            signet: largest,
            baseline: smallest,
            unit: 'MiB',
            note: `highest maxRSS of the whole-pass runs, largest artifact vs smallest`,
          },
          1.1,
        ),
      );
    }
  }
  rows.push(
    infoRow({
      part: PART,
      measure: 'first verification in a process (64 KiB)',
      signet: coldStartMs,
      unit: 'ms',
      note: 'a cold Lambda pays this once (compiling openpgp, curve tables); the rest are warm',
    }),
  );
  return rows;
}

interface PassMeasure extends Record<string, number> {
  readonly ms: number;
  /** The first (small) verification in the process, which also pays for warming up. */
  readonly warmUpMs: number;
}

interface ArtifactMeasures {
  readonly openssl: number;
  readonly gzipTar: number;
  readonly gpg: number;
  readonly signature: PassMeasure;
  readonly whole: PassMeasure;
  /**
   * The highest peak RSS of the whole-pass runs, not the lowest: a peak depends on when the
   * garbage collector ran, and the lowest would favour a small artifact that ended before the
   * first collection.
   */
  readonly peakRssKiB: number;
}

async function measureArtifact(
  artifact: BenchArtifact,
  warmUp: BenchArtifact,
  keyFile: string,
  gpgEnv: NodeJS.ProcessEnv,
  repeats: number,
): Promise<ArtifactMeasures> {
  const { file, signatureFile } = artifact;
  let opensslDigest = '';
  const openssl = await bestOf(repeats, async () => {
    const run = await runTimed('openssl', ['dgst', '-sha256', '-r', file], { keepStdout: true });
    opensslDigest = run.stdout.split(' ')[0] ?? '';
    return run.ms;
  });
  const gzipTar = await bestOf(
    repeats,
    async () => (await runPipeline('gzip -dc -- "$1" | tar -t > /dev/null', [file])).ms,
  );
  const gpg = await bestOf(
    repeats,
    async () =>
      (await runTimed('gpg', ['--batch', '--verify', signatureFile, file], { env: gpgEnv })).ms,
  );
  let peakRssKiB = 0;
  const pass = (mode: 'whole' | 'signature') => async (): Promise<PassMeasure> => {
    const { ms, maxRssKiB, warmUpMs, sha256 } = await runChild(mode, artifact, warmUp, keyFile);
    if (sha256 !== opensslDigest) {
      throw new Error(`Signet's SHA-256 ${sha256} differs from openssl's ${opensslDigest}`);
    }
    if (mode === 'whole') peakRssKiB = Math.max(peakRssKiB, maxRssKiB);
    return { ms, warmUpMs };
  };
  const signature = await bestOfEach(repeats, pass('signature'));
  const whole = await bestOfEach(repeats, pass('whole'));
  return { openssl, gzipTar, gpg, signature, whole, peakRssKiB };
}

function rowsFor(artifact: BenchArtifact, m: ArtifactMeasures): BenchRow[] {
  const slower = Math.max(m.openssl, m.gzipTar);
  return [
    ratioRow(
      {
        part: PART,
        measure: `${artifact.label}: signature + checksum`,
        signet: m.signature.ms,
        baseline: m.openssl,
        unit: 'ms',
        note: 'baseline: openssl dgst -sha256',
      },
      1.25,
    ),
    ratioRow(
      {
        part: PART,
        measure: `${artifact.label}: whole pass`,
        signet: m.whole.ms,
        baseline: slower,
        unit: 'ms',
        note:
          `baseline: the slower of openssl (${m.openssl.toFixed(0)} ms) and ` +
          `gzip -dc | tar -t (${m.gzipTar.toFixed(0)} ms); ${artifact.entries} entries`,
      },
      1.1,
    ),
    infoRow({
      part: PART,
      measure: `${artifact.label}: whole pass vs gpg --verify`,
      signet: m.whole.ms,
      baseline: m.gpg,
      unit: 'ms',
      note: 'baseline: gpg --verify (signature and hashing only, no archive scan)',
    }),
  ];
}

function runChild(
  mode: 'whole' | 'signature',
  artifact: BenchArtifact,
  warmUp: BenchArtifact,
  keyFile: string,
) {
  return new Promise<VerifySample>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        CHILD,
        mode,
        artifact.file,
        artifact.signatureFile,
        keyFile,
        warmUp.file,
        warmUp.signatureFile,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) {
        const stderr = Buffer.concat(err).toString('utf8').trim().slice(-800);
        reject(new Error(`verifying ${artifact.label} failed (exit ${code}): ${stderr}`));
        return;
      }
      resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as VerifySample);
    });
  });
}
