import type { JsonOperation, JsonService } from '../service-types.ts';

/** The AmazonSSM JSON 1.1 service: Parameter Store, Run Command and instance information. */
export function ssmService(...operationSets: Record<string, JsonOperation>[]): JsonService {
  return {
    protocol: 'json',
    targetPrefix: 'AmazonSSM',
    operations: Object.assign({}, ...operationSets),
  };
}
