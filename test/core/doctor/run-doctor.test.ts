import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import {
  GetBucketNotificationConfigurationCommand,
  GetBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import {
  DescribeDocumentCommand,
  DescribeInstanceInformationCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../../core/doctor/run-doctor.ts';
import { DOCUMENT_PARAMETER_NAMES } from '../../../core/document-parameters.ts';
import { releaseUploadedPattern } from '../../../core/event-patterns.ts';
import { matchesEventPattern } from '../../../local/control-plane/event-pattern.ts';

const KEY = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'infra', 'keys', 'web-example.asc'),
  'utf8',
);
const NAMES = {
  artifactBucket: 'artifacts',
  releaseRuleName: 'signet-release-uploaded',
  documentName: 'SignetDeploy',
  stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:signet-deploy',
  stateTable: 'signet-state',
  parameterPrefix: '/signet',
};

const mocks = {
  s3: mockClient(S3Client),
  eventBridge: mockClient(EventBridgeClient),
  ssm: mockClient(SSMClient),
  sfn: mockClient(SFNClient),
  dynamodb: mockClient(DynamoDBClient),
  ec2: mockClient(EC2Client),
  kms: mockClient(KMSClient),
};
const config = { region: 'us-east-1' };
const clients = {
  s3: new S3Client(config),
  eventBridge: new EventBridgeClient(config),
  ssm: new SSMClient(config),
  sfn: new SFNClient(config),
  dynamodb: new DynamoDBClient(config),
  ec2: new EC2Client(config),
  kms: new KMSClient(config),
};

/** A deployment wired as the stack wires it, with apps `web` and `api` on one instance each. */
function healthyDeployment(apps: readonly string[] = ['web', 'api']) {
  for (const mock of Object.values(mocks)) mock.reset();
  mocks.s3.on(GetBucketNotificationConfigurationCommand).resolves({ EventBridgeConfiguration: {} });
  mocks.s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
  mocks.eventBridge.on(DescribeRuleCommand).resolves({
    Name: NAMES.releaseRuleName,
    Arn: `arn:aws:events:us-east-1:123456789012:rule/${NAMES.releaseRuleName}`,
    State: 'ENABLED',
    EventPattern: JSON.stringify(releaseUploadedPattern(NAMES.artifactBucket)),
  });
  mocks.eventBridge.on(ListTargetsByRuleCommand).resolves({
    Targets: [
      {
        Id: 'Target0',
        Arn: 'arn:aws:lambda:us-east-1:000000000000:function:signet-start-deployment',
      },
    ],
  });
  mocks.eventBridge
    .on(TestEventPatternCommand)
    .callsFake((input: { EventPattern: string; Event: string }) => ({
      Result: matchesEventPattern(JSON.parse(input.EventPattern), JSON.parse(input.Event)),
    }));
  mocks.ssm.on(DescribeDocumentCommand).resolves({
    Document: {
      DocumentType: 'Command',
      Status: 'Active',
      Parameters: DOCUMENT_PARAMETER_NAMES.map((Name) => ({ Name, Type: 'String' })),
    },
  });
  mocks.sfn.on(DescribeStateMachineCommand).resolves({ status: 'ACTIVE' });
  mocks.dynamodb.on(DescribeTableCommand).resolves({
    Table: {
      TableStatus: 'ACTIVE',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    },
  });
  mocks.ssm
    .on(GetParametersByPathCommand)
    .callsFake((input: { Path: string; Recursive?: boolean }) => {
      if (input.Recursive === true) {
        return {
          Parameters: apps.flatMap((app) => [
            { Name: `/signet/apps/${app}/config` },
            { Name: `/signet/apps/${app}/trusted-keys/release` },
          ]),
        };
      }
      if (input.Path.endsWith('/trusted-keys')) {
        return { Parameters: [{ Name: `${input.Path}/release`, Value: KEY }] };
      }
      return { Parameters: [] };
    });
  mocks.ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '{}' } });
  mocks.ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [{ Instances: [{ InstanceId: 'i-0a', State: { Name: 'running' } }] }],
  });
  mocks.ssm
    .on(DescribeInstanceInformationCommand)
    .resolves({ InstanceInformationList: [{ InstanceId: 'i-0a', PingStatus: 'Online' }] });
}

describe('runDoctor', () => {
  beforeEach(() => healthyDeployment());

  it('passes a deployment wired as the stack wires it, checking every app', async () => {
    // Act
    const report = await runDoctor({ clients, names: NAMES });

    // Assess
    expect(report.ok).toBe(true);
    expect(report.results.map((r) => `${r.check} ${r.target}`)).toEqual([
      'apps /signet/apps/',
      'bucket-events artifacts',
      'bucket-versioning artifacts',
      'release-rule signet-release-uploaded',
      'release-rule-target signet-release-uploaded',
      'release-rule-pattern signet-release-uploaded',
      'run-command-document SignetDeploy',
      `state-machine ${NAMES.stateMachineArn}`,
      'state-table signet-state',
      'app-config api',
      'app-trusted-keys api',
      'app-targets api',
      'app-config web',
      'app-trusted-keys web',
      'app-targets web',
    ]);
    const listing = mocks.ssm
      .commandCalls(GetParametersByPathCommand)
      .find((call) => call.args[0].input.Recursive === true);
    expect(listing?.args[0].input).toMatchObject({ Path: '/signet/apps', Recursive: true });
  });

  it('checks only the apps it is given, and tests the rule with the first of them', async () => {
    // Act
    const report = await runDoctor({ clients, names: NAMES, apps: ['web'] });

    // Assess
    expect(report.results.filter((r) => r.check.startsWith('app')).map((r) => r.target)).toEqual([
      'web',
      'web',
      'web',
    ]);
    const event = JSON.parse(
      mocks.eventBridge.commandCalls(TestEventPatternCommand)[0]?.args[0].input.Event ?? '{}',
    );
    expect(event.detail.object.key).toBe('releases/web/web-1.0.0.tar.gz');
  });

  it('fails when no app is configured under the prefix', async () => {
    // Prepare
    healthyDeployment([]);

    // Act
    const report = await runDoctor({ clients, names: NAMES });

    // Assess
    expect(report.ok).toBe(false);
    expect(report.results[0]).toMatchObject({ check: 'apps', ok: false });
    expect(report.results[0]?.fix).toContain('SIGNET_PARAMETER_PREFIX');
  });

  it('reports an endpoint that does not answer as failed checks, and runs the others', async () => {
    // Prepare
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    mocks.s3.on(GetBucketVersioningCommand).rejects(refused);

    // Act
    const report = await runDoctor({ clients, names: NAMES, apps: ['web'] });

    // Assess
    expect(report.ok).toBe(false);
    const failures = report.results.filter((r) => !r.ok);
    expect(failures.map((r) => r.check)).toEqual(['bucket-versioning']);
    expect(failures[0]?.problem).toBe(
      'AWS could not be reached about artifacts: connect ECONNREFUSED 127.0.0.1:1',
    );
    expect(failures[0]?.fix).toContain('AWS_ENDPOINT_URL_S3');
    expect(report.results).toHaveLength(11);
  });

  it('throws what is not an AWS call failing: a bug must not pass for a finding', async () => {
    // Prepare
    mocks.sfn.on(DescribeStateMachineCommand).rejects(new TypeError('undefined is not a function'));

    // Act
    const running = runDoctor({ clients, names: NAMES, apps: ['web'] });

    // Assess
    await expect(running).rejects.toThrow(TypeError);
  });
});
