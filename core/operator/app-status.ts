import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { DeploymentLock, type LockLease } from '../deployment-lock.ts';
import { type ReleaseRecord, readReleaseRecord } from '../release-record.ts';

export interface AppStatus {
  readonly record: ReleaseRecord;
  /** The deployment holding the app's lock right now, if any. */
  readonly deploying: LockLease | null;
}

/** What an app runs and whether a deployment of it is under way, for `signet status`. */
export async function readAppStatus(options: {
  readonly ssm: SSMClient;
  readonly dynamodb: DynamoDBClient;
  readonly sfn: SFNClient;
  readonly parameterPrefix: string;
  readonly stateTable: string;
  readonly app: string;
}): Promise<AppStatus> {
  const lock = new DeploymentLock({
    dynamodb: options.dynamodb,
    sfn: options.sfn,
    table: options.stateTable,
    leaseSeconds: 1,
  });
  const [record, holder] = await Promise.all([
    readReleaseRecord(options.ssm, options.parameterPrefix, options.app),
    lock.holder(options.app),
  ]);
  const live = holder !== null && Date.parse(holder.expiresAt) > Date.now() ? holder : null;
  return { record, deploying: live };
}
