import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FetchedSignature } from '../../core/artifact-objects.ts';
import { SignatureMalformed } from '../../core/errors.ts';
import { SIGNATURE_SUFFIXES } from '../../core/release-names.ts';

const ABSENT = ['NotFound', 'NoSuchKey', 'NoSuchVersion'];

/**
 * Refuses an artifact with more than one signature object next to it (`.sig`, `.asc`,
 * `.kms.json`). Only one is verified, the first in that order, so a second one would be
 * silently ignored: a garbage `.sig` would hide a valid `.asc` behind a refusal that never
 * mentions it, and a valid `.sig` would let an unverified `.asc` lie beside it. Users expect
 * either every object to count or to be told; Signet tells them, naming every object found.
 */
export async function refuseSeveralSignatures(
  s3: S3Client,
  bucket: string,
  artifactKey: string,
  chosen: FetchedSignature,
): Promise<void> {
  const others: string[] = [];
  for (const suffix of SIGNATURE_SUFFIXES) {
    const key = `${artifactKey}${suffix}`;
    if (key === chosen.key) continue;
    if (await exists(s3, bucket, key)) others.push(key);
  }
  if (others.length === 0) return;
  const found = [chosen.key, ...others];
  throw new SignatureMalformed(
    `Several signature objects next to s3://${bucket}/${artifactKey}: ${found.join(', ')}. ` +
      'Signet verifies exactly one signature object per artifact: delete all but one and ' +
      'upload the artifact again',
    { details: { bucket, key: artifactKey, signatures: found } },
  );
}

async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (ABSENT.includes((error as Error).name)) return false;
    throw error;
  }
}
