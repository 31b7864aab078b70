import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS } from '../../functions/manifest.ts';
import {
  EXAMPLE_KEY,
  logicalIdAt,
  propertiesOf,
  resourcesOfType,
  type SynthesizedSignet,
  synthesizeSignet,
} from '../helpers/infra-stack.ts';

interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Record<string, unknown>;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const EXISTING_KEY = 'arn:aws:kms:us-east-1:123456789012:key/0d5e7bbe-8a3c-4f4e-9a26-0ad1d5c3e0a1';
const PARTNER_KEY = 'arn:aws:kms:us-east-1:210987654321:key/1b6c2f0e-3d4a-4b5c-8d9e-0f1a2b3c4d5e';
const EXISTING_PROVIDER =
  'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
const SIGNATURE_CONDITION = {
  StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' },
};

const actionsOf = (statement: Statement) => [statement.Action].flat();

function statementsOfRole(synth: SynthesizedSignet, roleId: string): Statement[] {
  return Object.values(resourcesOfType(synth.template, 'AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties['Roles'] as { Ref: string }[]).some((role) => role.Ref === roleId),
    )
    .flatMap(
      (policy) => (policy.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement,
    );
}

function functionRole(synth: SynthesizedSignet, id: string): string {
  const name = id.replace(/(^|-)([a-z])/g, (_m, _d, letter: string) => letter.toUpperCase());
  const fn = propertiesOf(
    synth.template,
    'AWS::Lambda::Function',
    logicalIdAt(synth.stack, `/Functions/${name}/Resource`),
  );
  return (fn['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

function kmsActionsByFunction(synth: SynthesizedSignet): Record<string, Statement[]> {
  return Object.fromEntries(
    LAMBDA_FUNCTIONS.map((spec) => [
      spec.id,
      statementsOfRole(synth, functionRole(synth, spec.id)).filter((s) =>
        actionsOf(s).some((action) => action.startsWith('kms:')),
      ),
    ]).filter(([, statements]) => (statements as Statement[]).length > 0),
  );
}

// GIVEN web and api, and a KMS release key made by the construct that signs web's releases
// from acme/web's main branch; WHEN synthesized once.
describe('the KMS release key made by the construct', () => {
  let synth: SynthesizedSignet;
  let keyId: string;
  let roleId: string;
  let verifyRoleId: string;
  let bucketArn: unknown;

  beforeAll(() => {
    synth = synthesizeSignet({ kmsSigningKey: { githubRepository: 'acme/web', apps: ['web'] } });
    keyId = logicalIdAt(synth.stack, '/KmsSigning/Key');
    roleId = logicalIdAt(synth.stack, '/KmsSigning/ReleaseRole/Resource');
    verifyRoleId = functionRole(synth, 'verify-artifact');
    bucketArn = {
      'Fn::GetAtt': [logicalIdAt(synth.stack, '/ArtifactBucket/Artifacts/Resource'), 'Arn'],
    };
  });
  afterAll(() => synth.cleanup());

  const keyPolicy = () =>
    (
      propertiesOf(synth.template, 'AWS::KMS::Key', keyId)['KeyPolicy'] as {
        Statement: Statement[];
      }
    ).Statement;

  it('is an asymmetric ECC_NIST_P256 signing key, kept when the stack is deleted', () => {
    synth.template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(Object.keys(resourcesOfType(synth.template, 'AWS::KMS::Key'))).toContain(keyId);
  });

  it('lets only the release role sign and only the verify function verify, as Signet signs', () => {
    const signers = keyPolicy().filter((s) =>
      actionsOf(s).some((a) => /^kms:(Sign|Verify|\*)$/.test(a)),
    );
    expect(signers).toEqual([
      {
        Sid: 'ReleaseRoleSigns',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::GetAtt': [roleId, 'Arn'] } },
        Action: 'kms:Sign',
        Resource: '*',
        Condition: SIGNATURE_CONDITION,
      },
      {
        Sid: 'VerifierVerifies',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::GetAtt': [verifyRoleId, 'Arn'] } },
        Action: 'kms:Verify',
        Resource: '*',
        Condition: SIGNATURE_CONDITION,
      },
    ]);
  });

  it('lets the account administer the key, but neither use it nor grant its use', () => {
    const [administration, ...others] = keyPolicy();
    const actions = administration === undefined ? [] : actionsOf(administration);
    expect(administration?.Principal).toEqual({
      AWS: {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root'],
        ],
      },
    });
    expect(actions).toEqual(
      expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion']),
    );
    expect(actions.filter((a) => a.includes('*') || /Sign|Verify|CreateGrant/.test(a))).toEqual([]);
    expect(others.map((s) => s.Sid)).toEqual(['ReleaseRoleSigns', 'VerifierVerifies']);
  });

  it("trusts GitHub's OIDC tokens for sts.amazonaws.com", () => {
    synth.template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    synth.template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it('lets the release role be assumed only by workflows of acme/web on refs/heads/main', () => {
    const role = propertiesOf(synth.template, 'AWS::IAM::Role', roleId);
    const provider = logicalIdAt(synth.stack, '/KmsSigning/GitHubOidcProvider/Resource');
    expect(role['AssumeRolePolicyDocument']).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: { Ref: provider } },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': 'repo:acme/web:ref:refs/heads/main',
            },
          },
        },
      ],
    });
    expect(role['MaxSessionDuration']).toBe(3600);
  });

  it("lets the release role sign with the key and upload under web's releases/ only", () => {
    expect(statementsOfRole(synth, roleId)).toEqual([
      {
        Effect: 'Allow',
        Action: 'kms:Sign',
        Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
        Condition: SIGNATURE_CONDITION,
      },
      {
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [bucketArn, '/releases/web/*']] },
      },
    ]);
  });

  it('gives kms:Verify on the key to the verify function alone', () => {
    expect(kmsActionsByFunction(synth)).toEqual({
      'verify-artifact': [
        {
          Effect: 'Allow',
          Action: 'kms:Verify',
          Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
          Condition: SIGNATURE_CONDITION,
        },
      ],
    });
  });

  it('writes the key ARN as a trusted KMS key of web, and of no other app', () => {
    const parameters = Object.values(resourcesOfType(synth.template, 'AWS::SSM::Parameter'))
      .map((p) => p.Properties)
      .filter((p) => String(p['Name']).includes('/trusted-kms-keys/'));
    expect(parameters).toEqual([
      expect.objectContaining({
        Name: '/signet/apps/web/trusted-kms-keys/github-release',
        Value: { 'Fn::GetAtt': [keyId, 'Arn'] },
        Type: 'String',
      }),
    ]);
  });

  it('outputs the role to assume and the key to sign with', () => {
    synth.template.hasOutput('ReleaseRoleArn', { Value: { 'Fn::GetAtt': [roleId, 'Arn'] } });
    synth.template.hasOutput('KmsSigningKeyArn', { Value: { 'Fn::GetAtt': [keyId, 'Arn'] } });
  });

  it('is clean under cdk-nag AwsSolutions, every acknowledgement with its reason', () => {
    const report = new AwsSolutionsChecks().validateScope(synth.app);
    expect(report.violations).toEqual([]);
    expect(Annotations.fromStack(synth.stack).findWarning('*', Match.anyValue())).toEqual([]);
    const releaseRole = synth.stack.node
      .findAll()
      .find((c) => c.node.path.endsWith('/KmsSigning/ReleaseRole'));
    const acknowledged = releaseRole?.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    expect(acknowledged).toEqual([
      [
        expect.stringMatching(
          /AwsSolutions-IAM5\[Resource::<.*Artifacts.*\.Arn>\/releases\/web\/\*\]/,
        ),
        expect.stringContaining('limited to the release prefixes'),
      ],
    ]);
  });
});

