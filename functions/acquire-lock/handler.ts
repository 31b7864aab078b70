import type { DeploymentLock, LockLease } from '../../core/deployment-lock.ts';
import { defaultLock } from '../shared/default-deps.ts';
import { type PlainHandler, signetHandler } from '../shared/signet-handler.ts';

export interface LockEvent {
  readonly app: string;
  /** The execution's ARN: unique, and lets others check whether the holder still runs. */
  readonly owner: string;
}

/** Takes the app's deployment lock or fails with DeploymentInProgress (the ASL retries it). */
export function acquireLock(lock: () => DeploymentLock): PlainHandler<LockEvent, LockLease> {
  return async (event, { logger }) => {
    const lease = await lock().acquire(event.app, event.owner);
    logger.info('lock acquired', { expiresAt: lease.expiresAt });
    return lease;
  };
}

export const handler = signetHandler('acquire-lock', acquireLock(defaultLock));
