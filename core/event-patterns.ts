import { RELEASES_PREFIX } from './release-names.ts';

/**
 * The EventBridge pattern of the rule that starts deployments: S3 "Object Created" events for
 * keys under the releases prefix of the artifact bucket. The same object is the rule in CDK and
 * in local mode. Signatures and other files under the prefix match too; the trigger function
 * ignores anything that is not an artifact, without starting an execution.
 */
export function releaseUploadedPattern(bucket: string) {
  return {
    source: ['aws.s3'],
    'detail-type': ['Object Created'],
    detail: {
      bucket: { name: [bucket] },
      object: { key: [{ prefix: RELEASES_PREFIX }] },
    },
  };
}

/** Step Functions' own status events for the deployment state machine that need a person. */
export function executionFailedPattern(stateMachineArn: string) {
  return {
    source: ['aws.states'],
    'detail-type': ['Step Functions Execution Status Change'],
    detail: {
      stateMachineArn: [stateMachineArn],
      status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
    },
  };
}

/** Signet's own events that are alerts (every outcome but success). */
export function signetAlertPattern() {
  return {
    source: ['signet'],
    'detail-type': [
      'Signet Deployment Failed',
      'Signet Release Refused',
      'Signet Rollback Failed',
      'Signet Record Not Written',
    ],
  };
}

/**
 * Step Functions' status events of executions that ended without reaching RecordOutcome:
 * stopped (ABORTED) or past the state machine's TimeoutSeconds (TIMED_OUT). Their rule targets
 * record-outcome, which audits them (docs/SECURITY.md, G2).
 */
export function executionStoppedPattern(stateMachineArn: string) {
  return {
    source: ['aws.states'],
    'detail-type': ['Step Functions Execution Status Change'],
    detail: {
      stateMachineArn: [stateMachineArn],
      status: ['TIMED_OUT', 'ABORTED'],
    },
  };
}
