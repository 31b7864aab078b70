import type { JsonService } from '../service-types.ts';
import { createAlarmStore } from './alarm-store.ts';
import { cloudWatchOperations } from './cloudwatch-operations.ts';

/**
 * CloudWatch alarms over the JSON 1.0 protocol (`X-Amz-Target:
 * GraniteServiceVersion20100801.<Op>`, query-compatible errors): DescribeAlarms for Signet's
 * alarm gate, SetAlarmState and PutMetricAlarm for the tests and operators that drive it.
 * Alarms have no metrics here: a state stays as it was last set.
 *
 * @example
 * const cloudWatch = await cloudWatchService({ stateDir, region: 'us-east-1', account });
 * const plane = await startControlPlane({ services: [cloudWatch] });
 */
export async function cloudWatchService(options: {
  readonly stateDir: string;
  readonly region: string;
  readonly account: string;
}): Promise<JsonService> {
  return {
    protocol: 'json',
    targetPrefix: 'GraniteServiceVersion20100801',
    operations: cloudWatchOperations(await createAlarmStore(options.stateDir), options),
  };
}
