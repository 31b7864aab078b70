/**
 * One verification in a process of its own, so its peak RSS is its own:
 *
 *   node bench/verify/verify-child.ts <whole|signature> <artifact> <signature> <public key> \
 *     <warm-up artifact> <warm-up signature>
 *
 * `whole` is verifyArtifactStream, exactly as the verify Lambda calls it. `signature` is the
 * same pass without the archive scan: the signature and checksum alone. A small artifact is
 * verified first, as a warm Lambda already has: the first verification in a process also pays
 * for compiling openpgp's code and its curve tables, once. Prints one JSON line: the measured
 * pass's milliseconds, the warm-up's, peak RSS in KiB, and the SHA-256.
 */
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { readExactly } from '../../core/verification/artifact-reader.ts';
import { ChunkCoalescer } from '../../core/verification/chunk-coalescer.ts';
import { parseTrustedKeys, verifyArtifactStream } from '../../core/verification/index.ts';
import { readPendingSignature } from '../../core/verification/pending-signature.ts';
import { SignatureDigests } from '../../core/verification/signature-digests.ts';
import type { VerifyArtifactInput } from '../../core/verification/types.ts';
import { PASS_BLOCK_BYTES } from '../../core/verification/verify-artifact-stream.ts';
import { BENCH_APP } from './inputs.ts';

/**
 * Reads the file in blocks of the pass's own size into two buffers it reuses, reading the next
 * block while the pass works on this one: the harness makes no garbage of its own (a fresh
 * buffer a read would cost the pass a full GC every 64 MB), as openssl reuses its buffer too.
 * Safe because the pass is done with a block when its promise settles, before it asks for the
 * next. On Lambda the S3 body's socket reads are smaller and fresh, and the pass joins them
 * into blocks of this size.
 */
async function* readBlocks(file: string): AsyncGenerator<Uint8Array> {
  const handle = await open(file, 'r');
  const buffers = [Buffer.allocUnsafe(PASS_BLOCK_BYTES), Buffer.allocUnsafe(PASS_BLOCK_BYTES)];
  const readInto = (buffer: Buffer) => handle.read(buffer, 0, buffer.length, null);
  let pending = readInto(buffers[0] as Buffer);
  try {
    for (let n = 1; ; n += 1) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) return;
      pending = readInto(buffers[n % 2] as Buffer);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await pending.catch(() => undefined);
    await handle.close();
  }
}

export interface VerifySample {
  readonly ms: number;
  readonly warmUpMs: number;
  readonly maxRssKiB: number;
  readonly sha256: string;
}

async function signatureAndChecksum(input: VerifyArtifactInput): Promise<string> {
  const signature = await readPendingSignature(input);
  const artifactHash = createHash('sha256');
  const digests = new SignatureDigests(signature.digestPackets, artifactHash);
  // The same blocks as verifyArtifactStream's pass, without gunzip and the tar scanner.
  const blocks = new ChunkCoalescer(PASS_BLOCK_BYTES, (block) => {
    artifactHash.update(block);
    digests.update(block);
    return undefined;
  });
  await readExactly(input.app, input.artifact, input.expectedSize, (chunk) => blocks.push(chunk));
  await blocks.flush();
  const packetDigests = digests.finish();
  const digest = new Uint8Array(artifactHash.digest());
  await signature.decide(digest, packetDigests);
  return Buffer.from(digest).toString('hex');
}

async function verifyFile(
  mode: string,
  artifactFile: string,
  signatureFile: string,
  trustedKeys: VerifyArtifactInput['trustedKeys'],
): Promise<{ ms: number; sha256: string }> {
  const input: VerifyArtifactInput = {
    app: BENCH_APP,
    artifact: readBlocks(artifactFile),
    expectedSize: (await stat(artifactFile)).size,
    signature: new Uint8Array(await readFile(signatureFile)),
    trustedKeys,
  };
  const started = performance.now();
  const sha256 =
    mode === 'signature'
      ? await signatureAndChecksum(input)
      : (await verifyArtifactStream(input)).sha256;
  return { ms: performance.now() - started, sha256 };
}

async function main(): Promise<void> {
  const [mode = '', artifactFile, signatureFile, keyFile, warmUpFile, warmUpSignature] =
    process.argv.slice(2);
  if (
    artifactFile === undefined ||
    signatureFile === undefined ||
    keyFile === undefined ||
    warmUpFile === undefined ||
    warmUpSignature === undefined
  ) {
    throw new Error('usage: verify-child.ts <mode> <artifact> <sig> <key> <warm-up> <warm-up sig>');
  }
  const trustedKeys = await parseTrustedKeys(BENCH_APP, [
    { label: 'bench', armoredPublicKey: await readFile(keyFile, 'utf8') },
  ]);
  const warmUp = await verifyFile(mode, warmUpFile, warmUpSignature, trustedKeys);
  const measured = await verifyFile(mode, artifactFile, signatureFile, trustedKeys);
  const sample: VerifySample = {
    ms: measured.ms,
    warmUpMs: warmUp.ms,
    maxRssKiB: process.resourceUsage().maxRSS,
    sha256: measured.sha256,
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

await main();
