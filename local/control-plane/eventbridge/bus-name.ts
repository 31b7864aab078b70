import { AwsServiceError } from '../service-types.ts';

/** A bus name from an EventBusName field (a name or an event bus ARN); absent: `default`. */
export function eventBusNameOf(raw: unknown): string {
  if (typeof raw !== 'string' || raw === '') return 'default';
  const arn = /:event-bus\/(.+)$/.exec(raw);
  return arn?.[1] ?? raw;
}

/**
 * The bus named by the request, refused with ResourceNotFoundException when the control plane
 * was told which buses exist (`eventBusNames`) and this is none of them.
 */
export function knownBus(raw: unknown, eventBusNames: readonly string[] | undefined): string {
  const bus = eventBusNameOf(raw);
  if (bus !== 'default' && eventBusNames !== undefined && !eventBusNames.includes(bus)) {
    throw new AwsServiceError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
  }
  return bus;
}
