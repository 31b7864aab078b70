import type { DeploymentLock } from '../../core/deployment-lock.ts';
import type { LockEvent } from '../acquire-lock/handler.ts';
import { defaultLock } from '../shared/default-deps.ts';
import { type PlainHandler, signetHandler } from '../shared/signet-handler.ts';

/**
 * Frees the app's lock if this execution still holds it. Losing it first (the lease ran out
 * and another deployment took it) is logged, not thrown: the deployment itself is over.
 */
export function releaseLock(
  lock: () => DeploymentLock,
): PlainHandler<LockEvent, { readonly released: boolean }> {
  return async (event, { logger }) => {
    const released = await lock().release(event.app, event.owner);
    if (released) logger.info('lock released');
    else logger.warn('lock was no longer held by this execution', { owner: event.owner });
    return { released };
  };
}

export const handler = signetHandler('release-lock', releaseLock(defaultLock));
