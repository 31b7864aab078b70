import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { AppConfig } from '../../core/app-config.ts';
import { loadAppConfig, loadTrustedKeys, loadTrustedKmsKeys } from '../../core/app-config-store.ts';
import { parseAppSpec } from '../../core/appspec.ts';
import { bareEtag, fetchSignature, getPinned, headPinned } from '../../core/artifact-objects.ts';
import type { DeploymentRequest } from '../../core/deployment-request.ts';
import {
  AppSpecInvalid,
  ArtifactReadIncomplete,
  ArtifactTooLarge,
  ChecksumMismatch,
  DigestReused,
  ReleaseMismatch,
} from '../../core/errors.ts';
import { signatureFormatOf } from '../../core/release-names.ts';
import { refuseOutOfOrder } from '../../core/release-order.ts';
import { type ReleaseRecord, readReleaseRecord } from '../../core/release-record.ts';
import {
  DEFAULT_ARCHIVE_LIMITS,
  kmsVerifier,
  parseTrustedKeys,
  type Signer,
  type VerifiedArtifact,
  verifyArtifactStream,
} from '../../core/verification/index.ts';
import { signerIdentity, type VerifiedRelease } from '../../core/verified-release.ts';
import { kmsClient, parameterPrefix, s3Client, ssmClient } from '../shared/default-deps.ts';
import { type PlainHandler, signetHandler } from '../shared/signet-handler.ts';
import { refuseSeveralSignatures } from './signature-choice.ts';

export interface VerifyArtifactEvent {
  readonly request: DeploymentRequest;
}

export interface VerifyArtifactDeps {
  readonly s3: () => S3Client;
  readonly ssm: () => SSMClient;
  /** Asked only to verify a KMS signature (`.kms.json`). */
  readonly kms: () => KMSClient;
  readonly parameterPrefix: () => string;
}

/**
 * Decides whether the pinned artifact may be deployed: its signature by a key trusted for the
 * app, its digest, its archive entries, and its signed app and version against the key it
 * was uploaded under and the release record. Cheap refusals come before reading the object.
 */
export function verifyArtifact(
  deps: VerifyArtifactDeps,
): PlainHandler<VerifyArtifactEvent, VerifiedRelease> {
  return async ({ request }, { logger }) => {
    const { app } = request;
    const prefix = deps.parameterPrefix();
    const s3 = deps.s3();
    const config = await loadAppConfig(deps.ssm(), prefix, app);
    const trustedKeys = await parseTrustedKeys(
      app,
      await loadTrustedKeys(deps.ssm(), prefix, app),
      await loadTrustedKmsKeys(deps.ssm(), prefix, app),
    );
    const record = await readReleaseRecord(deps.ssm(), prefix, app);
    refuseOutOfOrder(request, record);

    const head = await headPinned(s3, request);
    const size = declaredLength(request, head.ContentLength);
    if (size > config.artifact.maxBytes) {
      throw new ArtifactTooLarge(
        `${describe(request)} is ${size} bytes, over the cap of ${config.artifact.maxBytes}`,
        { details: { app, size, cap: config.artifact.maxBytes } },
      );
    }
    const signature = await fetchSignature(s3, request.bucket, request.key, request.signature);
    // A recorded release is verified with its pinned signature object, whatever lies beside it.
    if (request.signature === null) {
      await refuseSeveralSignatures(s3, request.bucket, request.key, signature);
    }

    const object = await getPinned(s3, request);
    if (object.Body === undefined) {
      throw new ArtifactReadIncomplete(`${describe(request)} returned no body`);
    }
    const verified = await verifyArtifactStream({
      app,
      artifact: object.Body as AsyncIterable<Uint8Array>,
      expectedSize: size,
      signature: signature.bytes,
      signatureFormat: signatureFormatOf(signature.key),
      trustedKeys,
      kmsVerifier: kmsVerifier(deps.kms),
      limits: archiveLimits(config),
    });

    checkSignedIdentity(request, verified);
    checkHooksExist(request, verified);
    checkDigest(request, verified, head.ChecksumSHA256, head.ChecksumType);
    refuseReusedDigest(request, verified, record);

    logger.info('artifact verified', {
      version: request.version,
      sha256: verified.sha256,
      size: verified.size,
      signer: signerIdentity(verified.signer),
      signerType: verified.signer.type,
      signerLabel: verified.signer.label,
      entries: verified.archive.entries,
    });
    return {
      app,
      version: request.version,
      bucket: request.bucket,
      key: request.key,
      versionId: head.VersionId ?? null,
      etag: bareEtag(head.ETag ?? ''),
      sha256: verified.sha256,
      size: verified.size,
      signer: plainSigner(verified.signer),
      signatureKey: signature.key,
      signatureVersionId: signature.versionId,
    };
  };
}

