/** One fault the plan injected, as the chaos report lists them. */
export interface InjectedFault {
  readonly kind: FaultKind;
  readonly target: string;
}

export type FaultKind =
  | 'offline'
  | 'delay-delivery'
  | 'hide-invocation'
  | 'kill-midway'
  | 'throttle'
  | 'lose-lambda';

/**
 * What the local stack should do wrong, told per instance or per API operation. The wrappers
 * that honour it (local/instances/faulty-fleet.ts, local/control-plane/ssm/faulty-ssm.ts,
 * local/faults/faulty-lambdas.ts) ask it at each decision, so a test can change it mid-run.
 * Faults inside the app (a failing hook, a flapping health answer) are the app's to honour:
 * test/faults/chaos-app.ts reads them from files on the instance.
 *
 * @example
 * const faults = new FaultPlan();
 * const stack = await startLocalStack({ stateDir, faults });
 * faults.hideInvocation('i-0123...', 3); // the next 3 listings leave it out
 */
export class FaultPlan {
  readonly #offline = new Set<string>();
  readonly #deliveryDelayMs = new Map<string, number>();
  readonly #hiddenPolls = new Map<string, number>();
  readonly #killAfterMs = new Map<string, number>();
  readonly #throttled = new Map<string, number>();
  readonly #lostLambdas = new Map<string, number>();
  readonly #injected: InjectedFault[] = [];

  /** The instance's agent stops answering: invocations wait Delayed, its ping is lost. */
  offline(instanceId: string): void {
    this.#offline.add(instanceId);
    this.#note('offline', instanceId);
  }

  online(instanceId: string): void {
    this.#offline.delete(instanceId);
  }

  isOffline(instanceId: string): boolean {
    return this.#offline.has(instanceId);
  }

  /** Every script delivered to the instance starts this much later. */
  delayDelivery(instanceId: string, ms: number): void {
    this.#deliveryDelayMs.set(instanceId, ms);
  }

  /** The instance's next invocations are left out of the next `polls` listings of each. */
  hideInvocation(instanceId: string, polls: number): void {
    this.#hiddenPolls.set(instanceId, polls);
  }

  /** The next script on the instance is killed (SIGKILL, exit 137) after `afterMs`. */
  killMidway(instanceId: string, afterMs: number): void {
    this.#killAfterMs.set(instanceId, afterMs);
  }

  /** The next `times` calls of an SSM operation answer ThrottlingException. */
  throttle(operation: string, times: number): void {
    this.#throttled.set(operation, times);
  }

  /** The next `times` invocations of a function (its manifest id) are lost before it runs. */
  loseLambda(functionId: string, times: number): void {
    this.#lostLambdas.set(functionId, times);
  }

  /** Forgets every fault; instances come back online. */
  clear(): void {
    this.#offline.clear();
    this.#deliveryDelayMs.clear();
    this.#hiddenPolls.clear();
    this.#killAfterMs.clear();
    this.#throttled.clear();
    this.#lostLambdas.clear();
  }

  /** Every fault that actually struck, in order. */
  injected(): readonly InjectedFault[] {
    return [...this.#injected];
  }

  /** Asked by the fleet wrapper when a script is about to start. */
  deliveryDelayFor(instanceId: string): number {
    const ms = this.#deliveryDelayMs.get(instanceId) ?? 0;
    if (ms > 0) this.#note('delay-delivery', instanceId);
    return ms;
  }

  /** Asked once per script: the kill delay, consumed so only one script dies. */
  takeKill(instanceId: string): number | undefined {
    const ms = this.#killAfterMs.get(instanceId);
    if (ms === undefined) return undefined;
    this.#killAfterMs.delete(instanceId);
    this.#note('kill-midway', instanceId);
    return ms;
  }

  /** Asked by the SSM wrapper per listing: whether to leave this instance's rows out. */
  takeHidden(commandId: string, instanceId: string): boolean {
    const key = `${commandId}/${instanceId}`;
    const perCommand = this.#hiddenPolls.get(key) ?? this.#hiddenPolls.get(instanceId);
    if (perCommand === undefined || perCommand <= 0) return false;
    // The first listing of a command starts its own countdown from the instance's setting.
    this.#hiddenPolls.set(key, perCommand - 1);
    this.#note('hide-invocation', instanceId);
    return true;
  }

  takeThrottle(operation: string): boolean {
    return this.#take(this.#throttled, operation, 'throttle');
  }

  takeLostLambda(functionId: string): boolean {
    return this.#take(this.#lostLambdas, functionId, 'lose-lambda');
  }

  #take(counts: Map<string, number>, key: string, kind: FaultKind): boolean {
    const left = counts.get(key) ?? 0;
    if (left <= 0) return false;
    counts.set(key, left - 1);
    this.#note(kind, key);
    return true;
  }

  #note(kind: FaultKind, target: string): void {
    this.#injected.push({ kind, target });
  }
}
