import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SettingNames } from '../core/settings.ts';
import type { SignetDeployerProps } from './props.ts';
import { SignetDeployer } from './signet-deployer.ts';

export interface SignetStackProps extends StackProps {
  /** The deployer inside the stack. */
  readonly deployer: SignetDeployerProps;
}

/**
 * A stack holding one SignetDeployer. Its outputs are what the `signet` CLI reads from the
 * environment (named after the variables) and the policy each app's instance role needs.
 */
export class SignetStack extends Stack {
  readonly deployer: SignetDeployer;

  constructor(scope: Construct, id: string, props: SignetStackProps) {
    super(scope, id, props);
    this.deployer = new SignetDeployer(this, 'Signet', props.deployer);
    const { deployer } = this;

    const cliSettings: [string, string][] = [
      [SettingNames.stateMachineArn, deployer.stateMachine.stateMachineArn],
      [SettingNames.artifactBucket, deployer.artifactBucket.bucketName],
      [SettingNames.stateTable, deployer.stateTable.tableName],
      [SettingNames.parameterPrefix, deployer.parameterPrefix],
      [SettingNames.documentName, deployer.documentName],
      [SettingNames.releaseRuleName, deployer.releaseRuleName],
    ];
    for (const [variable, value] of cliSettings) {
      new CfnOutput(this, outputId(variable), {
        value,
        description: `export ${variable}=<this value> for the signet CLI`,
      });
    }
    new CfnOutput(this, 'AlertTopicArn', {
      value: deployer.alertTopic.topicArn,
      description: 'The SNS topic of Signet alerts',
    });
    for (const [app, policy] of deployer.instancePolicies) {
      new CfnOutput(this, outputId(`InstancePolicy-${app}`), {
        value: policy.managedPolicyArn,
        description: `Attach to the instance role of ${app} hosts, next to AmazonSSMManagedInstanceCore`,
      });
    }
    if (deployer.kmsSigner !== null) {
      new CfnOutput(this, 'ReleaseRoleArn', {
        value: deployer.kmsSigner.releaseRole.roleArn,
        description: 'role-to-assume for GitHub Actions (docs/examples/github-release.yml)',
      });
      new CfnOutput(this, 'KmsSigningKeyArn', {
        value: deployer.kmsSigner.keyArn,
        description: 'signet release --kms-key <this value>',
      });
    }
  }
}

/** SIGNET_STATE_TABLE -> SignetStateTable: output ids are alphanumeric. */
function outputId(name: string): string {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
