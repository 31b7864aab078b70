import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Outcome } from './audit-record.ts';

/** The source of every event Signet puts on EventBridge; rules and alerts match on it. */
export const EVENT_SOURCE = 'signet';

/** Detail types by outcome. A failed rollback is its own type: it always needs a person. */
export const DETAIL_TYPES: Readonly<Record<Outcome, string>> = {
  Succeeded: 'Signet Deployment Succeeded',
  RolledBack: 'Signet Deployment Failed',
  Failed: 'Signet Deployment Failed',
  Refused: 'Signet Release Refused',
  RollbackFailed: 'Signet Rollback Failed',
  DeployedNotRecorded: 'Signet Record Not Written',
};

/** Outcomes that raise an alert (everything but success). */
export function isAlert(outcome: Outcome): boolean {
  return outcome !== 'Succeeded';
}

export interface DeploymentEventDetail {
  readonly app: string | null;
  readonly version: string | null;
  readonly fromVersion: string | null;
  readonly outcome: Outcome;
  readonly error: string | null;
  /** One line for people: what happened and what to do. */
  readonly summary: string;
  readonly execution: string;
  readonly instances: number;
  readonly severity: 'info' | 'warning' | 'critical';
}

export function deploymentEvent(
  detail: DeploymentEventDetail,
  eventBusName: string,
): PutEventsRequestEntry {
  return {
    Source: EVENT_SOURCE,
    DetailType: DETAIL_TYPES[detail.outcome],
    Detail: JSON.stringify(detail),
    EventBusName: eventBusName,
    Resources: [detail.execution],
  };
}

export function severityOf(outcome: Outcome): DeploymentEventDetail['severity'] {
  if (outcome === 'Succeeded') return 'info';
  if (outcome === 'RollbackFailed' || outcome === 'DeployedNotRecorded') return 'critical';
  return 'warning';
}
