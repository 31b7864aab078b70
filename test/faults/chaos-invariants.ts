import { readFile, readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AuditLog } from '../../core/audit-log.ts';
import { DeploymentLock } from '../../core/deployment-lock.ts';
import { readReleaseRecord } from '../../core/release-record.ts';
import { probeInstance } from '../../local/demo/instance-probe.ts';
import type { LocalStack } from '../../local/stack/options.ts';

export interface ChaosRun {
  readonly executionArn: string;
  readonly succeeded: boolean;
  readonly newVersion: string;
  readonly previousVersion: string;
}

/**
 * The invariants after one deployment under faults; returns each one that broke.
 * Every instance runs exactly one release (its `current` link and the version it serves agree),
 * the new one on success and the recorded previous one otherwise; the release record matches
 * the fleet; the lock is free; the execution has exactly one audit record; a failure raised
 * exactly one alert, and a success none.
 */
export async function brokenInvariants(stack: LocalStack, run: ChaosRun): Promise<string[]> {
  const broken: string[] = [];
  const ssm = new SSMClient({});
  const dynamodb = new DynamoDBClient({});
  const sfn = new SFNClient({});
  try {
    const record = await readReleaseRecord(ssm, '/signet', 'web');
    const recorded = record.current?.version ?? null;
    const expected = run.succeeded ? run.newVersion : run.previousVersion;
    if (recorded !== expected) broken.push(`record says ${recorded}, expected ${expected}`);

    for (const instance of stack.instances) {
      const served = await probeInstance(instance);
      const linked = await readlink(join(instance.signetHome, 'web', 'current')).then(
        (target) => basename(target),
        () => null,
      );
      if (served.version !== expected || linked !== expected || !served.healthy) {
        broken.push(
          `${instance.name} serves ${served.version} (healthy: ${served.healthy}), ` +
            `current -> ${linked}; expected ${expected}`,
        );
      }
    }

    const lock = new DeploymentLock({ dynamodb, sfn, table: 'signet-state', leaseSeconds: 60 });
    const holder = await lock.holder('web');
    if (holder !== null) broken.push(`the lock is held by ${holder.owner}`);

    const audit = await new AuditLog(dynamodb, 'signet-state').all('web');
    const entries = audit.filter((entry) => entry.record.execution === run.executionArn).length;
    if (entries !== 1) broken.push(`${entries} audit records for the execution`);

    const alerts = await alertsFor(stack, run.executionArn);
    const wanted = run.succeeded ? 0 : 1;
    if (alerts !== wanted) broken.push(`${alerts} failure alerts, expected ${wanted}`);
  } finally {
    ssm.destroy();
    dynamodb.destroy();
    sfn.destroy();
  }
  return broken;
}

/** Signet's failure events about one execution, as the stack's event log holds them. */
async function alertsFor(stack: LocalStack, executionArn: string): Promise<number> {
  const lines = (await readFile(stack.paths.events, 'utf8')).split('\n').filter(Boolean);
  return lines
    .map(
      (line) =>
        JSON.parse(line) as { source?: string; 'detail-type'?: string; resources?: string[] },
    )
    .filter(
      (event) =>
        event.source === 'signet' &&
        event['detail-type'] !== 'Signet Deployment Succeeded' &&
        (event.resources ?? []).includes(executionArn),
    ).length;
}
