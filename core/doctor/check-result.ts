/** The checks `signet doctor` runs, in the order it reports them. */
export type CheckName =
  | 'bucket-events'
  | 'bucket-versioning'
  | 'release-rule'
  | 'release-rule-target'
  | 'release-rule-pattern'
  | 'run-command-document'
  | 'state-machine'
  | 'state-table'
  | 'apps'
  | 'app-config'
  | 'app-trusted-keys'
  | 'app-targets';

/**
 * One finding of a check. A passing check reports one result with `ok` and nothing else; a
 * failing one reports a result per problem, each with the fix. A warning is `ok` (it does not
 * fail the deployment's wiring) but still names a problem and its fix.
 */
export interface CheckResult {
  readonly check: CheckName;
  /** What was checked: the bucket, rule, document, state machine, table or app. */
  readonly target: string;
  readonly ok: boolean;
  readonly warning?: true;
  /** What is wrong, naming where. */
  readonly problem?: string;
  /** What to do about it. */
  readonly fix?: string;
}

export function passed(check: CheckName, target: string): CheckResult {
  return { check, target, ok: true };
}

export function failed(
  check: CheckName,
  target: string,
  problem: string,
  fix: string,
): CheckResult {
  return { check, target, ok: false, problem, fix };
}

export function warned(
  check: CheckName,
  target: string,
  problem: string,
  fix: string,
): CheckResult {
  return { check, target, ok: true, warning: true, problem, fix };
}

/** The names a Signet deployment's checks look up, from core/settings.ts. */
export interface DoctorNames {
  readonly artifactBucket: string;
  readonly releaseRuleName: string;
  readonly documentName: string;
  readonly stateMachineArn: string;
  readonly stateTable: string;
  readonly parameterPrefix: string;
}
