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

  describe('a rollback, under the lock', () => {
    const deployed = (version: string) => ({
      version,
      bucket: 'artifacts',
      key: `releases/web/web-${version}.tar.gz`,
      versionId: `v-${version}`,
      etag: 'e',
      sha256: 'a'.repeat(64),
      signer: 'F'.repeat(40),
      signatureKey: null,
      signatureVersionId: null,
      deployedAt: '',
      execution: 'arn:other',
    });
    const rollback: DeploymentRequest = {
      ...releaseOf('1.2.0'),
      intent: 'rollback',
      source: 'manual',
      fromVersion: '1.3.0',
    };
    const recordWith = (current: string, previous: string) => {
      ssm.reset();
      stubAppParameters(ssm, {
        config: { rollout: { batchSize: 2 } },
        record: {
          app: 'web',
          current: deployed(current),
          previous: deployed(previous),
          highestVersion: current,
        },
      });
      ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
    };

    it('refuses it when another release became current after it was asked', async () => {
      // Prepare: asked while 1.3.0 was current; 1.5.0 finished deploying before the lock.
      recordWith('1.5.0', '1.3.0');

      // Act
      const result = handler({ app: 'web', request: rollback }, testTools());

      // Assess
      await expect(result).rejects.toMatchObject({
        name: 'RollbackOutdated',
        message: expect.stringMatching(
          /while 1\.3\.0 was current \(back to 1\.2\.0\), but 1\.5\.0 is current now.*status web/,
        ),
        details: { fromVersion: '1.3.0', current: '1.5.0', target: '1.2.0' },
      });
      expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(0);
    });

    it('plans it when the release it goes back from is still current', async () => {
      // Prepare
      recordWith('1.3.0', '1.2.0');
      ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });

      // Act
      const result = handler({ app: 'web', request: rollback }, testTools());

      // Assess: it gets past the check, to the fleet.
      await expect(result).rejects.toMatchObject({ name: 'NoTargets' });
    });
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

  function fleetOf(instances: Instance[], online: Record<string, string>) {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: instances }] });
    ssm.on(DescribeInstanceInformationCommand).resolves({
      InstanceInformationList: Object.entries(online).map(([id, ping]) => ({
        InstanceId: id,
        PingStatus: ping as 'Online',
      })),
    });
  }

  it('skips unreachable instances, naming them, when the app allows it', async () => {
    // Prepare
    ssm.reset();
    stubAppParameters(ssm, { config: { rollout: { onUnreachable: 'skip' } } });
    fleetOf([instance('i-a'), instance('i-b', 'stopped'), instance('i-c')], {
      'i-a': 'Online',
      'i-c': 'ConnectionLost',
    });

    // Act
    const plan = await handler({ app: 'web', request: releaseOf('1.2.0') }, testTools());

    // Assess
    expect(plan.batches).toEqual([['i-a']]);
    expect(plan.excluded).toEqual([
      { instanceId: 'i-b', reason: 'stopped' },
      { instanceId: 'i-c', reason: 'ConnectionLost' },
    ]);
  });

  it('names terminated instances without waiting for them', async () => {
    // Prepare
    fleetOf([instance('i-a'), instance('i-t', 'terminated'), instance('i-s', 'shutting-down')], {
      'i-a': 'Online',
    });

    // Act
    const plan = await handler({ app: 'web', request: releaseOf('1.2.0') }, testTools());

    // Assess
    expect(plan.batches).toEqual([['i-a']]);
    expect(plan.terminated).toEqual(['i-s', 'i-t']);
    expect(plan.excluded).toEqual([]);
  });

  it.each([
    ['a percentage batch', { batchSize: '25%' }, [3, 3, 3, 1], 0],
    [
      'batches shrunk to keep minimumHealthy',
      { batchSize: 10, minimumHealthy: '80%' },
      [2, 2, 2, 2, 2],
      0,
    ],
    ['a count of failures', { batchSize: 5, maximumFailed: 2 }, [5, 5], 2],
    ['a share of failures, rounded down', { batchSize: 5, maximumFailed: '15%' }, [5, 5], 1],
  ])('plans %s', async (_label, rollout, sizes, maximumFailed) => {
    // Prepare
    ssm.reset();
    stubAppParameters(ssm, { config: { rollout } });
    const ids = Array.from({ length: 10 }, (_, i) => `i-${i}`);
    fleetOf(
      ids.map((id) => instance(id)),
      Object.fromEntries(ids.map((id) => [id, 'Online'])),
    );

    // Act
    const plan = await handler({ app: 'web', request: releaseOf('1.2.0') }, testTools());

    // Assess
    expect(plan.batches.map((batch) => batch.length)).toEqual(sizes);
    expect(plan.tolerance).toMatchObject({ instanceCount: 10, maximumFailed });
  });
});
