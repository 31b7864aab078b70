import type { SignaturePin } from './artifact-objects.ts';
import { InputInvalid, NotARelease } from './errors.ts';
import { quoteInput } from './quoted-input.ts';
import { isAppName, isVersion, parseArtifactKey, SHA256_HEX_PATTERN } from './release-names.ts';

export type Intent = 'release' | 'redeploy' | 'rollback';
export type RequestSource = 'eventbridge' | 's3-notification' | 'manual';

/** A deployment request after normalisation: one shape whatever started the execution. */
export interface DeploymentRequest {
  /** From the S3 key: routing only. Verification checks the signed metadata agrees. */
  readonly app: string;
  readonly version: string;
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
  readonly etag: string | null;
  readonly intent: Intent;
  readonly requestedBy: string | null;
  readonly source: RequestSource;
  /** Set when redeploying a recorded release: the bytes must still have this digest. */
  readonly expectedSha256: string | null;
  /** Set when redeploying a recorded release: the signature version it was verified with. */
  readonly signature: SignaturePin | null;
  /**
   * Set on a rollback: the version that was current when the operator asked. The rollback goes
   * back from that version only; ResolveTargets refuses it if another became current since.
   */
  readonly fromVersion?: string;
}

/** The execution input, read but not yet resolved against S3 or the release record. */
export type ParsedInput =
  | {
      readonly kind: 'object';
      readonly bucket: string;
      readonly key: string;
      readonly versionId: string | null;
      readonly etag: string | null;
      readonly intent: Intent;
      readonly requestedBy: string | null;
      readonly source: RequestSource;
    }
  | {
      readonly kind: 'app-version';
      readonly app: string;
      readonly version: string;
      readonly requestedBy: string | null;
    }
  | { readonly kind: 'rollback'; readonly app: string; readonly requestedBy: string | null };

type Json = Record<string, unknown>;

/**
 * Reads every accepted input shape: the EventBridge "Object Created" event, an S3 event
 * notification (what S3 sends to SQS, SNS or Lambda), a manual {bucket, key, versionId}, a
 * manual {app, version} (an operator's redeploy) and {app, intent: "rollback"}.
 *
 * The two S3 shapes encode keys differently and each is decoded by its own rule: a
 * notification record form-encodes the key ('+' is a space, %2B a '+'), while EventBridge
 * carries it exactly as uploaded. Decoding an EventBridge key would turn a real '+' into a space.
 */
export function parseExecutionInput(input: unknown): ParsedInput {
  if (!isObject(input)) throw new InputInvalid('The execution input must be a JSON object');

  if (input['source'] === 'aws.s3' && 'detail' in input) return fromEventBridge(input);
  if (Array.isArray(input['Records'])) return fromNotification(input['Records']);

  const requestedBy = optionalString(input, 'requestedBy');
  if (typeof input['bucket'] === 'string' || typeof input['key'] === 'string') {
    const intent = input['intent'] ?? 'release';
    if (intent !== 'release' && intent !== 'redeploy') {
      throw new InputInvalid(`Intent ${quoteInput(intent)} is not valid with bucket and key`);
    }
    return {
      kind: 'object',
      bucket: requiredString(input, 'bucket'),
      key: requiredString(input, 'key'),
      versionId: optionalString(input, 'versionId'),
      etag: optionalString(input, 'etag'),
      intent,
      requestedBy,
      source: 'manual',
    };
  }

  const app = input['app'];
  if (!isAppName(app)) throw new InputInvalid('The input names no valid app, bucket or event');
  if (input['intent'] === 'rollback') return { kind: 'rollback', app, requestedBy };
  if (input['intent'] !== undefined && input['intent'] !== 'redeploy') {
    throw new InputInvalid(
      `Intent ${quoteInput(input['intent'])} is not one of redeploy, rollback`,
    );
  }
  const version = input['version'];
  if (!isVersion(version)) {
    throw new InputInvalid(
      `App ${app}: a redeploy needs a valid version, got ${quoteInput(version)}`,
    );
  }
  return { kind: 'app-version', app, version, requestedBy };
}

