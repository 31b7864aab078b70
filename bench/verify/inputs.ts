/**
 * The verify benchmark's artifacts, made in a temporary directory: a release whose payload is
 * random (incompressible, like a tarball of images or already-compressed files) and a
 * realistic one (tens of thousands of small, compressible source-like files), each at the
 * requested compressed size, signed with a throwaway gpg key exactly as a person would.
 */
import { randomFillSync } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';
import { exportPublicKey, generateSigningKey, signDetached } from '../../release/gpg.ts';
import { MiB } from '../measure.ts';
import { pseudoSourceText } from './pseudo-source.ts';
import { TAR_END, type TarEntryType, tarHeader, tarPadding } from './tar-writer.ts';

export type ArtifactKind = 'random' | 'realistic';

export interface BenchArtifact {
  readonly kind: ArtifactKind;
  readonly label: string;
  readonly file: string;
  readonly signatureFile: string;
  readonly bytes: number;
  readonly entries: number;
  readonly unpackedBytes: number;
}

export interface SigningKey {
  readonly gnupgHome: string;
  readonly fingerprint: string;
  readonly armoredPublicKey: string;
}

export const BENCH_APP = 'bench';

export async function makeSigningKey(gnupgHome: string): Promise<SigningKey> {
  const fingerprint = await generateSigningKey('Signet Bench <bench@signet.invalid>', {
    home: gnupgHome,
  });
  const armoredPublicKey = await exportPublicKey(fingerprint, { home: gnupgHome });
  return { gnupgHome, fingerprint, armoredPublicKey };
}

/** Writes and signs one artifact of about `bytes` compressed bytes. */
export async function makeArtifact(
  dir: string,
  kind: ArtifactKind,
  bytes: number,
  key: SigningKey,
): Promise<BenchArtifact> {
  const label = `${kind} ${formatSize(bytes)}`;
  const file = join(dir, `${kind}-${bytes}.tar.gz`);
  const made =
    kind === 'random' ? await writeRandom(file, bytes) : await writeRealistic(file, bytes);
  const signatureFile = await signDetached(file, { home: key.gnupgHome });
  return { kind, label, file, signatureFile, bytes: (await stat(file)).size, ...made };
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * MiB ? `${bytes / 1024 / MiB} GiB` : `${bytes / MiB} MiB`;
}

interface Written {
  readonly entries: number;
  readonly unpackedBytes: number;
}

/** A tar.gz being written: entries go in, gzip's output bytes are counted as they leave. */
class TarGzWriter {
  readonly #gzip: Gzip;
  readonly #done: Promise<unknown>;
  compressedBytes = 0;
  unpackedBytes = 0;
  entries = 0;

  constructor(file: string, level: number) {
    this.#gzip = createGzip({ level, chunkSize: 256 * 1024 });
    const out = createWriteStream(file);
    this.#gzip.on('data', (chunk: Buffer) => {
      this.compressedBytes += chunk.length;
    });
    this.#gzip.pipe(out);
    this.#done = once(out, 'close');
  }

  async add(name: string, type: TarEntryType, data: Buffer = Buffer.alloc(0)): Promise<void> {
    this.entries += 1;
    await this.#write(tarHeader(name, type, data.length));
    if (data.length > 0) {
      await this.#write(data);
      await this.#write(tarPadding(data.length));
    }
  }

  async close(): Promise<Written> {
    await this.#write(TAR_END);
    this.#gzip.end();
    await this.#done;
    return { entries: this.entries, unpackedBytes: this.unpackedBytes };
  }

  async #write(chunk: Buffer): Promise<void> {
    this.unpackedBytes += chunk.length;
    if (!this.#gzip.write(chunk)) await once(this.#gzip, 'drain');
  }
}

async function addRootFiles(tar: TarGzWriter): Promise<void> {
  const metadata = { app: BENCH_APP, version: '1.0.0', createdBy: 'signet bench' };
  await tar.add('signet-release.json', 'file', Buffer.from(JSON.stringify(metadata)));
  await tar.add('appspec.yml', 'file', Buffer.from('version: 0.0\nos: linux\n'));
}

/** Random payload files of 8 MiB, stored (gzip level 0), as gzip stores what it cannot shrink. */
async function writeRandom(file: string, bytes: number): Promise<Written> {
  const tar = new TarGzWriter(file, 0);
  await addRootFiles(tar);
  await tar.add('data', 'directory');
  const block = Buffer.alloc(8 * MiB);
  for (let n = 0; tar.unpackedBytes < bytes; n += 1) {
    const size = Math.min(block.length, Math.max(1024, bytes - tar.unpackedBytes - 4096));
    await tar.add(`data/blob-${n}.bin`, 'file', randomFillSync(block).subarray(0, size));
  }
  return tar.close();
}

/**
 * Source-like text files in nested directories, 20 to a directory. gzip -1 shrinks this text
 * about 3.5x (the 4 GiB unpacked cap stays out of reach at 1 GiB); file sizes are set so that
 * a 64 MiB artifact holds about 20 000 entries and a 1 GiB one about 50 000 (the entry cap is
 * 100 000).
 */
async function writeRealistic(file: string, bytes: number): Promise<Written> {
  const tar = new TarGzWriter(file, 1);
  await addRootFiles(tar);
  const text = pseudoSourceText(8 * MiB);
  const entries = bytes <= 256 * MiB ? 20_000 : 50_000;
  const meanSize = Math.max(1024, Math.round((3.5 * bytes) / entries));
  let offset = 0;
  await tar.add('src', 'directory');
  for (let dir = 0; tar.compressedBytes < bytes; dir += 1) {
    const dirName = `src/module-${String(dir).padStart(5, '0')}`;
    await tar.add(dirName, 'directory');
    for (let n = 0; n < 19 && tar.compressedBytes < bytes; n += 1) {
      // Sizes spread evenly from a quarter to 1.75 times the mean, the same every run.
      const spread = ((dir * 7919 + n * 104_729) % 1000) / 1000;
      const size = Math.round(meanSize * (0.25 + 1.5 * spread));
      if (offset + size > text.length) offset = (offset * 31 + 4099) % (text.length - size);
      await tar.add(`${dirName}/file-${n}.js`, 'file', text.subarray(offset, offset + size));
      offset += size;
    }
  }
  return tar.close();
}

/** The public key file gpg and Signet both read. */
export async function writePublicKey(dir: string, key: SigningKey): Promise<string> {
  const file = join(dir, 'public-key.asc');
  await writeFile(file, key.armoredPublicKey);
  return file;
}
