import { compileEventPattern } from '../event-pattern.ts';
import type { EventBridgeEvent, EventRule } from './event-bus.ts';

export type RuleState = 'ENABLED' | 'DISABLED';

/** A rule as ListRules, DescribeRule and ListTargetsByRule show it. */
export interface RuleView {
  readonly name: string;
  readonly arn: string;
  readonly eventBusName: string;
  /** The pattern as given to addRule. */
  readonly pattern: unknown;
  readonly state: RuleState;
  readonly description?: string;
  /** The ARN reported as the rule's one target; absent: the rule lists no targets. */
  readonly targetArn?: string;
}

interface Entry {
  readonly rule: EventRule;
  readonly matches: (event: unknown) => boolean;
  state: RuleState;
}

/**
 * The bus's rules, one per name and bus as in EventBridge: adding a rule under a name the bus
 * already has replaces it, as PutRule does. A DISABLED rule matches no event.
 */
export class RuleRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #arnPrefix: string;

  constructor(region: string, account: string) {
    this.#arnPrefix = `arn:aws:events:${region}:${account}:rule/`;
  }

  /** Adds (or replaces) a rule, ENABLED; returns its removal. */
  add(rule: EventRule): () => void {
    const key = keyOf(busOf(rule), rule.name);
    const entry: Entry = { rule, matches: compileEventPattern(rule.pattern), state: 'ENABLED' };
    this.#entries.set(key, entry);
    return () => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    };
  }

  /** The enabled rules on `bus` that match the event. */
  matching(bus: string, event: EventBridgeEvent): EventRule[] {
    return [...this.#entries.values()]
      .filter((entry) => entry.state === 'ENABLED' && busOf(entry.rule) === bus)
      .filter((entry) => entry.matches(event))
      .map((entry) => entry.rule);
  }

  /** The rules on `bus`, sorted by name. */
  list(bus: string): RuleView[] {
    return [...this.#entries.values()]
      .filter((entry) => busOf(entry.rule) === bus)
      .map((entry) => this.#view(entry))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  find(bus: string, name: string): RuleView | undefined {
    const entry = this.#entries.get(keyOf(bus, name));
    return entry === undefined ? undefined : this.#view(entry);
  }

  /** Enables or disables a rule; false when the bus has no rule of that name. */
  setState(bus: string, name: string, state: RuleState): boolean {
    const entry = this.#entries.get(keyOf(bus, name));
    if (entry === undefined) return false;
    entry.state = state;
    return true;
  }

  #view({ rule, state }: Entry): RuleView {
    const bus = busOf(rule);
    return {
      name: rule.name,
      arn: `${this.#arnPrefix}${bus === 'default' ? '' : `${bus}/`}${rule.name}`,
      eventBusName: bus,
      pattern: rule.pattern,
      state,
      ...(rule.description === undefined ? {} : { description: rule.description }),
      ...(rule.targetArn === undefined ? {} : { targetArn: rule.targetArn }),
    };
  }
}

function busOf(rule: EventRule): string {
  return rule.eventBusName ?? 'default';
}

function keyOf(bus: string, name: string): string {
  return `${bus}\0${name}`;
}
