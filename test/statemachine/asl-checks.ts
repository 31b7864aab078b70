/**
 * Checks on a state machine definition's graph and error handling. Each returns the problems it
 * found, one line each naming the state, so a test can assert both that the real file has none
 * and that a broken copy is caught.
 */

export type State = Record<string, unknown>;

export interface Definition {
  readonly StartAt: string;
  readonly States: Record<string, State>;
}

interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
}

interface Retrier {
  readonly ErrorEquals: readonly string[];
}

export const catchersOf = (state: State) => (state['Catch'] ?? []) as readonly Catcher[];
export const retriersOf = (state: State) => (state['Retry'] ?? []) as readonly Retrier[];
export const isTask = (state: State) => state['Type'] === 'Task';

/** Where a state can go next: Next, Default, each Choice rule's Next, and (by default) Catch. */
export function transitions(state: State, withCatch = true): string[] {
  const rules = (state['Choices'] ?? []) as { Next: string }[];
  return [
    ...(typeof state['Next'] === 'string' ? [state['Next']] : []),
    ...(typeof state['Default'] === 'string' ? [state['Default']] : []),
    ...rules.map((rule) => rule.Next),
    ...(withCatch ? catchersOf(state).map((catcher) => catcher.Next) : []),
  ];
}

/** The states reachable from `from` (itself included), not passing through `avoid`. */
export function reachable(
  definition: Definition,
  from: string,
  options: { withCatch?: boolean; avoid?: readonly string[] } = {},
): Set<string> {
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    const state = definition.States[name];
    if (seen.has(name) || state === undefined || options.avoid?.includes(name)) continue;
    seen.add(name);
    queue.push(...transitions(state, options.withCatch ?? true));
  }
  return seen;
}

export function isTerminal(state: State): boolean {
  return state['Type'] === 'Succeed' || state['Type'] === 'Fail' || state['End'] === true;
}

/** Transitions to a state that does not exist. */
export function danglingTransitions(definition: Definition): string[] {
  return Object.entries(definition.States).flatMap(([name, state]) =>
    transitions(state)
      .filter((next) => definition.States[next] === undefined)
      .map((next) => `${name} -> ${next}: no such state`),
  );
}

/** States no path from StartAt reaches. */
export function unreachableStates(definition: Definition): string[] {
  const seen = reachable(definition, definition.StartAt);
  return Object.keys(definition.States)
    .filter((name) => !seen.has(name))
    .map((name) => `${name}: unreachable from ${definition.StartAt}`);
}

/** Reachable states from which no terminal state can be reached (a loop with no way out). */
export function trappedStates(definition: Definition): string[] {
  return [...reachable(definition, definition.StartAt)]
    .filter((name) => {
      const ahead = reachable(definition, name);
      return ![...ahead].some((next) => isTerminal(definition.States[next] ?? {}));
    })
    .map((name) => `${name}: can never reach an end state`);
}

/** Terminal states reachable from StartAt that are not in `allowed`. */
export function unexpectedEnds(definition: Definition, allowed: readonly string[]): string[] {
  return [...reachable(definition, definition.StartAt)]
    .filter((name) => isTerminal(definition.States[name] ?? {}) && !allowed.includes(name))
    .map((name) => `${name}: ends the execution, but is not one of ${allowed.join(', ')}`);
}

/** Retry and Catch error names that `known` does not know. */
export function unknownErrorNames(
  definition: Definition,
  known: (name: string) => boolean,
): string[] {
  return Object.entries(definition.States).flatMap(([name, state]) =>
    [
      ...retriersOf(state).map((retrier) => ['Retry', retrier] as const),
      ...catchersOf(state).map((catcher) => ['Catch', catcher] as const),
    ].flatMap(([field, handler]) =>
      handler.ErrorEquals.filter((error) => !known(error)).map(
        (error) => `${name}: ${field} names unknown error ${error}`,
      ),
    ),
  );
}

/** Tasks without one retrier covering every error in `errors`. */
export function tasksWithoutRetryOn(definition: Definition, errors: readonly string[]): string[] {
  return Object.entries(definition.States)
    .filter(([, state]) => isTask(state))
    .filter(([, state]) => {
      return !retriersOf(state).some((retrier) =>
        errors.every((error) => retrier.ErrorEquals.includes(error)),
      );
    })
    .map(([name]) => `${name}: no Retry on all of ${errors.join(', ')}`);
}

/** Tasks whose TimeoutSeconds is missing or longer than their function's own timeout. */
export function timeoutsOverFunction(
  definition: Definition,
  functionTimeout: (resource: string) => number | undefined,
): string[] {
  return Object.entries(definition.States)
    .filter(([, state]) => isTask(state))
    .flatMap(([name, state]) => {
      const limit = functionTimeout(String(state['Resource']));
      const timeout = state['TimeoutSeconds'];
      if (limit === undefined) return [`${name}: no function for ${String(state['Resource'])}`];
      if (typeof timeout !== 'number') return [`${name}: no TimeoutSeconds`];
      return timeout > limit
        ? [`${name}: TimeoutSeconds ${timeout} > function timeout ${limit}`]
        : [];
    });
}

/** Tasks with no catcher for States.ALL: a failure there would end the execution at once. */
export function tasksWithoutCatchAll(definition: Definition): string[] {
  return Object.entries(definition.States)
    .filter(([, state]) => isTask(state))
    .filter(([, state]) => !catchersOf(state).some((c) => c.ErrorEquals.includes('States.ALL')))
    .map(([name]) => `${name}: no Catch on States.ALL`);
}

/** Where a transition really leads: through Pass states, which only reshape the data. */
export function destination(definition: Definition, name: string): string {
  let current = name;
  for (let hops = 0; hops < 100; hops++) {
    const state = definition.States[current];
    if (state?.['Type'] !== 'Pass' || typeof state['Next'] !== 'string') return current;
    current = state['Next'];
  }
  return current;
}

/**
 * Catchers of the given states that do not lead to `target` (through Pass states) with
 * `resultPath`. `allowed` accepts other catchers (one ending the execution as nothing to do).
 */
export function catchesNotLeadingTo(
  definition: Definition,
  states: Iterable<string>,
  target: string,
  resultPath: string,
  allowed: (catcher: Catcher) => boolean = () => false,
): string[] {
  return [...states].flatMap((name) =>
    catchersOf(definition.States[name] ?? {})
      .filter((catcher) => !allowed(catcher))
      .filter(
        (catcher) =>
          destination(definition, catcher.Next) !== target || catcher.ResultPath !== resultPath,
      )
      .map(
        (catcher) =>
          `${name}: Catch ${catcher.ErrorEquals.join('|')} -> ${catcher.Next} ` +
          `(${String(catcher.ResultPath)}), expected ${target} (${resultPath})`,
      ),
  );
}
