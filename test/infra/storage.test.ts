import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../core/app-config.ts';
import { stateTableDefinition } from '../../core/state-table.ts';
import {
  logicalIdAt,
  resourcesOfType,
  type SynthesizedSignet,
  synthesizeSignet,
  TEST_APPS,
} from '../helpers/infra-stack.ts';

const ROOT = join(import.meta.dirname, '..', '..');

// GIVEN the stack with two apps, WHEN synthesized once for the whole file.
let synth: SynthesizedSignet;
let bucketId: string;
let logBucketId: string;
beforeAll(() => {
  synth = synthesizeSignet();
  bucketId = logicalIdAt(synth.stack, '/ArtifactBucket/Artifacts/Resource');
  logBucketId = logicalIdAt(synth.stack, '/ArtifactBucket/AccessLogs/Resource');
});
afterAll(() => synth.cleanup());

function bucketPolicyStatements(bucket: string): Record<string, unknown>[] {
  const policies = Object.values(resourcesOfType(synth.template, 'AWS::S3::BucketPolicy')).filter(
    (policy) => (policy.Properties['Bucket'] as { Ref?: string }).Ref === bucket,
  );
  expect(policies).toHaveLength(1);
  const document = policies[0]?.Properties['PolicyDocument'] as { Statement: [] };
  return document.Statement;
}

describe('artifact bucket', () => {
  it('is versioned, encrypted, private, logged and sends events to EventBridge', () => {
    synth.template.hasResource('AWS::S3::Bucket', {
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId } },
        NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      },
      DeletionPolicy: 'Retain',
    });
  });

  it('turns EventBridge on without the custom resource and Lambda that eventBridgeEnabled adds', () => {
    expect(resourcesOfType(synth.template, 'Custom::S3BucketNotifications')).toEqual({});
    const runtimes = Object.values(resourcesOfType(synth.template, 'AWS::Lambda::Function')).map(
      (fn) => fn.Properties['Runtime'],
    );
    expect(runtimes).toHaveLength(11);
    expect(new Set(runtimes)).toEqual(new Set(['nodejs24.x']));
  });

  it.each([
    ['artifact bucket', () => bucketId],
    ['access log bucket', () => logBucketId],
  ])('the %s refuses every request without TLS 1.2', (_label, id) => {
    const statements = bucketPolicyStatements(id());
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
      }),
    );
  });

  it('expires replaced versions, stale uploads and old command output', () => {
    const bucket = resourcesOfType(synth.template, 'AWS::S3::Bucket')[bucketId];
    expect(bucket?.Properties['LifecycleConfiguration']).toEqual({
      Rules: [
        {
          Id: 'expire-noncurrent-versions',
          Status: 'Enabled',
          NoncurrentVersionExpiration: { NoncurrentDays: 90 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        },
        {
          Id: 'expire-command-output',
          Status: 'Enabled',
          Prefix: 'command-output/',
          ExpirationInDays: 30,
        },
      ],
    });
  });

  it('lets only S3 log delivery, for this bucket and account, write the access logs', () => {
    const statements = bucketPolicyStatements(logBucketId);
    const allows = statements.filter((statement) => statement['Effect'] === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: 's3:PutObject',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Condition: {
        ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } },
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      },
    });
    const logBucket = resourcesOfType(synth.template, 'AWS::S3::Bucket')[logBucketId];
    expect(logBucket?.Properties).not.toHaveProperty('AccessControl');
  });
});

describe('state table', () => {
  it('has the keys core/state-table.ts defines, on demand, with PITR, TTL and kept on delete', () => {
    const definition = stateTableDefinition('ignored');
    synth.template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: definition.KeySchema,
        AttributeDefinitions: definition.AttributeDefinitions,
        BillingMode: definition.BillingMode,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        SSESpecification: { SSEEnabled: true },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });
});

describe('Run Command document', () => {
  it('is a Command document whose content is documents/signet-deploy.json unchanged', () => {
    const file = JSON.parse(readFileSync(join(ROOT, 'documents', 'signet-deploy.json'), 'utf8'));
    const documents = Object.values(resourcesOfType(synth.template, 'AWS::SSM::Document'));
    expect(documents).toHaveLength(1);
    expect(documents[0]?.Properties['DocumentType']).toBe('Command');
    expect(documents[0]?.Properties['Content']).toEqual(file);
    // CloudFormation names it: two stacks in one Region must not collide.
    expect(documents[0]?.Properties).not.toHaveProperty('Name');
  });
});

describe('app parameters', () => {
  it.each(TEST_APPS.map((app) => [app.name, app]))(
    'writes the config of %s as parseAppConfig reads it back',
    (name, app) => {
      const { app: _app, ...expected } = parseAppConfig(name, app.config ?? {});
      const parameter = Object.values(resourcesOfType(synth.template, 'AWS::SSM::Parameter')).find(
        (p) => p.Properties['Name'] === `/signet/apps/${name}/config`,
      );
      const stored = JSON.parse(String(parameter?.Properties['Value']));
      expect(stored).toEqual(expected);
      expect(parseAppConfig(name, stored)).toEqual(parseAppConfig(name, app.config ?? {}));
    },
  );

  it('stores each trusted key under the app path, as a plain (public) String', () => {
    const names = Object.values(resourcesOfType(synth.template, 'AWS::SSM::Parameter'))
      .map((p) => [p.Properties['Name'], p.Properties['Type']])
      .filter(([name]) => String(name).includes('/trusted-keys/'));
    expect(names.sort()).toEqual([
      ['/signet/apps/api/trusted-keys/backup', 'String'],
      ['/signet/apps/api/trusted-keys/ci', 'String'],
      ['/signet/apps/web/trusted-keys/release', 'String'],
    ]);
  });

  it('creates no release record: record-release writes it at run time', () => {
    const names = Object.values(resourcesOfType(synth.template, 'AWS::SSM::Parameter')).map((p) =>
      String(p.Properties['Name']),
    );
    expect(names.filter((name) => /^\/signet\/apps\/[^/]+\/release$/.test(name))).toEqual([]);
  });
});
