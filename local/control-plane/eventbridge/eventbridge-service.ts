import type { JsonService } from '../service-types.ts';
import type { LocalEventBus } from './event-bus.ts';
import { type PutEventsOptions, putEventsOperation } from './put-events.ts';

/** The AWSEvents JSON 1.1 service: PutEvents only. */
export function eventBridgeService(bus: LocalEventBus, options: PutEventsOptions): JsonService {
  return {
    protocol: 'json',
    targetPrefix: 'AWSEvents',
    operations: { PutEvents: putEventsOperation(bus, options) },
  };
}
