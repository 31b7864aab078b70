import type { JsonService } from '../service-types.ts';
import type { LocalEventBus } from './event-bus.ts';
import { type PutEventsOptions, putEventsOperation } from './put-events.ts';
import { ruleOperations } from './rule-api.ts';
import { testEventPatternOperation } from './test-event-pattern.ts';

/**
 * The AWSEvents JSON 1.1 service: PutEvents; ListRules, DescribeRule, ListTargetsByRule,
 * EnableRule and DisableRule over the bus's in-process rules; TestEventPattern.
 */
export function eventBridgeService(bus: LocalEventBus, options: PutEventsOptions): JsonService {
  return {
    protocol: 'json',
    targetPrefix: 'AWSEvents',
    operations: {
      PutEvents: putEventsOperation(bus, options),
      ...ruleOperations(bus, options),
      TestEventPattern: testEventPatternOperation,
    },
  };
}
