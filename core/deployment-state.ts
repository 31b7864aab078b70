import type { CommandState } from './command-state.ts';
import type { LockLease } from './deployment-lock.ts';
import type { DeploymentRequest, Intent } from './deployment-request.ts';
import type { ExcludedInstance } from './fleet-targets.ts';
import type { DeployedRelease, ReleaseRecord } from './release-record.ts';
import type { Tolerance } from './rollout-policy.ts';
import type { VerifiedRelease } from './verified-release.ts';

/** What a Catch puts at its ResultPath: Step Functions' own error shape. */
export interface CaughtError {
  readonly Error: string;
  /** In AWS a Lambda error's cause is JSON: {errorType, errorMessage, trace}. */
  readonly Cause?: string;
}

/** A request refused before it could be carried out, as far as it could be read. */
export interface RejectedRequest {
  readonly app: string;
  readonly version: string | null;
  readonly intent: Intent;
  readonly requestedBy: string | null;
}

/**
 * The execution's state between states, key by key, in the order the state machine fills it
 * (statemachine/deploy.asl.json). Any key can be missing: the deployment may have stopped
 * before it was set.
 */
export interface DeploymentState {
  readonly request?: DeploymentRequest;
  /** What a refused request named, when it named a valid app. */
  readonly rejected?: RejectedRequest;
  readonly lock?: LockLease;
  readonly artifact?: VerifiedRelease;
  readonly plan?: {
    readonly batches: readonly (readonly string[])[];
    readonly batchCount: number;
    readonly instanceCount: number;
    readonly excluded: readonly ExcludedInstance[];
    /** Terminated tagged instances, named only (older executions lack the key). */
    readonly terminated?: readonly string[];
    /** The rollout policy resolved for this fleet (older executions lack the key). */
    readonly tolerance?: Tolerance;
    readonly rollbackTarget: DeployedRelease | null;
  };
  readonly rollout?: { readonly batchIndex: number };
  readonly command?: CommandState;
  /** The rollback phases' commands, kept apart so `command` still says which phase failed. */
  readonly rollbackCommand?: CommandState;
  readonly record?: ReleaseRecord;
  readonly failure?: CaughtError;
  /** RolledBack, or Stopped: a failed first deployment's instances were stopped and flagged. */
  readonly rollback?: { readonly status: 'RolledBack' | 'Stopped' };
  readonly rollbackFailure?: CaughtError;
}
