import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ArtifactBucket } from './artifact-bucket.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgements.ts';

export interface InstanceAccessProps {
  readonly apps: readonly string[];
  readonly artifacts: ArtifactBucket;
}

/**
 * One managed policy per app, for the role of that app's instances, next to the AWS-managed
 * AmazonSSMManagedInstanceCore (which the user attaches: it lets the SSM agent run commands).
 * It grants no read of the bucket: the host script downloads the release through a presigned
 * URL for one object version, made by start-command. It lets the SSM agent upload each
 * command's full output under `command-output/<app>/`, and nothing else.
 */
export class InstanceAccess extends Construct {
  /** Policies by app name. */
  readonly policies: ReadonlyMap<string, iam.ManagedPolicy>;

  constructor(scope: Construct, id: string, props: InstanceAccessProps) {
    super(scope, id);
    const policies = new Map<string, iam.ManagedPolicy>();
    for (const app of props.apps) {
      const output = props.artifacts.commandOutputOf(app);
      const policy = new iam.ManagedPolicy(this, `Policy-${app}`, {
        description: `Attach to the instance role of ${app} hosts next to AmazonSSMManagedInstanceCore`,
        statements: [
          // The agent uploads with the bucket-owner-full-control ACL, hence PutObjectAcl.
          new iam.PolicyStatement({
            actions: ['s3:PutObject', 's3:PutObjectAcl'],
            resources: [output],
          }),
          // The agent reads the bucket's default encryption before uploading to it.
          new iam.PolicyStatement({
            actions: ['s3:GetEncryptionConfiguration'],
            resources: [props.artifacts.bucket.bucketArn],
          }),
        ],
      });
      acknowledgeWildcardResources(
        policy,
        [output],
        `The SSM agent on ${app} hosts uploads command output under keys SSM makes per command ` +
          `and instance; the prefix command-output/${app}/ limits it to this app's output.`,
      );
      policies.set(app, policy);
    }
    this.policies = policies;
  }
}
