import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateTagsCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { stateTableDefinition } from '../../core/state-table.ts';
import { createControlPlaneServices } from '../../local/control-plane/create-services.ts';
import { startControlPlane } from '../../local/control-plane/server.ts';
import { createLocalFleet } from '../../local/instances/local-fleet.ts';
import { startLocalS3 } from '../../local/s3/server.ts';
import { LocalStepFunctions } from '../../local/stepfunctions/step-functions-service.ts';
import { startLocalDynamoDb } from '../helpers/local-dynamodb.ts';
import type { AwsClients, ContractWorld, RecordedStubs, TargetName } from './contract.ts';

/** A target the contracts run against, and how to stop it. */
export interface ContractTarget {
  readonly world: ContractWorld;
  readonly stubs?: RecordedStubs;
  close(): Promise<void>;
}

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'AKIDCONTRACT', secretAccessKey: 'contract-secret' };
const BUCKET = 'signet-contract-artifacts';
const PLAIN_BUCKET = 'signet-contract-plain';
const TABLE = 'signet-state';
const TAG_KEY = 'signet:app';

// A Wait far longer than any test keeps executions RUNNING until a case stops them.
const HOLDING_MACHINE = {
  StartAt: 'Hold',
  States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } },
};

/** The SDK clients Signet uses, each pointed at its endpoint. */
export function clientsFor(endpoints: Readonly<Record<keyof AwsClients, string>>): AwsClients {
  const config = (endpoint: string) => ({ endpoint, region: REGION, credentials: CREDENTIALS });
  return {
    s3: new S3Client({ ...config(endpoints.s3), forcePathStyle: true }),
    ssm: new SSMClient(config(endpoints.ssm)),
    ec2: new EC2Client(config(endpoints.ec2)),
    kms: new KMSClient(config(endpoints.kms)),
    dynamodb: new DynamoDBClient(config(endpoints.dynamodb)),
    eventBridge: new EventBridgeClient(config(endpoints.eventBridge)),
    sfn: new SFNClient(config(endpoints.sfn)),
  };
}

function counter(): (prefix: string) => string {
  let next = 0;
  return (prefix) => {
    next += 1;
    return `${prefix}-c${next}`;
  };
}

function destroyAll(clients: AwsClients): void {
  for (const client of Object.values(clients)) (client as { destroy(): void }).destroy();
}

/**
 * Signet's own local endpoints: the control plane (SSM, EC2, EventBridge, KMS, Step Functions)
 * over a local fleet, the local S3 and dynalite.
 */
