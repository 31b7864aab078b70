import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustedKeys, verifyArtifactStream } from '../../../core/verification/index.ts';
import { GpgHome, type GpgKey } from '../../helpers/gpg.ts';
import { endOfArchive, tarHeader } from '../../helpers/tar-builder.ts';
import { releaseRootEntries } from './fixtures.ts';

const MiB = 1024 * 1024;
const PAYLOAD_BYTES = 64 * MiB;

/**
 * A release whose payload is 64 MiB of random bytes, written to disk without holding it.
 * gzip level 0 (stored blocks) keeps generation under a second (level 1 on random bytes takes
 * about four); verification still inflates and scans every byte.
 */
async function writeLargeRelease(path: string): Promise<void> {
  async function* tar() {
    yield* releaseRootEntries();
    yield tarHeader({ name: 'payload.bin', size: PAYLOAD_BYTES });
    for (let written = 0; written < PAYLOAD_BYTES; written += MiB) yield randomBytes(MiB);
    yield endOfArchive();
  }
  await pipeline(Readable.from(tar()), createGzip({ level: 0 }), createWriteStream(path));
}

describe('streaming verification', () => {
  let gpg: GpgHome;
  let key: GpgKey;
  let path: string;

  beforeAll(async () => {
    gpg = await GpgHome.create();
    key = await gpg.generateKey({ userId: 'CI <ci@example.test>', algorithm: 'ed25519' });
    path = join(gpg.dir, 'large.tar.gz');
    await writeLargeRelease(path);
  });

  afterAll(async () => {
    await gpg.dispose();
  });

  it('verifies a 64 MiB artifact while resident memory grows far less than its size', async () => {
    // Prepare
    const signature = await gpg.detachSign(path, { signer: key.fingerprint });
    const trustedKeys = await parseTrustedKeys('web', [
      { label: 'ci', armoredPublicKey: await gpg.exportPublicKey(key.fingerprint) },
    ]);
    const { size } = await stat(path);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);

    // Act
    const verified = await verifyArtifactStream({
      app: 'web',
      artifact: createReadStream(path),
      expectedSize: size,
      signature,
      trustedKeys,
    }).finally(() => clearInterval(sampler));
    peak = Math.max(peak, process.memoryUsage().rss);

    // Assess
    expect(size).toBeGreaterThan(PAYLOAD_BYTES);
    expect(verified.archive.regularFiles).toContain('payload.bin');
    expect(verified.archive.unpackedBytes).toBeGreaterThan(PAYLOAD_BYTES);
    expect(peak - baseline).toBeLessThan(48 * MiB);
  });
});
