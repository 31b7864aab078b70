import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { deploymentEvent, isAlert } from '../../core/deployment-events.ts';
import type { OutcomeSummary } from '../../core/outcome.ts';
import { setting } from '../../core/settings.ts';
import { eventBridgeClient } from '../shared/default-deps.ts';
import { type PlainHandler, signetHandler } from '../shared/signet-handler.ts';

export interface EmitEventEvent {
  readonly outcome: OutcomeSummary;
  readonly execution: string;
}

export interface EmitEventDeps {
  readonly eventBridge: () => EventBridgeClient;
  readonly eventBusName: () => string;
}

/** Puts the deployment's outcome on EventBridge, where alert rules route failures to people. */
export function emitEvent(
  deps: EmitEventDeps,
): PlainHandler<EmitEventEvent, { readonly eventId: string; readonly alert: boolean }> {
  return async ({ outcome, execution }, { logger }) => {
    const entry = deploymentEvent(
      {
        app: outcome.app,
        version: outcome.version,
        fromVersion: outcome.fromVersion,
        outcome: outcome.status,
        error: outcome.error,
        summary: outcome.summary,
        execution,
        instances: outcome.instances,
        severity: outcome.severity,
      },
      deps.eventBusName(),
    );
    const result = await deps.eventBridge().send(new PutEventsCommand({ Entries: [entry] }));
    const first = result.Entries?.[0];
    if ((result.FailedEntryCount ?? 0) > 0 || first?.EventId === undefined) {
      throw new Error(
        `EventBridge refused the ${entry.DetailType} event: ${first?.ErrorCode} ${first?.ErrorMessage}`,
      );
    }
    const alert = isAlert(outcome.status);
    logger.info('outcome event emitted', {
      detailType: entry.DetailType,
      alert,
      eventId: first.EventId,
    });
    return { eventId: first.EventId, alert };
  };
}

export const handler = signetHandler(
  'emit-event',
  emitEvent({
    eventBridge: eventBridgeClient,
    eventBusName: () => setting('eventBusName'),
  }),
);
