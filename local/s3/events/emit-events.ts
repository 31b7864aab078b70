import { buildEvent, type EventChange, type EventSource } from './build-events.ts';
import type { S3EventBridgeEvent } from './event-types.ts';

export type EventHandler = (event: S3EventBridgeEvent) => void | Promise<void>;
export type EventErrorHandler = (error: unknown, event: S3EventBridgeEvent) => void;

/** Hands each change to the configured listener; see `deliver` for the failure rule. */
export interface EventEmitter {
  emit(source: EventSource, change: EventChange): void;
}

/**
 * Delivers events like S3 does: after the change is stored, and without the request waiting
 * for the consumer. The listener is called before the response is sent (so a client that saw
 * its upload succeed can rely on the event having been handed over) but is not awaited. A
 * listener that throws or rejects never fails the request: S3 does not fail a PutObject because
 * EventBridge is unavailable either. The failure goes to `onError` when given; otherwise it is
 * dropped, because the library prints nothing and the caller chose not to hear about it.
 * A bucket whose `sendsEvents` is false (its EventBridge notifications turned off) sends none.
 */
export function createEventEmitter(
  onEvent: EventHandler | undefined,
  onError: EventErrorHandler | undefined,
  sendsEvents: (bucket: string) => boolean = () => true,
): EventEmitter {
  const report = (error: unknown, event: S3EventBridgeEvent) => {
    try {
      onError?.(error, event);
    } catch {
      // The error callback itself failed; there is nowhere left to report to.
    }
  };
  return {
    emit(source, change) {
      if (!onEvent || !sendsEvents(change.bucket)) return;
      const event = buildEvent(source, change);
      try {
        const result = onEvent(event);
        if (result instanceof Promise) result.catch((error: unknown) => report(error, event));
      } catch (error) {
        report(error, event);
      }
    },
  };
}
