import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { CreateTagsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateTableDefinition } from '../../core/state-table.ts';
import { startLocalStack } from '../../local/stack/local-stack.ts';
import type { LocalStack } from '../../local/stack/options.ts';
import { stopGpgAgent } from '../../release/gpg.ts';
import { externalTool } from '../helpers/external-tools.ts';
import { type MotoServer, startMotoServer } from '../helpers/moto-server.ts';
import {
  EXPECTED_SUMMARY,
  publishObjectCreated,
  runDeploymentScenario,
} from './deployment-scenario.ts';

const available = await externalTool('moto_server', 'test/contracts/deployment-moto.test.ts', [
  '--help',
]);

// The same scenario as deployment-local.test.ts, with moto_server as S3 (a versioned bucket,
// so every pin is a real VersionId), Parameter Store, DynamoDB, KMS and EC2. Run Command,
// Step Functions and the instances stay Signet's own. moto's S3 sends no EventBridge events:
// this test publishes each upload's Object Created event on the stack's bus itself.
describe.skipIf(!available)('the deployment scenario against moto_server', () => {
  let moto: MotoServer;
  let stack: LocalStack;
  let s3: S3Client;
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'signet-scenario-moto-'));
    moto = await startMotoServer();
    const config = {
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDMOTO', secretAccessKey: 'moto-secret' },
    };
    s3 = new S3Client({ ...config, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'signet-artifacts' }));
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: 'signet-artifacts',
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    const dynamodb = new DynamoDBClient(config);
    await dynamodb.send(new CreateTableCommand(stateTableDefinition('signet-state')));
    dynamodb.destroy();
    const ec2 = new EC2Client(config);
    const launched = await ec2.send(
      new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 2, MaxCount: 2 }),
    );
    const instanceIds = (launched.Instances ?? []).map((i) => i.InstanceId ?? '');
    await ec2.send(
      new CreateTagsCommand({
        Resources: instanceIds,
        Tags: [{ Key: 'signet:app', Value: 'web' }],
      }),
    );
    ec2.destroy();
    stack = await startLocalStack({
      stateDir: join(work, 'state'),
      apps: [{ name: 'web', instances: 2, instanceIds }],
      externalEndpoints: {
        s3: moto.endpoint,
        dynamodb: moto.endpoint,
        kms: moto.endpoint,
        ec2: moto.endpoint,
        ssmParameters: moto.endpoint,
      },
    });
  });
  afterAll(async () => {
    await stopGpgAgent({ home: join(work, 'gnupg') });
    await stack?.close();
    s3?.destroy();
    await moto?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('deploys, rolls back, refuses and redeploys the pinned version as the local stack does', async () => {
    // Act
    const summary = await runDeploymentScenario({
      stack,
      s3,
      workDir: work,
      gnupgHome: join(work, 'gnupg'),
      announce: (bucket, key) => publishObjectCreated(stack, s3, bucket, key),
    });

    // Assess
    expect(summary).toEqual(EXPECTED_SUMMARY);
    // The state is moto's: the record, the audit chain and the fleet's ids are read from it.
    const config = {
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDMOTO', secretAccessKey: 'moto-secret' },
    };
    const ssm = new SSMClient(config);
    const record = await ssm.send(new GetParameterCommand({ Name: '/signet/apps/web/release' }));
    ssm.destroy();
    expect(JSON.parse(record.Parameter?.Value ?? '{}')).toMatchObject({
      current: { version: '1.1.0' },
    });
    const dynamodb = new DynamoDBClient(config);
    const audit = await dynamodb.send(
      new QueryCommand({
        TableName: 'signet-state',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'audit#web' } },
      }),
    );
    dynamodb.destroy();
    expect(audit.Items?.length).toBe(EXPECTED_SUMMARY.steps.length);
    await expect(readFile(join(work, 'state', 'parameters.json'), 'utf8')).rejects.toThrow();
  }, 120_000);
});
