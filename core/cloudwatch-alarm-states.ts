import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmStates } from './alarm-gate.ts';

// DescribeAlarms takes at most 100 names a call and returns at most 100 records a page.
const NAMES_PER_CALL = 100;

/**
 * Alarm states from CloudWatch DescribeAlarms by AlarmNames, every page read. Metric alarms
 * only (AlarmTypes left out): the function's IAM grant names each alarm's ARN, and CloudWatch
 * returns composite alarms only to a grant on "*" (DescribeAlarms API reference).
 *
 * @example
 * const states = await cloudWatchAlarmStates(new CloudWatchClient({})).stateOf(['web-5xx']);
 */
export function cloudWatchAlarmStates(cloudWatch: CloudWatchClient): AlarmStates {
  return {
    async stateOf(names) {
      const states = new Map<string, string>();
      for (let start = 0; start < names.length; start += NAMES_PER_CALL) {
        const chunk = names.slice(start, start + NAMES_PER_CALL);
        let nextToken: string | undefined;
        do {
          const token = nextToken;
          const page = await cloudWatch.send(
            new DescribeAlarmsCommand({
              AlarmNames: chunk,
              MaxRecords: NAMES_PER_CALL,
              ...(token === undefined ? {} : { NextToken: token }),
            }),
          );
          for (const alarm of page.MetricAlarms ?? []) {
            if (alarm.AlarmName !== undefined && alarm.StateValue !== undefined) {
              states.set(alarm.AlarmName, alarm.StateValue);
            }
          }
          nextToken = page.NextToken;
        } while (nextToken !== undefined);
      }
      return states;
    },
  };
}
