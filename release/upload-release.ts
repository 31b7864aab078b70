import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { bareEtag } from '../core/artifact-objects.ts';
import { artifactKey, KMS_SIGNATURE_SUFFIX } from '../core/release-names.ts';

export interface UploadOptions {
  readonly bucket: string;
  readonly app: string;
  readonly version: string;
  readonly artifactFile: string;
  readonly artifactSha256: string;
  /** `.sig` or `.asc` (OpenPGP) or `.kms.json` (KMS): uploaded under the same suffix. */
  readonly signatureFile: string;
  /** Recorded as object metadata: S3's own record of the uploader is in CloudTrail. */
  readonly releasedBy?: string;
}

export interface UploadedRelease {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
  readonly etag: string;
  readonly signatureKey: string;
}

/**
 * Uploads the signature first and the artifact second, so the deployment the artifact starts
 * finds its signature at once (the other order works too: verification waits a while for it).
 * The artifact carries its SHA-256 so S3 itself rejects a corrupted upload.
 */
export async function uploadRelease(
  s3: S3Client,
  options: UploadOptions,
): Promise<UploadedRelease> {
  const key = artifactKey(options);
  const suffix = signatureSuffixOf(options.signatureFile);
  const signatureKey = `${key}${suffix}`;
  await s3.send(
    new PutObjectCommand({
      Bucket: options.bucket,
      Key: signatureKey,
      Body: await readFile(options.signatureFile),
      ContentType:
        suffix === KMS_SIGNATURE_SUFFIX ? 'application/json' : 'application/pgp-signature',
    }),
  );
  const result = await s3.send(
    new PutObjectCommand({
      Bucket: options.bucket,
      Key: key,
      Body: createReadStream(options.artifactFile),
      ContentLength: (await stat(options.artifactFile)).size,
      ContentType: 'application/gzip',
      ChecksumSHA256: Buffer.from(options.artifactSha256, 'hex').toString('base64'),
      Metadata: options.releasedBy === undefined ? {} : { 'released-by': options.releasedBy },
    }),
  );
  return {
    bucket: options.bucket,
    key,
    versionId: result.VersionId ?? null,
    etag: bareEtag(result.ETag ?? ''),
    signatureKey,
  };
}

function signatureSuffixOf(file: string): string {
  if (file.endsWith(KMS_SIGNATURE_SUFFIX)) return KMS_SIGNATURE_SUFFIX;
  return file.endsWith('.asc') ? '.asc' : '.sig';
}
