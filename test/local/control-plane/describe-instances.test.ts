import { DescribeInstancesCommand, type DescribeInstancesCommandInput } from '@aws-sdk/client-ec2';
import {
  DescribeInstanceInformationCommand,
  type DescribeInstanceInformationCommandInput,
} from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalStack, rejection, startLocalStack } from './local-stack.ts';

describe('EC2 DescribeInstances', () => {
  let stack: LocalStack;
  let ids: Record<string, string>;
  beforeEach(async () => {
    stack = await startLocalStack();
    ids = Object.fromEntries(
      stack.fleet.instances().map((instance) => [instance.name, instance.id]),
    );
  });
  afterEach(async () => {
    await stack.close();
  });

  const describeNames = async (input: DescribeInstancesCommandInput) => {
    const result = await stack.ec2.send(new DescribeInstancesCommand(input));
    return (result.Reservations ?? [])
      .flatMap((reservation) => reservation.Instances ?? [])
      .map((instance) => instance.Tags?.find((tag) => tag.Key === 'Name')?.Value)
      .sort();
  };

  it('describes an instance as EC2 does: id, state, tags, address, placement, launch', async () => {
    // Act
    const result = await stack.ec2.send(
      new DescribeInstancesCommand({ InstanceIds: [ids['web-1'] ?? ''] }),
    );
    const instance = result.Reservations?.[0]?.Instances?.[0];

    // Assess
    expect(ids['web-1']).toMatch(/^i-[0-9a-f]{17}$/);
    expect(result.Reservations?.[0]?.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
    expect(instance).toMatchObject({
      InstanceId: ids['web-1'],
      State: { Code: 16, Name: 'running' },
      PrivateIpAddress: '127.0.0.1',
      Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default' },
      PlatformDetails: 'Linux/UNIX',
    });
    expect(instance?.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'Name', Value: 'web-1' },
        { Key: 'App', Value: 'web' },
      ]),
    );
    expect(instance?.LaunchTime).toBeInstanceOf(Date);
  });

  it.each([
    {
      label: 'tag:<Key>',
      filters: [{ Name: 'tag:App', Values: ['web'] }],
      expected: ['web-1', 'web-2'],
    },
    {
      label: 'tag-key',
      filters: [{ Name: 'tag-key', Values: ['Env'] }],
      expected: ['web-1', 'web-2'],
    },
    {
      label: 'a wildcard value',
      filters: [{ Name: 'tag:Name', Values: ['*-1'] }],
      expected: ['db-1', 'web-1'],
    },
    {
      label: 'two filters together',
      filters: [
        { Name: 'tag:App', Values: ['web'] },
        { Name: 'instance-state-name', Values: ['running'] },
      ],
      expected: ['web-2'],
    },
    {
      label: 'instance-state-name stopped',
      filters: [{ Name: 'instance-state-name', Values: ['stopped'] }],
      expected: ['web-1'],
    },
  ])('filters by $label', async ({ filters, expected }) => {
    // Prepare
    await stack.fleet.stopInstance('web-1');

    // Act
    const names = await describeNames({ Filters: filters });

    // Assess
    expect(names).toEqual(expected);
  });

  it('filters by instance-id', async () => {
    // Act
    const names = await describeNames({
      Filters: [{ Name: 'instance-id', Values: [ids['db-1'] ?? ''] }],
    });

    // Assess
    expect(names).toEqual(['db-1']);
  });

  it('shows a stopped instance with state code 80', async () => {
    // Prepare
    await stack.fleet.stopInstance('db-1');

    // Act
    const result = await stack.ec2.send(
      new DescribeInstancesCommand({ InstanceIds: [ids['db-1'] ?? ''] }),
    );

    // Assess
    expect(result.Reservations?.[0]?.Instances?.[0]?.State).toEqual({ Code: 80, Name: 'stopped' });
  });

  it('pages with MaxResults and NextToken', async () => {
    // Prepare
    await stack.close();
    const names = Array.from({ length: 7 }, (_, index) => `node-${index}`);
    stack = await startLocalStack({ instances: names.map((name) => ({ name, tags: {} })) });

    // Act
    const first = await stack.ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
    const second = await stack.ec2.send(
      new DescribeInstancesCommand({ MaxResults: 5, NextToken: first.NextToken ?? '' }),
    );

    // Assess
    expect(first.Reservations).toHaveLength(5);
    expect(second.Reservations).toHaveLength(2);
    expect(second.NextToken).toBeUndefined();
  });

  it.each([
    {
      label: 'an id that does not exist',
      input: { InstanceIds: ['i-0123456789abcdef0'] },
      code: 'InvalidInstanceID.NotFound',
      message: "The instance ID 'i-0123456789abcdef0' does not exist",
    },
    {
      label: 'ids that do not exist',
      input: { InstanceIds: ['i-0123456789abcdef0', 'i-0123456789abcdef1'] },
      code: 'InvalidInstanceID.NotFound',
      message: "The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist",
    },
    {
      label: 'a malformed id',
      input: { InstanceIds: ['web-1'] },
      code: 'InvalidInstanceID.Malformed',
      message: 'Invalid id: "web-1"',
    },
    {
      label: 'MaxResults with InstanceIds',
      input: { InstanceIds: ['i-0123456789abcdef0'], MaxResults: 5 },
      code: 'InvalidParameterCombination',
      message: 'The parameter instancesSet cannot be used with the parameter maxResults',
    },
    {
      label: 'MaxResults under 5',
      input: { MaxResults: 2 },
      code: 'InvalidParameterValue',
      message: expect.stringContaining('maxResults'),
    },
  ])('refuses $label with $code', async ({ input, code, message }) => {
    // Act
    const error = await rejection(stack.ec2.send(new DescribeInstancesCommand(input)));

    // Assess
    expect(error.name).toBe(code);
    expect(error.message).toEqual(message);
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });
});

