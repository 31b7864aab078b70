import { type CheckName, type CheckResult, failed } from './check-result.ts';

/** The artifact bucket does not exist: a wrong SIGNET_ARTIFACT_BUCKET or a deleted stack. */
export function bucketMissing(check: CheckName, bucket: string): CheckResult {
  return failed(
    check,
    bucket,
    `bucket ${bucket} does not exist`,
    'set SIGNET_ARTIFACT_BUCKET to the stack output SignetArtifactBucket (`signet local up` ' +
      'prints it for the local stack)',
  );
}