/** The signer as a plain object, for the execution's state. */
function plainSigner(signer: Signer): Signer {
  return signer.type === 'kms' ? { ...signer } : { ...signer, userIds: [...signer.userIds] };
}

function describe(request: DeploymentRequest): string {
  return `Artifact ${request.app} ${request.version} (s3://${request.bucket}/${request.key})`;
}

/**
 * The length every read is checked against. S3 always sends one; taking a missing one as 0
 * would refuse the artifact as a read of the wrong size, naming the wrong fault.
 */
function declaredLength(request: DeploymentRequest, length: number | undefined): number {
  if (length === undefined) {
    throw new ArtifactReadIncomplete(
      `${describe(request)}: S3 gave no length (Content-Length) for the object, so a read ` +
        'of it could not be checked as complete',
      { details: { app: request.app, bucket: request.bucket, key: request.key } },
    );
  }
  return length;
}

function archiveLimits(config: AppConfig) {
  return {
    ...DEFAULT_ARCHIVE_LIMITS,
    maxEntries: config.artifact.maxEntries,
    maxUnpackedBytes: config.artifact.maxUnpackedBytes,
  };
}

/** The key only routes; the signed metadata is the truth, and the two must agree. */
function checkSignedIdentity(request: DeploymentRequest, verified: VerifiedArtifact): void {
  const { app, version } = verified.metadata;
  if (app !== request.app || version !== request.version) {
    throw new ReleaseMismatch(
      `${describe(request)} is signed as ${app} ${version}: the key and the signed ` +
        'release metadata disagree',
      { details: { keyApp: request.app, keyVersion: request.version, app, version } },
    );
  }
}

function checkHooksExist(request: DeploymentRequest, verified: VerifiedArtifact): void {
  const where = `appspec.yml of ${request.app} ${request.version}`;
  const appspec = parseAppSpec(verified.appspecText, where);
  for (const [hook, steps] of Object.entries(appspec.hooks)) {
    for (const step of steps ?? []) {
      if (!verified.archive.regularFiles.has(step.location)) {
        throw new AppSpecInvalid(
          `${where}: hook ${hook} runs ${step.location}, not in the archive`,
          {
            details: { hook, location: step.location },
          },
        );
      }
    }
  }
}

/** The digest must match what S3 stored at upload and, for a redeploy, what was recorded. */
function checkDigest(
  request: DeploymentRequest,
  verified: VerifiedArtifact,
  storedChecksum: string | undefined,
  checksumType: string | undefined,
): void {
  // A multipart upload's stored checksum is a checksum of part checksums: not comparable.
  if (storedChecksum !== undefined && checksumType !== 'COMPOSITE') {
    const ours = Buffer.from(verified.sha256, 'hex').toString('base64');
    if (storedChecksum !== ours) {
      throw new ChecksumMismatch(
        `${describe(request)}: S3 stored SHA-256 ${storedChecksum}, the bytes read hash to ${ours}`,
      );
    }
  }
  if (request.expectedSha256 !== null && request.expectedSha256 !== verified.sha256) {
    throw new ChecksumMismatch(
      `${describe(request)}: recorded SHA-256 ${request.expectedSha256}, ` +
        `the bytes now hash to ${verified.sha256}`,
    );
  }
}

function refuseReusedDigest(
  request: DeploymentRequest,
  verified: VerifiedArtifact,
  record: ReleaseRecord,
): void {
  for (const release of [record.current, record.previous]) {
    if (
      release !== null &&
      release.sha256 === verified.sha256 &&
      release.version !== request.version
    ) {
      throw new DigestReused(
        `${describe(request)} has the same bytes as the deployed ${release.version}`,
        { details: { sha256: verified.sha256, deployedAs: release.version } },
      );
    }
  }
}

export const handler = signetHandler(
  'verify-artifact',
  verifyArtifact({ s3: s3Client, ssm: ssmClient, kms: kmsClient, parameterPrefix }),
);
