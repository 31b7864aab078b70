import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ArtifactChanged, SignatureMalformed, SignatureMissing } from './errors.ts';
import { SIGNATURE_SUFFIXES } from './release-names.ts';

/** An artifact pinned to exact bytes: by version id, or by ETag on an unversioned bucket. */
export interface PinnedObject {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
  readonly etag: string | null;
}

// Signatures are a few hundred bytes; anything this large is not one.
const MAX_SIGNATURE_BYTES = 64 * 1024;

/** HEAD of the pinned object; ArtifactChanged when that version is gone or was replaced. */
export async function headPinned(
  s3: S3Client,
  pin: PinnedObject,
): Promise<HeadObjectCommandOutput> {
  try {
    const head = await s3.send(
      new HeadObjectCommand({
        Bucket: pin.bucket,
        Key: pin.key,
        ChecksumMode: 'ENABLED',
        ...(pin.versionId === null ? {} : { VersionId: pin.versionId }),
      }),
    );
    assertSameObject(pin, head.ETag, head.VersionId);
    return head;
  } catch (error) {
    if (['NotFound', 'NoSuchKey', 'NoSuchVersion'].includes((error as Error).name)) {
      throw new ArtifactChanged(`s3://${pin.bucket}/${pin.key} (${describePin(pin)}) is gone`, {
        cause: error,
        details: { bucket: pin.bucket, key: pin.key },
      });
    }
    throw error;
  }
}

/** GET of the pinned object, checking the answer is the version that was asked for. */
export async function getPinned(s3: S3Client, pin: PinnedObject): Promise<GetObjectCommandOutput> {
  const result = await s3.send(
    new GetObjectCommand({
      Bucket: pin.bucket,
      Key: pin.key,
      ...(pin.versionId === null ? {} : { VersionId: pin.versionId }),
      ...(pin.versionId === null && pin.etag !== null
        ? { IfMatch: `"${bareEtag(pin.etag)}"` }
        : {}),
    }),
  );
  assertSameObject(pin, result.ETag, result.VersionId);
  return result;
}

/**
 * The detached signature stored next to the artifact (`.sig`, then `.asc`), or
 * SignatureMissing, which the state machine retries for a while: the signature may be uploaded
 * after the artifact.
 */
export async function fetchSignature(
  s3: S3Client,
  bucket: string,
  artifactKey: string,
): Promise<{ key: string; bytes: Uint8Array }> {
  for (const suffix of SIGNATURE_SUFFIXES) {
    const key = `${artifactKey}${suffix}`;
    try {
      const result = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if ((result.ContentLength ?? 0) > MAX_SIGNATURE_BYTES) {
        result.Body?.transformToWebStream().cancel();
        throw new SignatureMalformed(`Signature s3://${bucket}/${key} is larger than 64 KiB`);
      }
      const bytes = (await result.Body?.transformToByteArray()) ?? new Uint8Array();
      return { key, bytes };
    } catch (error) {
      if ((error as Error).name !== 'NoSuchKey') throw error;
    }
  }
  throw new SignatureMissing(
    `No signature next to s3://${bucket}/${artifactKey} (looked for ${SIGNATURE_SUFFIXES.join(', ')})`,
    { details: { bucket, key: artifactKey } },
  );
}

function assertSameObject(pin: PinnedObject, etag?: string, versionId?: string): void {
  const versionChanged = pin.versionId !== null && versionId !== pin.versionId;
  const etagChanged =
    pin.versionId === null && pin.etag !== null && bareEtag(etag ?? '') !== bareEtag(pin.etag);
  if (versionChanged || etagChanged) {
    throw new ArtifactChanged(
      `s3://${pin.bucket}/${pin.key} no longer holds ${describePin(pin)}: it was overwritten`,
      { details: { bucket: pin.bucket, key: pin.key, found: versionId ?? etag ?? null } },
    );
  }
}

/**
 * ETags without their quotes: S3's HTTP headers quote them, EventBridge events do not, and
 * comparing the two raw forms would call every artifact overwritten.
 */
export function bareEtag(etag: string): string {
  return etag.replace(/^"(.*)"$/, '$1');
}

function describePin(pin: PinnedObject): string {
  if (pin.versionId !== null) return `version ${pin.versionId}`;
  return pin.etag === null ? 'latest' : `ETag ${pin.etag}`;
}