// GIVEN an existing key and OIDC provider, and a partner's key web trusts on its own.
describe('an existing KMS release key', () => {
  let synth: SynthesizedSignet;
  beforeAll(() => {
    synth = synthesizeSignet({
      apps: [
        {
          name: 'web',
          trustedKeys: { release: EXAMPLE_KEY },
          trustedKmsKeys: { partner: PARTNER_KEY },
        },
        { name: 'api', trustedKeys: { ci: EXAMPLE_KEY } },
      ],
      kmsSigningKey: {
        githubRepository: 'acme/platform',
        githubRef: 'refs/tags/release',
        existingKeyArn: EXISTING_KEY,
        githubOidcProviderArn: EXISTING_PROVIDER,
      },
    });
  });
  afterAll(() => synth.cleanup());

  it('makes neither a signing key nor an OIDC provider', () => {
    const signingKeys = synth.template.findResources('AWS::KMS::Key', {
      Properties: { KeyUsage: 'SIGN_VERIFY' },
    });
    expect(signingKeys).toEqual({});
    synth.template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });

  it('trusts the given provider for the given repository and ref', () => {
    const role = propertiesOf(
      synth.template,
      'AWS::IAM::Role',
      logicalIdAt(synth.stack, '/KmsSigning/ReleaseRole/Resource'),
    );
    expect(role['AssumeRolePolicyDocument']).toMatchObject({
      Statement: [
        {
          Principal: { Federated: EXISTING_PROVIDER },
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:sub': 'repo:acme/platform:ref:refs/tags/release',
            },
          },
        },
      ],
    });
  });

  it('lets the verify function verify with the allow-listed keys, and nothing else', () => {
    expect(kmsActionsByFunction(synth)).toEqual({
      'verify-artifact': [
        {
          Effect: 'Allow',
          Action: 'kms:Verify',
          Resource: [PARTNER_KEY, EXISTING_KEY],
          Condition: SIGNATURE_CONDITION,
        },
      ],
    });
  });

  it('is clean under cdk-nag AwsSolutions', () => {
    expect(new AwsSolutionsChecks().validateScope(synth.app).violations).toEqual([]);
  });
});
