import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import {
  type DeploymentRequest,
  type ParsedInput,
  parseExecutionInput,
  requestForObject,
} from '../../core/deployment-request.ts';
import type { RejectedRequest } from '../../core/deployment-state.ts';
import { InputInvalid, NotARelease, NothingToRollBackTo, SignetError } from '../../core/errors.ts';
import { quoteInput } from '../../core/quoted-input.ts';
import { artifactKey, isAppName, isVersion, parseArtifactKey } from '../../core/release-names.ts';
import { type DeployedRelease, readReleaseRecord } from '../../core/release-record.ts';
import { setting } from '../../core/settings.ts';
import { parameterPrefix, s3Client, ssmClient } from '../shared/default-deps.ts';
import { type PlainHandler, signetHandler } from '../shared/signet-handler.ts';

export interface NormalizeInputEvent {
  /** The execution's input, whatever shape it came in. */
  readonly input: unknown;
}

export interface NormalizeInputDeps {
  readonly s3: () => S3Client;
  readonly ssm: () => SSMClient;
  readonly parameterPrefix: () => string;
  readonly artifactBucket: () => string;
}

/**
 * The first state: every accepted input becomes one DeploymentRequest pinned to exact bytes
 * (an object version, or an ETag on an unversioned bucket), so later states never read
 * "whatever the key holds now". Operator runs named by app and version are pinned to the
 * recorded release when there is one, so a rollback gets the very bytes that ran before.
 */
export function normalizeInput(
  deps: NormalizeInputDeps,
): PlainHandler<NormalizeInputEvent, NormalizedInput> {
  return async (event, { logger }) => {
    let request: DeploymentRequest;
    try {
      request = await resolve(parseExecutionInput(event.input), deps);
    } catch (error) {
      const rejection = rejectionOf(event.input, error);
      if (rejection === null) throw error;
      logger.warn('deployment request refused', { ...rejection.rejected }, error);
      return rejection;
    }
    logger.info('deployment requested', {
      app: request.app,
      version: request.version,
      intent: request.intent,
      source: request.source,
      key: request.key,
      versionId: request.versionId,
    });
    return { request };
  };
}

/**
 * A request whose app is known but which cannot be carried out (no previous release, no such
 * version) is answered, not thrown: the state machine then records the refusal in that app's
 * audit trail. Input naming no app still fails, and keeps nothing of itself.
 */
export type NormalizedInput =
  | { readonly request: DeploymentRequest }
  | {
      readonly rejected: RejectedRequest;
      readonly failure: { readonly Error: string; readonly Cause: string };
    };

function rejectionOf(
  input: unknown,
  error: unknown,
): Extract<NormalizedInput, { rejected: unknown }> | null {
  if (!(error instanceof SignetError) || error.fault !== 'user' || error instanceof NotARelease) {
    return null;
  }
  const named = namedIn(input);
  if (named === null) return null;
  return {
    rejected: named,
    // The shape of a Lambda error's Cause, so the last states read it the same way.
    failure: {
      Error: error.name,
      Cause: JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: [] }),
    },
  };
}

/**
 * What a refused input says about itself, as far as it can be trusted: an app only if it is a
 * valid app name (from the key of an S3 input, or the app of an operator's input), a version
 * only if it is a valid version. Anything else in the input is dropped.
 */
function namedIn(input: unknown): RejectedRequest | null {
  let parsed: ParsedInput | null = null;
  try {
    parsed = parseExecutionInput(input);
  } catch {
    // Unreadable as a whole: look at its app and version fields alone.
  }
  const fields = (typeof input === 'object' && input !== null ? input : {}) as Record<
    string,
    unknown
  >;
  const requestedBy =
    typeof fields['requestedBy'] === 'string' ? fields['requestedBy'].slice(0, 200) : null;
  if (parsed?.kind === 'object') {
    const release = parseArtifactKey(parsed.key);
    return release === null ? null : { ...release, intent: parsed.intent, requestedBy };
  }
  if (parsed !== null) {
    const version = parsed.kind === 'app-version' ? parsed.version : null;
    const intent = parsed.kind === 'rollback' ? 'rollback' : 'redeploy';
    return { app: parsed.app, version, intent, requestedBy };
  }
  if (!isAppName(fields['app'])) return null;
  const version = isVersion(fields['version']) ? fields['version'] : null;
  return { app: fields['app'], version, intent: 'redeploy', requestedBy };
}

async function resolve(parsed: ParsedInput, deps: NormalizeInputDeps): Promise<DeploymentRequest> {
  if (parsed.kind === 'object') {
    const bucket = deps.artifactBucket();
    if (parsed.bucket !== bucket) {
      throw new InputInvalid(
        `${quoteInput(`s3://${parsed.bucket}/${parsed.key}`)} is not in the artifact bucket ` +
          `${bucket}: Signet deploys only from its own bucket`,
        { details: { bucket: parsed.bucket, key: parsed.key } },
      );
    }
    const pinned =
      parsed.versionId === null && parsed.etag === null
        ? { ...parsed, ...(await pinLatest(deps.s3(), parsed.bucket, parsed.key)) }
        : parsed;
    return requestForObject(pinned);
  }

  const record = await readReleaseRecord(deps.ssm(), deps.parameterPrefix(), parsed.app);
  if (parsed.kind === 'rollback') {
    if (record.previous === null) {
      throw new NothingToRollBackTo(`App ${parsed.app} has no previous release to roll back to`, {
        details: { app: parsed.app, current: record.current?.version ?? null },
      });
    }
    const request = fromRecorded(record.previous, 'rollback', parsed.requestedBy);
    // What "back" means is fixed now, before the lock: ResolveTargets checks it still holds.
    const current = record.current?.version;
    return current === undefined ? request : { ...request, fromVersion: current };
  }

  const recorded = [record.current, record.previous].find((r) => r?.version === parsed.version);
  if (recorded) return fromRecorded(recorded, 'redeploy', parsed.requestedBy);

  const bucket = deps.artifactBucket();
  const key = artifactKey(parsed);
  const pin = await pinLatest(deps.s3(), bucket, key);
  return requestForObject({
    kind: 'object',
    bucket,
    key,
    ...pin,
    intent: 'redeploy',
    requestedBy: parsed.requestedBy,
    source: 'manual',
  });
}

function fromRecorded(
  release: DeployedRelease,
  intent: 'redeploy' | 'rollback',
  requestedBy: string | null,
): DeploymentRequest {
  return requestForObject(
    {
      kind: 'object',
      bucket: release.bucket,
      key: release.key,
      versionId: release.versionId,
      etag: release.etag,
      intent,
      requestedBy,
      source: 'manual',
    },
    release.sha256,
    release.signatureKey === null
      ? null
      : { key: release.signatureKey, versionId: release.signatureVersionId },
  );
}

/** Pins a key to the object version (or ETag) it holds right now. */
async function pinLatest(s3: S3Client, bucket: string, key: string) {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { versionId: head.VersionId ?? null, etag: head.ETag ?? null };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'NotFound' || name === 'NoSuchKey') {
      throw new InputInvalid(`No artifact at ${quoteInput(`s3://${bucket}/${key}`)}`, {
        cause: error,
        details: { bucket, key },
      });
    }
    throw error;
  }
}

export const handler = signetHandler(
  'normalize-input',
  normalizeInput({
    s3: s3Client,
    ssm: ssmClient,
    parameterPrefix,
    artifactBucket: () => setting('artifactBucket'),
  }),
);
