import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { appParameterPath } from '../parameter-paths.ts';
import { checkAppConfig } from './app-config.ts';
import { listConfiguredApps } from './app-names.ts';
import { checkAppTargets } from './app-targets.ts';
import { checkAppTrustedKeys } from './app-trusted-keys.ts';
import { guarded } from './aws-failure.ts';
import { checkBucketEvents } from './bucket-events.ts';
import { checkBucketVersioning } from './bucket-versioning.ts';
import { type CheckResult, type DoctorNames, failed, passed } from './check-result.ts';
import { checkReleaseRule } from './release-rule.ts';
import { checkRunCommandDocument } from './run-command-document.ts';
import { checkStateMachine } from './state-machine.ts';
import { checkStateTable } from './state-table.ts';

export interface DoctorClients {
  readonly s3: S3Client;
  readonly eventBridge: EventBridgeClient;
  readonly ssm: SSMClient;
  readonly sfn: SFNClient;
  readonly dynamodb: DynamoDBClient;
  readonly ec2: EC2Client;
  /** Used only for apps that trust KMS keys. */
  readonly kms: KMSClient;
}

export interface DoctorOptions {
  readonly clients: DoctorClients;
  readonly names: DoctorNames;
  /** The apps to check. Default: every app with parameters under the prefix. */
  readonly apps?: readonly string[];
}

export interface DoctorReport {
  /** True when no check failed (warnings allowed). */
  readonly ok: boolean;
  /** Every check's results: the deployment-wide checks first, then each app's. */
  readonly results: readonly CheckResult[];
}

// Names the release rule's canned upload when no app is configured yet.
const PLACEHOLDER_APP = 'example';

/**
 * Checks that a Signet deployment is wired as the stack builds it, through the given clients
 * (AWS, or the local stack through AWS_ENDPOINT_URL_<SERVICE>): the artifact bucket, the
 * release rule, the Command document, the state machine, the state table, and per app its
 * configuration, trusted keys and targets. Reports; never prints, never throws for what it
 * finds (an AWS call that fails is a failed check too).
 *
 * @example
 * const report = await runDoctor({ clients, names: { artifactBucket: 'b', ... } });
 * const problems = report.results.filter((result) => !result.ok);
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { clients, names } = options;
  const discovery = await appsToCheck(clients.ssm, names.parameterPrefix, options.apps);
  const deploymentWide = await Promise.all([
    checkBucketEvents(clients.s3, names.artifactBucket),
    checkBucketVersioning(clients.s3, names.artifactBucket),
    checkReleaseRule(clients.eventBridge, {
      ruleName: names.releaseRuleName,
      bucket: names.artifactBucket,
      app: discovery.apps[0] ?? PLACEHOLDER_APP,
    }),
    checkRunCommandDocument(clients.ssm, names.documentName),
    checkStateMachine(clients.sfn, names.stateMachineArn),
    checkStateTable(clients.dynamodb, names.stateTable),
  ]);
  const perApp: CheckResult[] = [];
  for (const app of discovery.apps) {
    perApp.push(...(await checkApp(clients, names.parameterPrefix, app)));
  }
  const results = [...discovery.results, ...deploymentWide.flat(), ...perApp];
  return { ok: results.every((result) => result.ok), results };
}

async function appsToCheck(
  ssm: SSMClient,
  prefix: string,
  named: readonly string[] | undefined,
): Promise<{ apps: readonly string[]; results: CheckResult[] }> {
  if (named !== undefined && named.length > 0) return { apps: named, results: [] };
  const where = appParameterPath(prefix, '');
  let apps: string[] = [];
  const results = await guarded('apps', where, ['ssm:GetParametersByPath'], async () => {
    apps = await listConfiguredApps(ssm, prefix);
    if (apps.length > 0) return [passed('apps', where)];
    return [
      failed(
        'apps',
        where,
        `no app has parameters under ${where}: nothing can be deployed`,
        'add apps to infra/signet.config.json and redeploy (`npx cdk deploy`), or set ' +
          'SIGNET_PARAMETER_PREFIX to the stack output SignetParameterPrefix',
      ),
    ];
  });
  return { apps, results };
}

async function checkApp(
  clients: DoctorClients,
  prefix: string,
  app: string,
): Promise<CheckResult[]> {
  const [config, trustedKeys] = await Promise.all([
    checkAppConfig(clients.ssm, prefix, app),
    checkAppTrustedKeys(clients, prefix, app),
  ]);
  // Without a configuration there is no tag to look for: its failure already says why.
  const targets =
    config.config === undefined
      ? []
      : await checkAppTargets(clients.ec2, clients.ssm, app, config.config.targets);
  return [...config.results, ...trustedKeys, ...targets];
}
