import type { SSMClient } from '@aws-sdk/client-ssm';
import {
  type DeployedRelease,
  promoteRelease,
  type ReleaseRecord,
  readReleaseRecord,
  writeReleaseRecord,
} from '../../core/release-record.ts';
import { signerIdentity, type VerifiedRelease } from '../../core/verified-release.ts';
import { parameterPrefix, ssmClient } from '../shared/default-deps.ts';
import { type PlainHandler, signetHandler } from '../shared/signet-handler.ts';

export interface RecordReleaseEvent {
  readonly app: string;
  readonly artifact: VerifiedRelease;
  readonly execution: string;
}

export interface RecordReleaseDeps {
  readonly ssm: () => SSMClient;
  readonly parameterPrefix: () => string;
  readonly now?: () => Date;
}

/**
 * Makes the healthy release the app's current one, keeping the one before as the rollback
 * target. Runs only after every batch passed its health check.
 */
export function recordRelease(
  deps: RecordReleaseDeps,
): PlainHandler<RecordReleaseEvent, ReleaseRecord> {
  return async ({ app, artifact, execution }, { logger }) => {
    const prefix = deps.parameterPrefix();
    const record = await readReleaseRecord(deps.ssm(), prefix, app);
    const release: DeployedRelease = {
      version: artifact.version,
      bucket: artifact.bucket,
      key: artifact.key,
      versionId: artifact.versionId,
      etag: artifact.etag,
      sha256: artifact.sha256,
      signer: signerIdentity(artifact.signer),
      signatureKey: artifact.signatureKey,
      signatureVersionId: artifact.signatureVersionId,
      deployedAt: (deps.now ?? (() => new Date()))().toISOString(),
      execution,
    };
    const next = promoteRelease(record, release);
    await writeReleaseRecord(deps.ssm(), prefix, next);
    logger.info('release recorded', {
      current: next.current?.version ?? null,
      previous: next.previous?.version ?? null,
    });
    return next;
  };
}

export const handler = signetHandler(
  'record-release',
  recordRelease({ ssm: ssmClient, parameterPrefix }),
);
