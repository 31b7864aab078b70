import type { ManagedFleet, ManagedInstance } from '../fleet-port.ts';
import { maxResults, optionalObjects, optionalString } from '../input-fields.ts';
import { paginate } from '../pagination.ts';
import { AwsServiceError, type JsonObject, type JsonOperation } from '../service-types.ts';

// What a local instance reports as its agent and platform; fixed, not read from the host.
const AGENT_VERSION = '3.3.2746.0';

type InstancePredicate = (instance: ManagedInstance) => boolean;

/**
 * DescribeInstanceInformation over the local fleet. A running instance's agent is Online, a
 * stopped one's ConnectionLost (its last ping is when it stopped). Filters come either as
 * InstanceInformationFilterList (`key`/`valueSet`) or Filters (`Key`/`Values`), the latter also
 * taking `tag:<Key>` and `tag-key`; MaxResults is 5 to 50 (API model).
 */
export function instanceInformationOperations(fleet: ManagedFleet): Record<string, JsonOperation> {
  return {
    async DescribeInstanceInformation(input) {
      const predicates = [
        ...(optionalObjects(input, 'InstanceInformationFilterList') ?? []).map((filter) =>
          predicateFor(String(filter['key'] ?? ''), valuesOf(filter['valueSet'])),
        ),
        ...(optionalObjects(input, 'Filters') ?? []).map((filter) =>
          predicateFor(String(filter['Key'] ?? ''), valuesOf(filter['Values'])),
        ),
      ];
      const limit = maxResults(input, { min: 5, max: 50, fallback: 50 });
      const rows = fleet
        .instances()
        .filter((instance) => predicates.every((matches) => matches(instance)))
        .map(informationShape);
      const page = paginate(
        rows,
        limit,
        optionalString(input, 'NextToken'),
        () => new AwsServiceError('InvalidNextToken', 'The token is not valid.'),
      );
      return {
        InstanceInformationList: page.items,
        ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }),
      };
    },
  };
}

function valuesOf(raw: unknown): string[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new AwsServiceError(
      'InvalidInstanceInformationFilterValue',
      'A filter needs at least one value.',
    );
  }
  return raw.map(String);
}

function predicateFor(key: string, values: readonly string[]): InstancePredicate {
  if (key === 'InstanceIds') return (instance) => values.includes(instance.id);
  if (key === 'PingStatus') return (instance) => values.includes(pingStatus(instance));
  if (key === 'PlatformTypes' || key === 'PlatformType') return () => values.includes('Linux');
  if (key === 'ResourceType') return () => values.includes('EC2Instance');
  if (key === 'tag-key') return (instance) => values.some((tag) => tag in instance.tags);
  if (key.startsWith('tag:')) {
    const tag = key.slice('tag:'.length);
    return (instance) => values.includes(instance.tags[tag] ?? '\u0000');
  }
  throw new AwsServiceError('InvalidFilterKey', '');
}

function pingStatus(instance: ManagedInstance): string {
  return instance.state === 'running' ? 'Online' : 'ConnectionLost';
}

function informationShape(instance: ManagedInstance): JsonObject {
  return {
    InstanceId: instance.id,
    PingStatus: pingStatus(instance),
    LastPingDateTime: instance.state === 'running' ? new Date() : instance.stateChangedAt,
    AgentVersion: AGENT_VERSION,
    IsLatestVersion: true,
    PlatformType: 'Linux',
    PlatformName: 'Signet local instance',
    PlatformVersion: '1',
    ResourceType: 'EC2Instance',
    IPAddress: '127.0.0.1',
    ComputerName: instance.name,
    SourceId: instance.id,
    SourceType: 'AWS::EC2::Instance',
  };
}
