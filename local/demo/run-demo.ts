import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AuditLog } from '../../core/audit-log.ts';
import { defineError } from '../../core/errors.ts';
import { executionArnFor, executionNameForObject } from '../../core/execution-name.ts';
import { readReleaseRecord } from '../../core/release-record.ts';
import { gpgVersion, stopGpgAgent } from '../../release/gpg.ts';
import { trustLocalSigningKey } from '../example-app.ts';
import { startLocalStack } from '../stack/local-stack.ts';
import type { LocalStack } from '../stack/options.ts';
import { countCommandsSent } from './commands-sent.ts';
import { releaseExample } from './demo-release.ts';
import type { DemoProgress, DemoReport, ReleaseReport } from './demo-report.ts';
import { probeInstance } from './instance-probe.ts';
import { failureEventFor } from './recorded-events.ts';

const APP = 'web';

/** The demo's four releases: what each one shows, and how it must end. */
const SCENARIOS = [
  {
    version: '1.0.0',
    scenario: 'first release',
    expected: { outcome: 'SUCCEEDED', error: null },
    serves: '1.0.0',
  },
  {
    version: '1.1.0',
    scenario: 'healthy upgrade',
    expected: { outcome: 'SUCCEEDED', error: null },
    serves: '1.1.0',
  },
  {
    version: '1.2.0',
    scenario: 'fails health, rolls back',
    expected: { outcome: 'FAILED', error: 'HealthCheckFailed' },
    serves: '1.1.0',
    unhealthy: true,
  },
  {
    version: '1.3.0',
    scenario: 'tampered after signing',
    expected: { outcome: 'FAILED', error: 'SignatureInvalid' },
    serves: '1.1.0',
    tamperAfterSigning: true,
  },
] as const;

export interface DemoOptions {
  /** Wiped and rebuilt at the start of every demo run. */
  readonly stateDir: string;
  readonly progress?: DemoProgress;
  /** Resolves on Ctrl-C: the demo stops before its next release and stops the stack. */
  readonly interrupted?: Promise<void>;
}

/** The demo was stopped by the person running it; the stack it started is stopped. */
export const DemoInterrupted = defineError('Interrupted', 'user');

