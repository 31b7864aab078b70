import type { ManagedFleet, ManagedInstance } from '../fleet-port.ts';
import { paginate } from '../pagination.ts';
import { AwsServiceError } from '../service-types.ts';
import { itemList, textElement } from '../xml.ts';
import { type InstanceXmlContext, reservationXml } from './instance-xml.ts';
import { numberedValues, type QueryFilter, queryFilters, wildcardMatches } from './query-params.ts';

const INSTANCE_ID = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;
const STATE_CODES: Readonly<Record<string, string>> = { running: '16', stopped: '80' };

/**
 * DescribeInstances over the local fleet, with EC2's errors: InvalidInstanceID.Malformed for
 * an id that is not `i-` and 8 or 17 hex digits, InvalidInstanceID.NotFound naming every
 * unknown id, InvalidParameterCombination for MaxResults with InstanceIds, and MaxResults
 * within 5 to 1000 (EC2 API reference, DescribeInstances; Query-Requests pagination).
 */
export function describeInstances(fleet: ManagedFleet, context: InstanceXmlContext) {
  return async (params: URLSearchParams): Promise<string> => {
    const instanceIds = numberedValues(params, 'InstanceId');
    const maxResultsText = params.get('MaxResults');
    if (maxResultsText !== null && instanceIds.length > 0) {
      throw new AwsServiceError(
        'InvalidParameterCombination',
        'The parameter instancesSet cannot be used with the parameter maxResults',
      );
    }
    const malformed = instanceIds.find((id) => !INSTANCE_ID.test(id));
    if (malformed !== undefined) {
      throw new AwsServiceError('InvalidInstanceID.Malformed', `Invalid id: "${malformed}"`);
    }
    const all = fleet.instances();
    const missing = instanceIds.filter((id) => !all.some((instance) => instance.id === id));
    if (missing.length > 0) throw notFound(missing);

    const filters = queryFilters(params);
    const matching = all
      .filter((instance) => instanceIds.length === 0 || instanceIds.includes(instance.id))
      .filter((instance) => filters.every((filter) => passes(instance, filter, context)));
    const limit = maxResultsText === null ? matching.length || 1 : pageSize(maxResultsText);
    const page = paginate(
      matching,
      limit,
      params.get('NextToken') ?? undefined,
      () => new AwsServiceError('InvalidParameterValue', 'The NextToken is not valid.'),
    );
    return (
      itemList(
        'reservationSet',
        page.items.map((instance) => reservationXml(instance, context)),
      ) + textElement('nextToken', page.nextToken)
    );
  };
}

function notFound(ids: readonly string[]): AwsServiceError {
  const message =
    ids.length === 1
      ? `The instance ID '${ids[0]}' does not exist`
      : `The instance IDs '${ids.join(', ')}' do not exist`;
  return new AwsServiceError('InvalidInstanceID.NotFound', message);
}

function pageSize(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 5 || value > 1000) {
    throw new AwsServiceError(
      'InvalidParameterValue',
      `Value ( ${text} ) for parameter maxResults is invalid. ` +
        'Expecting a value between 5 and 1000.',
    );
  }
  return value;
}

function passes(
  instance: ManagedInstance,
  filter: QueryFilter,
  context: InstanceXmlContext,
): boolean {
  const any = (value: string | undefined) =>
    value !== undefined && filter.values.some((pattern) => wildcardMatches(pattern, value));
  if (filter.name.startsWith('tag:')) return any(instance.tags[filter.name.slice('tag:'.length)]);
  switch (filter.name) {
    case 'tag-key':
      return Object.keys(instance.tags).some(any);
    case 'tag-value':
      return Object.values(instance.tags).some(any);
    case 'instance-id':
      return any(instance.id);
    case 'instance-state-name':
      return any(instance.state);
    case 'instance-state-code':
      return any(STATE_CODES[instance.state]);
    case 'private-ip-address':
      return any('127.0.0.1');
    case 'availability-zone':
      return any(context.availabilityZone);
    default:
      throw new AwsServiceError('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
  }
}
