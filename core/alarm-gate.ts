import { ConfigInvalid, HealthCheckFailed, type SignetError } from './errors.ts';

/**
 * Reads CloudWatch alarm states. In AWS this is DescribeAlarms by name
 * (`core/cloudwatch-alarm-states.ts`); a test may pass any implementation.
 */
export interface AlarmStates {
  /**
   * The state of each named metric alarm CloudWatch knows (`OK`, `ALARM`,
   * `INSUFFICIENT_DATA`), by name. A name CloudWatch does not know is left out.
   */
  stateOf(names: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

/** What the gate found wrong: alarms in ALARM, and listed alarms CloudWatch does not have. */
export interface AlarmVerdict {
  readonly firing: readonly string[];
  readonly missing: readonly string[];
}

/**
 * The gate's verdict on one reading: null (pass) unless a listed alarm is in ALARM or missing.
 * A missing alarm fails closed: a misspelt name must never pass as "not in ALARM".
 * INSUFFICIENT_DATA passes: an alarm on a metric with no data points yet is not firing.
 *
 * @example
 * alarmVerdict(['web-5xx'], new Map([['web-5xx', 'ALARM']])); // { firing: ['web-5xx'], ... }
 */
export function alarmVerdict(
  names: readonly string[],
  states: ReadonlyMap<string, string>,
): AlarmVerdict | null {
  const missing = names.filter((name) => !states.has(name));
  const firing = names.filter((name) => states.get(name) === 'ALARM');
  return missing.length === 0 && firing.length === 0 ? null : { firing, missing };
}

/** The error a verdict fails the health phase with: a configuration fault first. */
export function alarmVerdictError(app: string, version: string, verdict: AlarmVerdict) {
  return verdict.missing.length > 0
    ? alarmsMissing(app, verdict.missing)
    : alarmFailure(app, version, verdict.firing);
}

/** The error for alarms that fired while a release was being health-checked. */
export function alarmFailure(app: string, version: string, firing: readonly string[]): SignetError {
  return new HealthCheckFailed(
    `Health check of ${app} ${version} failed: CloudWatch alarm(s) in ALARM during the bake: ` +
      firing.join(', '),
    { details: { app, version, alarms: firing } },
  );
}

/** The error when the app's `health.alarms` names an alarm CloudWatch does not have. */
export function alarmsMissing(app: string, missing: readonly string[]): SignetError {
  return new ConfigInvalid(
    `App ${app} gates its health check on CloudWatch alarm(s) that do not exist in this ` +
      `account and Region: ${missing.join(', ')} (health.alarms must name metric alarms; ` +
      'composite alarms are not read)',
    { details: { app, alarms: missing } },
  );
}

/** The error when an app lists alarms but the handler was given no reader: never a pass. */
export function alarmsUnreadable(app: string, names: readonly string[]): SignetError {
  return new ConfigInvalid(
    `App ${app} gates its health check on CloudWatch alarm(s) ${names.join(', ')}, but this ` +
      'handler has no CloudWatch reader to read them',
    { details: { app, alarms: names } },
  );
}
