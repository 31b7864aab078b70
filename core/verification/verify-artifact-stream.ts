import { createHash } from 'node:crypto';
import { readAppSpecText } from './appspec-text.ts';
import { ArchiveScan } from './archive-scan.ts';
import { readExactly } from './artifact-reader.ts';
import { ChunkCoalescer } from './chunk-coalescer.ts';
import { APPSPEC_FILE, DEFAULT_ARCHIVE_LIMITS, RELEASE_METADATA_FILE } from './constants.ts';
import { readPendingSignature } from './pending-signature.ts';
import { parseReleaseMetadata } from './release-metadata.ts';
import { SignatureDigests } from './signature-digests.ts';
import type { VerifiedArtifact, VerifyArtifactInput } from './types.ts';

/** Bytes hashed and inflated at a time; see ChunkCoalescer for why not the stream's reads. */
export const PASS_BLOCK_BYTES = 1024 * 1024;

/**
 * Verifies an artifact in one streaming pass: each chunk is counted, hashed (SHA-256 for the
 * record, and whatever an OpenPGP signature's hash is), and inflated into the tar scanner.
 * Memory stays flat whatever the artifact's size: reading pauses while gunzip is behind, and
 * nothing keeps more than a chunk, a tar header and the two small root files. A KMS signature
 * is checked after the pass by one KMS Verify call over the pass's SHA-256 digest.
 *
 * Throws, in this order of precedence: ArtifactReadIncomplete; then the signature's refusal
 * (SignatureMalformed, SignatureWeakHash, SignerNotTrusted, SignerRevoked, SignerExpired,
 * SignatureInvalid, or AwsThrottled when KMS could not answer); then the archive's
 * (ArtifactTooLarge, ArchiveInvalid, UnsafeArchiveEntry); then ReleaseMetadataInvalid and
 * AppSpecInvalid. Comparing the metadata with the S3 key is the caller's job.
 *
 * @example
 * const verified = await verifyArtifactStream({
 *   app: 'web', artifact: object.Body, expectedSize: object.ContentLength,
 *   signature: signatureBytes, trustedKeys: await parseTrustedKeys('web', keys),
 * });
 */
export async function verifyArtifactStream(input: VerifyArtifactInput): Promise<VerifiedArtifact> {
  const { app } = input;
  const limits = input.limits ?? DEFAULT_ARCHIVE_LIMITS;
  const signature = await readPendingSignature(input);
  const artifactHash = createHash('sha256');
  const digests = new SignatureDigests(signature.digestPackets, artifactHash);
  const archive = new ArchiveScan(app, limits);

  const blocks = new ChunkCoalescer(PASS_BLOCK_BYTES, (block) => {
    // gunzip first: it inflates on the thread pool while this thread hashes the same block.
    const gunzipReady = archive.write(block);
    artifactHash.update(block);
    digests.update(block);
    return gunzipReady;
  });
  let size: number;
  try {
    size = await readExactly(app, input.artifact, input.expectedSize, (chunk) =>
      blocks.push(chunk),
    );
    await blocks.flush();
  } catch (error) {
    archive.abort();
    throw error;
  }
  const signatureDigests = digests.finish();
  const digest = new Uint8Array(artifactHash.digest());
  const scan = await archive.finish();

  // The signature is the authority, so its verdict outranks the archive's: a tampered artifact
  // must read as SignatureInvalid, not as whatever its tampered bytes happen to look like, and
  // an archive fault is only worth reporting about bytes a trusted key vouched for.
  const signer = await signature.decide(digest, signatureDigests);
  if (scan.fault !== null) throw scan.fault;
  const metadata = parseReleaseMetadata(app, scan.rootFiles.get(RELEASE_METADATA_FILE));
  const appspecText = readAppSpecText(app, scan.rootFiles.get(APPSPEC_FILE));
  const sha256 = Buffer.from(digest).toString('hex');
  return { sha256, size, signer, metadata, appspecText, archive: scan.summary };
}
