import {
  DescribeInstancesCommand,
  EC2Client,
  type Instance,
  type InstanceStateName,
} from '@aws-sdk/client-ec2';
import { DescribeInstanceInformationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeploymentRequest } from '../../core/deployment-request.ts';
import { resolveTargets } from '../../functions/resolve-targets/handler.ts';
import { stubAppParameters } from '../helpers/app-parameters.ts';
import { testTools } from '../helpers/handler-tools.ts';

const instance = (id: string, state = 'running'): Instance => ({
  InstanceId: id,
  State: { Name: state as InstanceStateName },
});

function releaseOf(version: string): DeploymentRequest {
  return {
    app: 'web',
    version,
    bucket: 'artifacts',
    key: `releases/web/web-${version}.tar.gz`,
    versionId: 'v',
    etag: null,
    intent: 'release',
    requestedBy: null,
    source: 'eventbridge',
    expectedSha256: null,
    signature: null,
  };
}

describe('resolve-targets', () => {
  const ec2 = mockClient(EC2Client);
  const ssm = mockClient(SSMClient);
  const handler = resolveTargets({
    ec2: () => new EC2Client({ region: 'us-east-1' }),
    ssm: () => new SSMClient({ region: 'us-east-1' }),
    parameterPrefix: () => '/signet',
  });

  beforeEach(() => {
    ec2.reset();
    ssm.reset();
    stubAppParameters(ssm, { config: { rollout: { batchSize: 2 } } });
  });

  it('finds the tagged, running, online instances and plans batches', async () => {
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        { Instances: [instance('i-c'), instance('i-a')] },
        { Instances: [instance('i-b')] },
      ],
    });
    ssm.on(DescribeInstanceInformationCommand).resolves({
      InstanceInformationList: ['i-a', 'i-b', 'i-c'].map((id) => ({
        InstanceId: id,
        PingStatus: 'Online',
      })),
    });

    const plan = await handler({ app: 'web', request: releaseOf('1.2.0') }, testTools());

    expect(ec2.commandCalls(DescribeInstancesCommand)[0]?.args[0].input.Filters).toContainEqual({
      Name: 'tag:signet:app',
      Values: ['web'],
    });
    expect(plan).toMatchObject({
      batches: [['i-a', 'i-b'], ['i-c']],
      batchCount: 2,
      instanceCount: 3,
      rollbackTarget: null,
    });
  });

  it('refuses, under the lock, a release overtaken by another since it was verified', async () => {
    ssm.reset();
    const deployed = {
      version: '1.3.0',
      bucket: 'artifacts',
      key: 'releases/web/web-1.3.0.tar.gz',
      versionId: 'v',
      etag: 'e',
      sha256: 'a'.repeat(64),
      signer: 'F'.repeat(40),
      signatureKey: null,
      signatureVersionId: null,
      deployedAt: '',
      execution: 'arn:other',
    };
    stubAppParameters(ssm, {
      config: { rollout: { batchSize: 2 } },
      record: { app: 'web', current: deployed, previous: null, highestVersion: '1.3.0' },
    });
    await expect(
      handler({ app: 'web', request: releaseOf('1.2.0') }, testTools()),
    ).rejects.toMatchObject({
      name: 'VersionNotNewer',
    });
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(0);
  });

  it('fails with NoTargets when nothing is tagged', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    await expect(
      handler({ app: 'web', request: releaseOf('1.2.0') }, testTools()),
    ).rejects.toMatchObject({ name: 'NoTargets' });
  });

  it('stops before touching anything when a tagged instance is stopped or offline, naming it', async () => {
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [{ Instances: [instance('i-a'), instance('i-b', 'stopped'), instance('i-c')] }],
    });
    ssm.on(DescribeInstanceInformationCommand).resolves({
      InstanceInformationList: [
        { InstanceId: 'i-a', PingStatus: 'Online' },
        { InstanceId: 'i-c', PingStatus: 'ConnectionLost' },
      ],
    });
    await expect(
      handler({ app: 'web', request: releaseOf('1.2.0') }, testTools()),
    ).rejects.toMatchObject({
      name: 'TargetsUnavailable',
      message: expect.stringMatching(/i-b \(stopped\).*i-c \(ConnectionLost\)/),
    });
  });
});
