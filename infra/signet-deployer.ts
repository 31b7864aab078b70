import { ArnFormat, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type SettingName, SettingNames } from '../core/settings.ts';
import { Alerts } from './alerts.ts';
import { AppParameters, appParameterArns } from './app-parameters.ts';
import { ArtifactBucket, COMMAND_OUTPUT_PREFIX } from './artifact-bucket.ts';
import { ExecutionStoppedRule } from './execution-stopped-rule.ts';
import type { AccessContext } from './function-access.ts';
import { SignetFunctions } from './functions.ts';
import { InstanceAccess } from './instance-access.ts';
import { KmsReleaseSigner } from './kms-release-signer.ts';
import type { SignetDeployerProps } from './props.ts';
import { ReleaseTrigger, releaseRuleNameFor } from './release-trigger.ts';
import { RunCommandDocument } from './run-command-document.ts';
import {
  DeployStateMachine,
  stateMachineArns,
  stateMachineNameFor,
  stateMachineTimeoutSeconds,
} from './state-machine.ts';
import { StateTable } from './state-table.ts';
import { type ValidatedProps, validateProps } from './validate-props.ts';

// A lock must outlive any execution still holding it: the file's timeout plus five minutes.
const LOCK_LEASE_MARGIN_SECONDS = 300;
// Presigned artifact URLs: long enough to download a large release, short enough to be useless
// once leaked from a host's process list.
const ARTIFACT_URL_SECONDS = 900;

/**
 * Everything Signet needs in one AWS account and Region: the artifact bucket whose uploads
 * start deployments, the state machine and its Lambdas, the Command document, the apps'
 * configuration and trusted keys, the state table, alerts, a policy per app for its
 * instances, and optionally a KMS release key with a GitHub Actions role that signs with it.
 *
 * @example
 * const deployer = new SignetDeployer(stack, 'Signet', {
 *   apps: [{ name: 'web', trustedKeys: { release: readFileSync('web.asc', 'utf8') } }],
 *   alertEmails: ['ops@example.com'],
 * });
 * // Attach deployer.instancePolicies.get('web') to the web hosts' instance role.
 */
export class SignetDeployer extends Construct {
  readonly artifactBucket: s3.Bucket;
  readonly stateTable: dynamodb.Table;
  readonly stateMachine: sfn.StateMachine;
  readonly alertTopic: sns.Topic;
  /** The Lambdas, by functions/manifest.ts id. */
  readonly functions: SignetFunctions;
  /** The policy to attach to each app's instance role, by app name. */
  readonly instancePolicies: ReadonlyMap<string, iam.ManagedPolicy>;
  /** The generated name of Signet's SSM Command document. */
  readonly documentName: string;
  /** The name of the EventBridge rule whose matches start deployments. */
  readonly releaseRuleName: string;
  readonly parameterPrefix: string;
  /** The KMS release key and its GitHub Actions role, when `kmsSigningKey` asks for them. */
  readonly kmsSigner: KmsReleaseSigner | null;

