import type { ManagedFleet } from '../fleet-port.ts';
import type { QueryService } from '../service-types.ts';
import { describeInstances } from './describe-instances.ts';
import type { InstanceXmlContext } from './instance-xml.ts';

/** The EC2 query-protocol service (API version 2016-11-15): DescribeInstances only. */
export function ec2Service(fleet: ManagedFleet, context: InstanceXmlContext): QueryService {
  return {
    protocol: 'ec2-query',
    apiVersion: '2016-11-15',
    operations: { DescribeInstances: describeInstances(fleet, context) },
  };
}
