import { gt as isNewer } from 'semver';
import type { DeploymentRequest } from './deployment-request.ts';
import { VersionNotNewer } from './errors.ts';
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