/** Builds the request for an object input, refusing keys that are not release artifacts. */
export function requestForObject(
  input: Extract<ParsedInput, { kind: 'object' }>,
  expectedSha256: string | null = null,
  signature: SignaturePin | null = null,
): DeploymentRequest {
  const release = parseArtifactKey(input.key);
  if (release === null) {
    throw new NotARelease(
      `${quoteInput(`s3://${input.bucket}/${input.key}`)} is not a release artifact`,
      {
        details: { bucket: input.bucket, key: input.key },
      },
    );
  }
  if (expectedSha256 !== null && !SHA256_HEX_PATTERN.test(expectedSha256)) {
    throw new InputInvalid('The expected SHA-256 is not 64 lower-case hex digits');
  }
  return {
    app: release.app,
    version: release.version,
    bucket: input.bucket,
    key: input.key,
    versionId: input.versionId,
    etag: input.etag,
    intent: input.intent,
    requestedBy: input.requestedBy,
    source: input.source,
    expectedSha256,
    signature,
  };
}

function fromEventBridge(event: Json): ParsedInput {
  const detail = event['detail'];
  if (!isObject(detail) || !isObject(detail['bucket']) || !isObject(detail['object'])) {
    throw new InputInvalid('The EventBridge S3 event has no bucket or object in its detail');
  }
  if (event['detail-type'] !== 'Object Created') {
    throw new NotARelease(`EventBridge event ${quoteInput(event['detail-type'])} deploys nothing`);
  }
  const object = detail['object'];
  return {
    kind: 'object',
    bucket: requiredString(detail['bucket'], 'name'),
    key: requiredString(object, 'key'),
    versionId: optionalString(object, 'version-id'),
    etag: optionalString(object, 'etag'),
    intent: 'release',
    requestedBy: optionalString(detail, 'requester'),
    source: 'eventbridge',
  };
}

function fromNotification(records: unknown[]): ParsedInput {
  const record = records[0];
  if (records.length !== 1 || !isObject(record) || record['eventSource'] !== 'aws:s3') {
    throw new InputInvalid('An S3 notification input must hold exactly one aws:s3 record');
  }
  const eventName = String(record['eventName'] ?? '');
  if (!eventName.startsWith('ObjectCreated:')) {
    throw new NotARelease(`S3 event ${quoteInput(eventName)} deploys nothing`);
  }
  const s3 = record['s3'];
  if (!isObject(s3) || !isObject(s3['bucket']) || !isObject(s3['object'])) {
    throw new InputInvalid('The S3 notification record has no bucket or object');
  }
  const identity = record['userIdentity'];
  return {
    kind: 'object',
    bucket: requiredString(s3['bucket'], 'name'),
    key: decodeNotificationKey(requiredString(s3['object'], 'key')),
    versionId: optionalString(s3['object'], 'versionId'),
    etag: optionalString(s3['object'], 'eTag'),
    intent: 'release',
    requestedBy: isObject(identity) ? optionalString(identity, 'principalId') : null,
    source: 's3-notification',
  };
}

/** S3 notification keys are form-encoded: '+' stands for a space, %XX for everything else. */
export function decodeNotificationKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, '%20'));
  } catch (error) {
    throw new InputInvalid(
      `The S3 notification key ${quoteInput(encoded)} is not valid form encoding`,
      {
        cause: error,
      },
    );
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requiredString(value: Json, name: string): string {
  const field = value[name];
  if (typeof field !== 'string' || field === '') {
    throw new InputInvalid(`The input's ${name} must be a non-empty string`);
  }
  return field;
}

function optionalString(value: Json, name: string): string | null {
  const field = value[name];
  if (field === undefined || field === null) return null;
  if (typeof field !== 'string') throw new InputInvalid(`The input's ${name} must be a string`);
  return field;
}