describe('SSM DescribeInstanceInformation', () => {
  let stack: LocalStack;
  beforeEach(async () => {
    stack = await startLocalStack();
    await stack.fleet.stopInstance('db-1');
  });
  afterEach(async () => {
    await stack.close();
  });

  const describeInformation = async (input: DescribeInstanceInformationCommandInput) => {
    const result = await stack.ssm.send(new DescribeInstanceInformationCommand(input));
    return (result.InstanceInformationList ?? [])
      .map((info) => [info.ComputerName, info.PingStatus])
      .sort();
  };

  it('reports running instances Online and stopped ones ConnectionLost', async () => {
    // Act
    const all = await describeInformation({});

    // Assess
    expect(all).toEqual([
      ['db-1', 'ConnectionLost'],
      ['web-1', 'Online'],
      ['web-2', 'Online'],
    ]);
  });

  it.each([
    {
      label: 'Filters InstanceIds',
      name: 'web-1',
      input: (id: string) => ({ Filters: [{ Key: 'InstanceIds', Values: [id] }] }),
    },
    {
      label: 'InstanceInformationFilterList',
      name: 'web-1',
      input: (id: string) => ({
        InstanceInformationFilterList: [{ key: 'InstanceIds' as const, valueSet: [id] }],
      }),
    },
  ])('selects instances by $label', async ({ name, input }) => {
    // Act
    const found = await describeInformation(input(stack.fleet.instance(name)?.id ?? ''));

    // Assess
    expect(found).toEqual([[name, 'Online']]);
  });

  it.each([
    {
      label: 'PingStatus',
      filters: [{ Key: 'PingStatus', Values: ['ConnectionLost'] }],
      expected: [['db-1', 'ConnectionLost']],
    },
    {
      label: 'a tag',
      filters: [{ Key: 'tag:App', Values: ['web'] }],
      expected: [
        ['web-1', 'Online'],
        ['web-2', 'Online'],
      ],
    },
    {
      label: 'a tag key',
      filters: [{ Key: 'tag-key', Values: ['Env'] }],
      expected: [
        ['web-1', 'Online'],
        ['web-2', 'Online'],
      ],
    },
  ])('filters by $label', async ({ filters, expected }) => {
    // Act
    const found = await describeInformation({ Filters: filters });

    // Assess
    expect(found).toEqual(expected);
  });

  it('pages with MaxResults of at least 5', async () => {
    // Act
    const error = await rejection(
      stack.ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 2 })),
    );
    const page = await stack.ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 5 }));

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(page.InstanceInformationList).toHaveLength(3);
  });
});