export async function startLocalTarget(): Promise<ContractTarget> {
  const stateDir = await mkdtemp(join(tmpdir(), 'signet-contracts-'));
  const fleet = await createLocalFleet({
    stateDir,
    instances: [
      { name: 'web-1', tags: { [TAG_KEY]: 'web' } },
      { name: 'web-2', tags: { [TAG_KEY]: 'web' } },
      { name: 'web-3', tags: { [TAG_KEY]: 'web' } },
      { name: 'api-1', tags: { [TAG_KEY]: 'api' } },
    ],
    timing: { stopGraceMs: 500, drainMs: 50 },
  });
  await fleet.stopInstance('web-3');
  const services = await createControlPlaneServices({
    stateDir,
    fleet,
    documents: [],
    timing: { invocationVisibilityDelayMs: 300, deliveryDelayMs: 10 },
  });
  const stepFunctions = new LocalStepFunctions({
    stateDir: join(stateDir, 'sfn'),
    region: REGION,
    stateMachineName: 'signet-contract',
    definition: HOLDING_MACHINE,
    taskHandlers: new Map(),
    waitMs: 3_600_000,
  });
  const plane = await startControlPlane({
    services: [...services.services, stepFunctions.service],
  });
  const s3 = await startLocalS3({
    stateDir: join(stateDir, 's3'),
    buckets: [
      { name: BUCKET, versioning: true },
      { name: PLAIN_BUCKET, versioning: false },
    ],
  });
  const dynamodb = await startLocalDynamoDb(TABLE);
  const clients = clientsFor({
    s3: s3.endpoint,
    ssm: plane.endpoint,
    ec2: plane.endpoint,
    kms: plane.endpoint,
    dynamodb: dynamodb.endpoint,
    eventBridge: plane.endpoint,
    sfn: plane.endpoint,
  });
  const id = (name: string) => fleet.instance(name)?.id ?? '';
  return {
    world: {
      target: 'local',
      clients,
      bucket: BUCKET,
      plainBucket: PLAIN_BUCKET,
      table: TABLE,
      fleet: {
        tagKey: TAG_KEY,
        tagValue: 'web',
        running: [id('web-1'), id('web-2')],
        stopped: [id('web-3')],
        otherApp: [id('api-1')],
      },
      stateMachineArn: stepFunctions.stateMachineArn,
      unique: counter(),
    },
    async close() {
      destroyAll(clients);
      await stepFunctions.stopAll();
      await plane.close();
      await services.close();
      await s3.close();
      await dynamodb.close();
      await fleet.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** moto_server at `endpoint`, given the same buckets, table, tagged instances and machine. */
export async function prepareMotoTarget(endpoint: string): Promise<ContractTarget> {
  const clients = clientsFor({
    s3: endpoint,
    ssm: endpoint,
    ec2: endpoint,
    kms: endpoint,
    dynamodb: endpoint,
    eventBridge: endpoint,
    sfn: endpoint,
  });
  await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await clients.s3.send(
    new PutBucketVersioningCommand({
      Bucket: BUCKET,
      VersioningConfiguration: { Status: 'Enabled' },
    }),
  );
  await clients.s3.send(new CreateBucketCommand({ Bucket: PLAIN_BUCKET }));
  await clients.dynamodb.send(new CreateTableCommand(stateTableDefinition(TABLE)));
  const launch = async (app: string, count: number) => {
    const launched = await clients.ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        InstanceType: 't3.micro',
        MinCount: count,
        MaxCount: count,
      }),
    );
    const ids = (launched.Instances ?? []).map((i) => i.InstanceId ?? '');
    await clients.ec2.send(
      new CreateTagsCommand({ Resources: ids, Tags: [{ Key: TAG_KEY, Value: app }] }),
    );
    return ids;
  };
  const web = await launch('web', 3);
  const otherApp = await launch('api', 1);
  const stopped = web.slice(2);
  await clients.ec2.send(new StopInstancesCommand({ InstanceIds: stopped }));
  const machine = await clients.sfn.send(
    new CreateStateMachineCommand({
      name: 'signet-contract',
      definition: JSON.stringify(HOLDING_MACHINE),
      roleArn: 'arn:aws:iam::123456789012:role/signet-contract',
    }),
  );
  return {
    world: {
      target: 'moto',
      clients,
      bucket: BUCKET,
      plainBucket: PLAIN_BUCKET,
      table: TABLE,
      fleet: { tagKey: TAG_KEY, tagValue: 'web', running: web.slice(0, 2), stopped, otherApp },
      stateMachineArn: machine.stateMachineArn ?? '',
      unique: counter(),
    },
    close: async () => destroyAll(clients),
  };
}

/** AWS's documented answers, replayed by aws-sdk-client-mock; no server at all. */
export function recordedTarget(): ContractTarget {
  // Nothing listens here: every call is answered by a stub or fails loudly.
  const clients = clientsFor({
    s3: 'http://127.0.0.1:9',
    ssm: 'http://127.0.0.1:9',
    ec2: 'http://127.0.0.1:9',
    kms: 'http://127.0.0.1:9',
    dynamodb: 'http://127.0.0.1:9',
    eventBridge: 'http://127.0.0.1:9',
    sfn: 'http://127.0.0.1:9',
  });
  const stubs: RecordedStubs = {
    s3: mockClient(clients.s3),
    ssm: mockClient(clients.ssm),
    ec2: mockClient(clients.ec2),
    kms: mockClient(clients.kms),
    dynamodb: mockClient(clients.dynamodb),
    eventBridge: mockClient(clients.eventBridge),
    sfn: mockClient(clients.sfn),
  };
  return {
    world: {
      target: 'recorded' satisfies TargetName,
      clients,
      bucket: BUCKET,
      plainBucket: PLAIN_BUCKET,
      table: TABLE,
      fleet: {
        tagKey: TAG_KEY,
        tagValue: 'web',
        running: ['i-0a1b2c3d4e5f60001', 'i-0a1b2c3d4e5f60002'],
        stopped: ['i-0a1b2c3d4e5f60003'],
        otherApp: ['i-0a1b2c3d4e5f60004'],
      },
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:signet-contract',
      unique: counter(),
    },
    stubs,
    close: async () => {
      for (const stub of Object.values(stubs)) stub.restore();
      destroyAll(clients);
    },
  };
}
