import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { expect } from 'vitest';
import { type Contract, type ContractWorld, contractCase, thrown } from './contract.ts';
import { recordedError } from './recorded-answers.ts';

// Sources: EC2 API Reference, DescribeInstances (filters tag:<key>, instance-state-name;
// MaxResults 5-1000, not with InstanceIds) and "Error codes" (InvalidInstanceID.NotFound,
// InvalidInstanceID.Malformed, InvalidParameterCombination).

/** The request resolve-targets sends (core/fleet-targets.ts), byte for byte. */
const signetRequest = (world: ContractWorld) =>
  new DescribeInstancesCommand({
    Filters: [
      { Name: `tag:${world.fleet.tagKey}`, Values: [world.fleet.tagValue] },
      {
        Name: 'instance-state-name',
        Values: ['pending', 'running', 'stopping', 'stopped', 'shutting-down'],
      },
    ],
    MaxResults: 1000,
  });

const UNKNOWN_ID = 'i-0123456789abcdef0';

export const ec2Contract: Contract = {
  api: 'EC2',
  operations: ['DescribeInstances'],
  cases: [
    contractCase({
      name: "lists the app's tagged instances with their states, and only those",
      recorded: (stubs, world) => {
        const instance = (id: string, name: 'running' | 'stopped') => ({
          InstanceId: id,
          State: { Code: name === 'running' ? 16 : 80, Name: name },
          Tags: [{ Key: world.fleet.tagKey, Value: world.fleet.tagValue }],
        });
        stubs.ec2.on(DescribeInstancesCommand).resolves({
          Reservations: [
            ...world.fleet.running.map((id) => ({ Instances: [instance(id, 'running')] })),
            ...world.fleet.stopped.map((id) => ({ Instances: [instance(id, 'stopped')] })),
          ],
        });
      },
      act: async (world) => {
        const page = await world.clients.ec2.send(signetRequest(world));
        const found = (page.Reservations ?? []).flatMap((r) => r.Instances ?? []);
        return {
          states: Object.fromEntries(found.map((i) => [i.InstanceId, i.State?.Name])),
          nextToken: page.NextToken,
        };
      },
      assess: (result, world) => {
        expect(result.states).toEqual({
          ...Object.fromEntries(world.fleet.running.map((id) => [id, 'running'])),
          ...Object.fromEntries(world.fleet.stopped.map((id) => [id, 'stopped'])),
        });
        expect(result.nextToken ?? undefined).toBeUndefined();
      },
    }),
    contractCase({
      name: 'answers an unknown instance id with InvalidInstanceID.NotFound',
      recorded: (stubs) => {
        stubs.ec2
          .on(DescribeInstancesCommand)
          .rejects(
            recordedError(
              'InvalidInstanceID.NotFound',
              `The instance ID '${UNKNOWN_ID}' does not exist`,
            ),
          );
      },
      act: (world) =>
        thrown(() =>
          world.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [UNKNOWN_ID] })),
        ),
      assess: (error) => {
        expect(error.name).toBe('InvalidInstanceID.NotFound');
        expect(error.message).toContain(UNKNOWN_ID);
      },
    }),
    contractCase({
      name: 'answers a malformed instance id with InvalidInstanceID.Malformed',
      divergent: {
        moto: 'moto 5.2 answers every unknown id, malformed or not, InvalidInstanceID.NotFound',
      },
      recorded: (stubs) => {
        stubs.ec2
          .on(DescribeInstancesCommand)
          .rejects(recordedError('InvalidInstanceID.Malformed', 'Invalid id: "web-1"'));
      },
      act: (world) =>
        thrown(() =>
          world.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['web-1'] })),
        ),
      assess: (error) => {
        expect(error.name).toBe('InvalidInstanceID.Malformed');
      },
    }),
    contractCase({
      name: 'refuses MaxResults together with InstanceIds (InvalidParameterCombination)',
      recorded: (stubs) => {
        stubs.ec2
          .on(DescribeInstancesCommand)
          .rejects(
            recordedError(
              'InvalidParameterCombination',
              'The parameter instancesSet cannot be used with the parameter maxResults',
            ),
          );
      },
      act: (world) =>
        thrown(() =>
          world.clients.ec2.send(
            new DescribeInstancesCommand({
              InstanceIds: [...world.fleet.running],
              MaxResults: 5,
            }),
          ),
        ),
      assess: (error) => {
        expect(error.name).toBe('InvalidParameterCombination');
      },
    }),
  ],
};
