import { gt as isNewer } from 'semver';
import type { DeploymentRequest } from './deployment-request.ts';
import { RollbackOutdated, VersionNotNewer } from './errors.ts';
import type { ReleaseRecord } from './release-record.ts';

/**
 * A release must move the app forward: newer than the current version and than every version
 * ever made current, so a release an operator rolled back cannot come back by being uploaded
 * again (its signature is still genuine). Operators may redeploy or roll back on purpose.
 */
export function refuseOutOfOrder(request: DeploymentRequest, record: ReleaseRecord): void {
  if (request.intent !== 'release') return;
  const highest = highestKnown(record);
  if (highest === null || isNewer(request.version, highest)) return;
  const current = record.current?.version ?? 'none';
  const already = highest === current ? '' : ` (and ${highest} was deployed before)`;
  throw new VersionNotNewer(
    `App ${request.app}: ${request.version} is not newer than the deployed ${current}${already}; ` +
      'use `signet redeploy` to deploy it on purpose',
    { details: { app: request.app, version: request.version, current, highest } },
  );
}

function highestKnown(record: ReleaseRecord): string | null {
  const known = [record.highestVersion, record.current?.version].filter(
    (v): v is string => typeof v === 'string',
  );
  return known.length === 0 ? null : known.reduce((a, b) => (isNewer(b, a) ? b : a));
}

/**
 * A rollback goes back from the version that was current when the operator asked. NormalizeInput
 * read the record before the lock; if a deployment finished meanwhile, going back to the
 * previous release it read would undo two releases, so the rollback is refused instead and the
 * operator decides again from what is current now.
 */
export function refuseOutdatedRollback(request: DeploymentRequest, record: ReleaseRecord): void {
  if (request.intent !== 'rollback' || request.fromVersion === undefined) return;
  const current = record.current?.version ?? null;
  if (current === request.fromVersion) return;
  throw new RollbackOutdated(
    `App ${request.app}: the rollback was asked while ${request.fromVersion} was current (back ` +
      `to ${request.version}), but ${current ?? 'no release'} is current now; nothing was ` +
      `changed. Check \`signet status ${request.app}\` and run \`signet rollback ` +
      `${request.app}\` again if it is still wanted`,
    {
      details: {
        app: request.app,
        fromVersion: request.fromVersion,
        current,
        target: request.version,
      },
    },
  );
}
