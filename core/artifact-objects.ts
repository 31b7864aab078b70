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
        ...pinParameters(pin),
      }),
    );
    assertSameObject(pin, head.ETag, head.VersionId);
    return head;
  } catch (error) {
    throw asArtifactChanged(error, pin);
  }
}

/** GET of the pinned object, checking the answer is the version that was asked for. */
export async function getPinned(s3: S3Client, pin: PinnedObject): Promise<GetObjectCommandOutput> {
  let result: GetObjectCommandOutput;
  try {
    result = await s3.send(
      new GetObjectCommand({ Bucket: pin.bucket, Key: pin.key, ...pinParameters(pin) }),
    );
  } catch (error) {
    throw asArtifactChanged(error, pin);
  }
  try {
    assertSameObject(pin, result.ETag, result.VersionId);
  } catch (error) {
    // An unread body holds its HTTP connection until it is garbage-collected.
    discardBody(result.Body);
    throw error;
  }
  return result;
}

/**
 * The version id, or on an unversioned bucket If-Match with the quoted ETag, so that S3
 * itself refuses (412) to answer with bytes that replaced the pinned ones.
 */
function pinParameters(pin: PinnedObject): { VersionId?: string; IfMatch?: string } {
  if (pin.versionId !== null) return { VersionId: pin.versionId };
  return pin.etag === null ? {} : { IfMatch: `"${bareEtag(pin.etag)}"` };
}

const GONE_ERRORS = ['NotFound', 'NoSuchKey', 'NoSuchVersion'];

/** S3's answers for a pinned object that is gone or replaced, as ArtifactChanged. */
function asArtifactChanged(error: unknown, pin: PinnedObject): unknown {
  const name = (error as Error).name;
  const where = `s3://${pin.bucket}/${pin.key}`;
  const details = { bucket: pin.bucket, key: pin.key };
  if (GONE_ERRORS.includes(name)) {
    return new ArtifactChanged(`${where} (${describePin(pin)}) is gone`, { cause: error, details });
  }
  // A failed If-Match is a 412; a HEAD's error has no body, so the SDK cannot name it.
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name === 'PreconditionFailed' || status === 412) {
    return new ArtifactChanged(`${where} no longer holds ${describePin(pin)}: it was overwritten`, {
      cause: error,
      details,
    });
  }
  return error;
}

function discardBody(body: GetObjectCommandOutput['Body']): void {
  body
    ?.transformToWebStream()
    .cancel()
    .catch(() => undefined);
}

/** A signature object: where it is, which version of it, and its bytes. */
export interface FetchedSignature {
  readonly key: string;
  readonly versionId: string | null;
  readonly bytes: Uint8Array;
}

/** Where a signature was found before: redeploys and rollbacks use that very version. */
export interface SignaturePin {
  readonly key: string;
  readonly versionId: string | null;
}

/**
 * The signature object of an artifact. With a pin (a recorded release), exactly that object
 * version, whichever kind it is (`.sig`, `.asc` or `.kms.json`): a later upload under the same
 * name (even a refused one) must not replace the signature a recorded release was verified
 * with. Without one, the newest `.sig`, then `.asc`, then `.kms.json` next to the artifact, or
 * SignatureMissing, which the state machine retries for a while: the signature may be uploaded
 * after the artifact. `signatureFormatOf(key)` tells which kind was found.
 */
export async function fetchSignature(
  s3: S3Client,
  bucket: string,
  artifactKey: string,
  pin: SignaturePin | null = null,
): Promise<FetchedSignature> {
  const candidates =
    pin === null
      ? SIGNATURE_SUFFIXES.map((s) => ({ key: `${artifactKey}${s}`, versionId: null }))
      : [pin];
  for (const candidate of candidates) {
    try {
      return await readSignature(s3, bucket, candidate);
    } catch (error) {
      if (!['NoSuchKey', 'NoSuchVersion'].includes((error as Error).name)) throw error;
    }
  }
  const lookedFor =
    pin === null
      ? SIGNATURE_SUFFIXES.join(', ')
      : `${pin.key}${pin.versionId === null ? '' : ` version ${pin.versionId}`}`;
  throw new SignatureMissing(
    `No signature next to s3://${bucket}/${artifactKey} (looked for ${lookedFor})`,
    { details: { bucket, key: artifactKey } },
  );
}

async function readSignature(
  s3: S3Client,
  bucket: string,
  { key, versionId }: SignaturePin,
): Promise<FetchedSignature> {
  const result = await s3.send(
    new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      ...(versionId === null ? {} : { VersionId: versionId }),
    }),
  );
  if ((result.ContentLength ?? 0) > MAX_SIGNATURE_BYTES) {
    discardBody(result.Body);
    throw new SignatureMalformed(`Signature s3://${bucket}/${key} is larger than 64 KiB`);
  }
  const bytes = (await result.Body?.transformToByteArray()) ?? new Uint8Array();
  return { key, versionId: result.VersionId ?? null, bytes };
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