/**
 * Signet's whole job on one machine: starts the local stack, makes a signing key with gpg,
 * and releases the example app four times, checking each outcome the way a user would (over
 * HTTP on each instance, in the release record, in the events). Never prints: it reports.
 */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const progress = options.progress ?? (() => undefined);
  let interrupted = false;
  void options.interrupted?.then(() => {
    interrupted = true;
    progress('interrupted: stopping after the release in progress');
  });
  const started = Date.now();
  await gpgVersion();
  await rm(options.stateDir, { recursive: true, force: true });
  const work = join(options.stateDir, 'work');
  const gnupgHome = join(options.stateDir, 'gnupg');
  await mkdir(work, { recursive: true });

  progress('starting the local stack (S3, DynamoDB, control plane, 2 instances, state machine)');
  const stack = await startLocalStack({ stateDir: options.stateDir });
  const s3 = new S3Client({});
  const ssm = new SSMClient({});
  const dynamodb = new DynamoDBClient({});
  try {
    progress('making a demo signing key with gpg and trusting it for app web');
    await trustLocalSigningKey({
      gnupgHome,
      userId: 'Signet Demo <demo@signet.invalid>',
      label: 'demo',
      app: APP,
    });

    const releases: ReleaseReport[] = [];
    for (const scenario of SCENARIOS) {
      if (interrupted) {
        throw new DemoInterrupted(`stopped before releasing ${APP} ${scenario.version}`);
      }
      progress(`releasing ${APP} ${scenario.version}: ${scenario.scenario}`);
      const commandsBefore = await countCommandsSent(ssm);
      const releaseStarted = Date.now();
      const uploaded = await releaseExample({
        s3,
        bucket: stack.bucket,
        app: APP,
        version: scenario.version,
        workDir: work,
        gnupgHome,
        unhealthy: 'unhealthy' in scenario,
        tamperAfterSigning: 'tamperAfterSigning' in scenario,
      });
      const execution = await waitForDeployment(
        stack,
        executionNameForObject({ app: APP, version: scenario.version }, uploaded),
      );
      const durationMs = Date.now() - releaseStarted;
      const instances = await Promise.all(stack.instances.map(probeInstance));
      const record = await readReleaseRecord(ssm, '/signet', APP);
      const commandsSent = (await countCommandsSent(ssm)) - commandsBefore;

      const problems: string[] = [];
      if (execution.status !== scenario.expected.outcome) {
        problems.push(`expected ${scenario.expected.outcome}, got ${execution.status}`);
      }
      if ((execution.error ?? null) !== scenario.expected.error) {
        problems.push(
          `expected error ${scenario.expected.error ?? 'none'}, got ${execution.error ?? 'none'}`,
        );
      }
      for (const instance of instances) {
        if (instance.version !== scenario.serves || !instance.healthy) {
          problems.push(
            `${instance.name} serves ${instance.version ?? 'nothing'} ` +
              `(${instance.healthy ? 'healthy' : 'unhealthy'}), expected ${scenario.serves} healthy`,
          );
        }
      }
      if (record.current?.version !== scenario.serves) {
        problems.push(
          `release record says current ${record.current?.version ?? 'none'}, expected ${scenario.serves}`,
        );
      }
      if (
        scenario.expected.outcome === 'FAILED' &&
        !(await failureEventFor(stack.paths.events, execution.executionArn))
      ) {
        problems.push('no failure event was emitted');
      }
      if ('tamperAfterSigning' in scenario && commandsSent > 0) {
        problems.push(`${commandsSent} command(s) were sent for a refused release`);
      }
      releases.push({
        version: scenario.version,
        scenario: scenario.scenario,
        expected: scenario.expected,
        outcome: execution.status,
        error: execution.error ?? null,
        cause: execution.cause ?? null,
        durationMs,
        execution: execution.executionArn,
        instances,
        record: {
          current: record.current?.version ?? null,
          previous: record.previous?.version ?? null,
        },
        commandsSent,
        problems,
      });
      progress(
        `  ${execution.status} ${execution.error ?? ''} in ${(durationMs / 1000).toFixed(1)} s`,
      );
    }

    const auditExport = join(options.stateDir, 'audit', `${APP}.json`);
    await mkdir(join(options.stateDir, 'audit'), { recursive: true });
    const auditLog = new AuditLog(dynamodb, stack.env['SIGNET_STATE_TABLE'] ?? 'signet-state');
    await writeFile(auditExport, `${JSON.stringify(await auditLog.all(APP), null, 2)}\n`);

    return {
      passed: releases.every((release) => release.problems.length === 0),
      durationMs: Date.now() - started,
      releases,
      paths: {
        stateDir: stack.stateDir,
        lambdaLogs: stack.paths.lambdaLogs,
        events: stack.paths.events,
        executions: stack.paths.executions,
        auditExport,
        instances: stack.paths.instances,
        commandOutput: stack.paths.commandOutput,
      },
    };
  } finally {
    progress('stopping the local stack');
    s3.destroy();
    ssm.destroy();
    dynamodb.destroy();
    await stopGpgAgent({ home: gnupgHome });
    await stack.close();
  }
}

/** The upload starts the execution through the EventBridge rule; wait for it, then its end. */
async function waitForDeployment(stack: LocalStack, name: string) {
  const executionArn = executionArnFor(stack.stateMachineArn, name);
  const deadline = Date.now() + 30_000;
  while (!stack.stepFunctions.executions().some((e) => e.executionArn === executionArn)) {
    if (Date.now() > deadline) throw new Error(`The upload started no deployment named ${name}`);
    await stack.idle();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return stack.stepFunctions.waitFor(executionArn);
}
