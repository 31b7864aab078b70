import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { ArtifactBucket } from './artifact-bucket.ts';
import { KMS_SIGNATURE_CONDITIONS } from './function-access.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgements.ts';
import type { ValidatedApp } from './validate-props.ts';
import type { ValidatedSigningKey } from './validate-signing-key.ts';

const GITHUB_ISSUER = 'token.actions.githubusercontent.com';
// The audience GitHub's aws-actions/configure-aws-credentials asks tokens for.
const STS_AUDIENCE = 'sts.amazonaws.com';

// What the account may do with the key: everything but use it. AWS requires a key policy that
// lets the account manage the key (or CloudFormation cannot create it: the lockout safety
// check); granting it kms:Sign, kms:Verify or kms:CreateGrant as well would let any IAM policy
// of the account hand out signing.
const KEY_ADMINISTRATION = [
  'kms:DescribeKey',
  'kms:GetPublicKey',
  'kms:GetKeyPolicy',
  'kms:PutKeyPolicy',
  'kms:ListGrants',
  'kms:ListResourceTags',
  'kms:RevokeGrant',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:UpdateKeyDescription',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:UpdateAlias',
];

export interface KmsReleaseSignerProps extends ValidatedSigningKey {
  readonly artifacts: ArtifactBucket;
}

/**
 * The KMS release key (ECC_NIST_P256, SIGN_VERIFY) and the role GitHub Actions assume through
 * OIDC to sign with it and upload releases: assumable only by tokens of one repository and
 * ref, allowed kms:Sign on the key and s3:PutObject under the covered apps' release prefixes.
 * A key made here has a policy that lets the release role sign and the verify function
 * (`allowVerify`) verify, and nobody else do either.
 */
export class KmsReleaseSigner extends Construct {
  readonly keyArn: string;
  readonly releaseRole: iam.Role;
  readonly #keyPolicy: iam.PolicyDocument | null;
  readonly #apps: readonly string[];
  readonly #label: string;

  constructor(scope: Construct, id: string, props: KmsReleaseSignerProps) {
    super(scope, id);
    this.#apps = props.apps;
    this.#label = props.label;
    const providerArn =
      props.githubOidcProviderArn ??
      new iam.OidcProviderNative(this, 'GitHubOidcProvider', {
        url: `https://${GITHUB_ISSUER}`,
        clientIds: [STS_AUDIENCE],
      }).oidcProviderArn;

    this.releaseRole = new iam.Role(this, 'ReleaseRole', {
      description:
        `Signet releases: GitHub Actions of ${props.githubRepository} on ${props.githubRef} ` +
        'sign with the KMS release key and upload',
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.WebIdentityPrincipal(providerArn, {
        StringEquals: {
          [`${GITHUB_ISSUER}:aud`]: STS_AUDIENCE,
          [`${GITHUB_ISSUER}:sub`]: `repo:${props.githubRepository}:ref:${props.githubRef}`,
        },
      }),
    });

    if (props.existingKeyArn === null) {
      this.#keyPolicy = new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'AccountAdministersTheKey',
            principals: [new iam.AccountRootPrincipal()],
            actions: KEY_ADMINISTRATION,
            resources: ['*'],
          }),
          signatureStatement('ReleaseRoleSigns', 'kms:Sign', this.releaseRole),
        ],
      });
      const key = new kms.CfnKey(this, 'Key', {
        description: 'Signet release signing key (ECDSA P-256 over the SHA-256 digest)',
        keySpec: kms.KeySpec.ECC_NIST_P256,
        keyUsage: kms.KeyUsage.SIGN_VERIFY,
        keyPolicy: this.#keyPolicy,
      });
      key.applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.keyArn = key.attrArn;
    } else {
      this.#keyPolicy = null;
      this.keyArn = props.existingKeyArn;
    }

    const uploads = props.apps.map((app) => props.artifacts.releasesOf(app));
    this.releaseRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Sign'],
        resources: [this.keyArn],
        conditions: { StringEquals: KMS_SIGNATURE_CONDITIONS },
      }),
    );
    this.releaseRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: uploads }),
    );
    acknowledgeWildcardResources(
      this.releaseRole,
      uploads,
      's3:PutObject: limited to the release prefixes (releases/<app>/*) of the apps this key ' +
        'signs; every release is a new key under them, so none can be named at synth time.',
    );
  }

  /** The app, trusting this key under its label when the key signs the app's releases. */
  trustedBy(app: ValidatedApp): ValidatedApp {
    if (!this.#apps.includes(app.name)) return app;
    const key = { label: this.#label, keyArn: this.keyArn };
    return { ...app, trustedKmsKeys: [...app.trustedKmsKeys, key] };
  }

  /** Lets `role` call kms:Verify on a key made here (an existing key's policy is its owner's). */
  allowVerify(role: iam.IRole): void {
    this.#keyPolicy?.addStatements(signatureStatement('VerifierVerifies', 'kms:Verify', role));
  }
}

function signatureStatement(sid: string, action: string, role: iam.IRole): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    principals: [new iam.ArnPrincipal(role.roleArn)],
    actions: [action],
    resources: ['*'],
    conditions: { StringEquals: KMS_SIGNATURE_CONDITIONS },
  });
}