  constructor(scope: Construct, id: string, props: SignetDeployerProps) {
    super(scope, id);

    // Validation
    const settings = validateProps(this, props);
    this.parameterPrefix = settings.parameterPrefix;

    // Construction: state
    const artifacts = new ArtifactBucket(this, 'ArtifactBucket', settings);
    const table = new StateTable(this, 'StateTable').table;
    const document = new RunCommandDocument(this, 'RunCommandDocument');
    const signing = settings.kmsSigningKey;
    const signer =
      signing === null ? null : new KmsReleaseSigner(this, 'KmsSigning', { ...signing, artifacts });
    const trusted = { ...settings, apps: settings.apps.map((a) => signer?.trustedBy(a) ?? a) };
    for (const app of trusted.apps) {
      new AppParameters(this, `App-${app.name}`, app, settings.parameterPrefix);
    }

    // Construction: the deployment
    const stateMachineName = stateMachineNameFor(this);
    const releaseRuleName = releaseRuleNameFor(this);
    const arns = stateMachineArns(this, stateMachineName);
    const functions = new SignetFunctions(this, 'Functions', {
      bundleDir: settings.bundleDir,
      environment: environmentOf({
        artifactBucket: artifacts.bucket.bucketName,
        parameterPrefix: settings.parameterPrefix,
        stateTable: table.tableName,
        documentName: document.documentName,
        eventBusName: 'default',
        stateMachineArn: arns.stateMachineArn,
        commandOutputBucket: artifacts.bucket.bucketName,
        commandOutputPrefix: COMMAND_OUTPUT_PREFIX,
        lockLeaseSeconds: String(stateMachineTimeoutSeconds() + LOCK_LEASE_MARGIN_SECONDS),
        artifactUrlSeconds: String(ARTIFACT_URL_SECONDS),
        releaseRuleName,
      }),
      access: this.#accessContext(trusted, artifacts, table, document, arns),
      logRetention: settings.logRetention,
    });
    const verifyRole = functions.get('verify-artifact').role;
    if (verifyRole !== undefined) signer?.allowVerify(verifyRole);
    const deployment = new DeployStateMachine(this, 'StateMachine', {
      stateMachineName,
      functions: functions.byId,
      logRetention: settings.logRetention,
    });

    // Wiring
    new ReleaseTrigger(this, 'ReleaseTrigger', {
      ruleName: releaseRuleName,
      bucketName: artifacts.bucket.bucketName,
      startDeployment: functions.get('start-deployment'),
    });
    new ExecutionStoppedRule(this, 'ExecutionStopped', {
      stateMachineArn: deployment.stateMachine.stateMachineArn,
      recordOutcome: functions.get('record-outcome'),
    });
    const alerts = new Alerts(this, 'Alerts', {
      stateMachineArn: deployment.stateMachine.stateMachineArn,
      emails: settings.alertEmails,
    });
    const instances = new InstanceAccess(this, 'InstanceAccess', {
      apps: settings.apps.map((app) => app.name),
      artifacts,
    });

    this.artifactBucket = artifacts.bucket;
    this.stateTable = table;
    this.stateMachine = deployment.stateMachine;
    this.alertTopic = alerts.topic;
    this.functions = functions;
    this.instancePolicies = instances.policies;
    this.documentName = document.documentName;
    this.releaseRuleName = releaseRuleName;
    this.kmsSigner = signer;
  }

  #accessContext(
    settings: ValidatedProps,
    artifacts: ArtifactBucket,
    table: dynamodb.Table,
    document: RunCommandDocument,
    arns: { stateMachineArn: string; executionArns: string },
  ): AccessContext {
    const stack = Stack.of(this);
    return {
      apps: settings.apps.map((app) => {
        const parameters = appParameterArns(this, settings.parameterPrefix, app.name);
        return {
          name: app.name,
          tagKey: app.config.targets.tagKey,
          tagValue: app.config.targets.tagValue,
          parameters,
          trustedKeyArns: app.trustedKeys.map(
            (key) => `${parameters.trustedKeysPath}/${key.label}`,
          ),
          trustedKmsKeyParameterArns: app.trustedKmsKeys.map(
            (key) => `${parameters.trustedKmsKeysPath}/${key.label}`,
          ),
          kmsKeyArns: app.trustedKmsKeys.map((key) => key.keyArn),
          alarmArns: app.config.health.alarms.map((name) =>
            stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: name,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ),
        };
      }),
      artifacts,
      tableArn: table.tableArn,
      documentArn: document.documentArn,
      instanceArns: stack.formatArn({
        service: 'ec2',
        resource: 'instance',
        resourceName: '*',
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
      stateMachineArn: arns.stateMachineArn,
      executionArns: arns.executionArns,
      // Step Functions' own status events arrive on the default bus; Signet's go there too.
      eventBusArn: stack.formatArn({
        service: 'events',
        resource: 'event-bus',
        resourceName: 'default',
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
    };
  }
}

/** Every setting of core/settings.ts, by its environment variable: none can be forgotten. */
function environmentOf(values: Readonly<Record<SettingName, string>>): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(SettingNames) as SettingName[]).map((name) => [SettingNames[name], values[name]]),
  );
}
