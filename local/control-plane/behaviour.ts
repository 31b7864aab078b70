/** Names one invocation, so behaviour can differ per instance or per command. */
export interface InvocationKey {
  readonly commandId: string;
  readonly instanceId: string;
}

/** Plain timing numbers for the common case; every one has a default. */
export interface ControlPlaneTiming {
  /** How long a new invocation answers InvocationDoesNotExist and is left out of listings. */
  readonly invocationVisibilityDelayMs: number;
  /** How long an invocation stays Pending before the instance's agent receives it. */
  readonly deliveryDelayMs: number;
  /** How often delivery to an offline instance (Delayed) is tried again. */
  readonly redeliveryIntervalMs: number;
  /** Milliseconds in one second of the delivery timeout; tests shrink AWS's 30 s minimum. */
  readonly deliveryTimeoutMsPerSecond: number;
  /** Milliseconds in one second of a step's executionTimeout. */
  readonly executionTimeoutMsPerSecond: number;
}

/**
 * How the local control plane behaves where AWS varies (delays, timeouts). Every decision is
 * a function of the invocation it is about: this is the one seam where fault injection (an
 * instance going offline, a hidden invocation, a slow delivery) plugs in later.
 */
export interface ControlPlaneBehaviour {
  invocationVisibleAfterMs(invocation: InvocationKey): number;
  deliveryDelayMs(invocation: InvocationKey): number;
  redeliveryIntervalMs(invocation: InvocationKey): number;
  deliveryTimeoutMs(seconds: number, invocation: InvocationKey): number;
  executionTimeoutMs(seconds: number, invocation: InvocationKey): number;
}

// Short but non-zero: a caller that reads an invocation right after SendCommand must already
// cope with InvocationDoesNotExist, as it must on AWS.
export const DEFAULT_TIMING: ControlPlaneTiming = {
  invocationVisibilityDelayMs: 300,
  deliveryDelayMs: 20,
  redeliveryIntervalMs: 1000,
  deliveryTimeoutMsPerSecond: 1000,
  executionTimeoutMsPerSecond: 1000,
};

/** The behaviour for fixed timing numbers, with `overrides` replacing single decisions. */
export function createBehaviour(
  timing: Partial<ControlPlaneTiming> = {},
  overrides: Partial<ControlPlaneBehaviour> = {},
): ControlPlaneBehaviour {
  const t = { ...DEFAULT_TIMING, ...timing };
  return {
    invocationVisibleAfterMs: () => t.invocationVisibilityDelayMs,
    deliveryDelayMs: () => t.deliveryDelayMs,
    redeliveryIntervalMs: () => t.redeliveryIntervalMs,
    deliveryTimeoutMs: (seconds) => seconds * t.deliveryTimeoutMsPerSecond,
    executionTimeoutMs: (seconds) => seconds * t.executionTimeoutMsPerSecond,
    ...overrides,
  };
}
