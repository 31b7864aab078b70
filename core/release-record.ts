import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { gt as isNewer } from 'semver';
import { ConfigInvalid, RecordWriteFailed } from './errors.ts';
import { releaseRecordParameterName } from './parameter-paths.ts';
import { isVersion, SHA256_HEX_PATTERN } from './release-names.ts';

/** A release as it was deployed: enough to find the exact bytes again and check them. */
export interface DeployedRelease {
  readonly version: string;
  readonly bucket: string;
  readonly key: string;
  /** S3 object version; null on an unversioned bucket, where the ETag pins the bytes. */
  readonly versionId: string | null;
  readonly etag: string;
  readonly sha256: string;
  /** Who signed it: the OpenPGP key's fingerprint or the KMS key's ARN (`signerIdentity`). */
  readonly signer: string;
  /** The signature object it was verified with, so a redeploy verifies the same one. */
  readonly signatureKey: string | null;
  readonly signatureVersionId: string | null;
  readonly deployedAt: string;
  readonly execution: string;
}

/** What an app runs now and what it ran before: the rollback target. */
export interface ReleaseRecord {
  readonly app: string;
  readonly current: DeployedRelease | null;
  readonly previous: DeployedRelease | null;
  /** The highest version ever made current: new releases must be newer than it. */
  readonly highestVersion: string | null;
}

export function emptyRecord(app: string): ReleaseRecord {
  return { app, current: null, previous: null, highestVersion: null };
}

/**
 * The record after `release` became current. Redeploying the current version keeps the
 * previous pointer, so a redeploy never erases the way back.
 */
export function promoteRelease(record: ReleaseRecord, release: DeployedRelease): ReleaseRecord {
  const previous = record.current?.version === release.version ? record.previous : record.current;
  return {
    app: record.app,
    current: release,
    previous,
    highestVersion: highestOf(record.highestVersion, release.version),
  };
}

function highestOf(...versions: (string | null | undefined)[]): string | null {
  const known = versions.filter((v): v is string => typeof v === 'string' && isVersion(v));
  return known.length === 0 ? null : known.reduce((a, b) => (isNewer(b, a) ? b : a));
}

export async function readReleaseRecord(
  ssm: SSMClient,
  prefix: string,
  app: string,
): Promise<ReleaseRecord> {
  const name = releaseRecordParameterName(prefix, app);
  try {
    const result = await ssm.send(new GetParameterCommand({ Name: name }));
    return parseReleaseRecord(app, JSON.parse(result.Parameter?.Value ?? 'null'), name);
  } catch (error) {
    if ((error as Error).name === 'ParameterNotFound') return emptyRecord(app);
    if (error instanceof SyntaxError) {
      throw new ConfigInvalid(`Release record ${name} is not valid JSON`, { cause: error });
    }
    throw error;
  }
}

/**
 * Overwrites the record. Signet holds the app's deployment lock whenever it calls this, so
 * there is one writer at a time; a failure is raised loudly, never left as a stale pointer.
 */
export async function writeReleaseRecord(
  ssm: SSMClient,
  prefix: string,
  record: ReleaseRecord,
): Promise<void> {
  const name = releaseRecordParameterName(prefix, record.app);
  try {
    await ssm.send(
      new PutParameterCommand({
        Name: name,
        Type: 'String',
        Overwrite: true,
        Value: JSON.stringify(record),
        Description: `Signet release record of ${record.app}: current and previous release`,
      }),
    );
  } catch (error) {
    const version = record.current?.version ?? 'none';
    throw new RecordWriteFailed(
      `Deployed ${record.app} ${version}, but its release record ${name} was not written: ` +
        `${(error as Error).message}`,
      { cause: error, details: { app: record.app, version, parameter: name } },
    );
  }
}

function parseReleaseRecord(app: string, raw: unknown, where: string): ReleaseRecord {
  const value = raw as Partial<Record<keyof ReleaseRecord, unknown>> | null;
  if (typeof value !== 'object' || value === null || value.app !== app) {
    throw new ConfigInvalid(`Release record ${where} does not describe app ${app}`);
  }
  const current = parseDeployedRelease(value.current, `${where} current`);
  const previous = parseDeployedRelease(value.previous, `${where} previous`);
  const highest = value.highestVersion;
  if (highest !== undefined && highest !== null && !isVersion(highest)) {
    throw new ConfigInvalid(`Release record ${where} has an invalid highestVersion`);
  }
  // Records written before highestVersion existed: the best known is the higher of the two.
  return {
    app,
    current,
    previous,
    highestVersion: highestOf(
      highest as string | null | undefined,
      current?.version,
      previous?.version,
    ),
  };
}

function parseDeployedRelease(raw: unknown, where: string): DeployedRelease | null {
  if (raw === null || raw === undefined) return null;
  const release = raw as Record<string, unknown>;
  const strings = ['bucket', 'key', 'etag', 'signer', 'deployedAt', 'execution'];
  const valid =
    isVersion(release['version']) &&
    typeof release['sha256'] === 'string' &&
    SHA256_HEX_PATTERN.test(release['sha256']) &&
    strings.every((name) => typeof release[name] === 'string') &&
    (release['versionId'] === null || typeof release['versionId'] === 'string') &&
    ['signatureKey', 'signatureVersionId'].every(
      (name) =>
        release[name] === undefined || release[name] === null || typeof release[name] === 'string',
    );
  if (!valid) throw new ConfigInvalid(`Release record ${where} is malformed`);
  // Records written before signatures were pinned carry neither field.
  const parsed = release as unknown as DeployedRelease;
  return {
    ...parsed,
    signatureKey: parsed.signatureKey ?? null,
    signatureVersionId: parsed.signatureVersionId ?? null,
  };
}
