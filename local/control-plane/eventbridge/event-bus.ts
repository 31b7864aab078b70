import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { serialWriter } from '../atomic-file.ts';
import { RuleRegistry, type RuleState, type RuleView } from './rule-registry.ts';

/** An event as EventBridge delivers it to targets (the EventBridge event structure). */
export interface EventBridgeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  /** ISO 8601 to the second, as EventBridge writes it: 2021-11-12T00:00:00Z. */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

export interface PublishInput {
  readonly source: string;
  readonly detailType: string;
  readonly detail: unknown;
  readonly resources?: readonly string[];
  readonly time?: Date;
  /** Default `default`. */
  readonly eventBusName?: string;
}

export interface EventRule {
  readonly name: string;
  /** An EventBridge event pattern; checked when the rule is added. */
  readonly pattern: unknown;
  readonly target: (event: EventBridgeEvent) => Promise<void>;
  /** Default `default`. */
  readonly eventBusName?: string;
  /** What ListTargetsByRule reports as the target (e.g. the local function's ARN). */
  readonly targetArn?: string;
  /** Shown by ListRules and DescribeRule. */
  readonly description?: string;
}

export interface LocalEventBus {
  /** Records an event in events.jsonl, then hands it to every matching rule's target. */
  publish(input: PublishInput): Promise<EventBridgeEvent>;
  /**
   * Adds a rule, ENABLED, replacing one of the same name on its bus; throws
   * InvalidEventPatternException for a bad pattern. Returns its removal.
   */
  addRule(rule: EventRule): () => void;
  /** The rules on a bus (default `default`), sorted by name. */
  rules(eventBusName?: string): RuleView[];
  /** Enables or disables a rule; false when the bus has no rule of that name. */
  setRuleState(name: string, state: RuleState, eventBusName?: string): boolean;
  /** Resolves when every target started so far has finished. */
  idle(): Promise<void>;
}

export interface EventBusOptions {
  readonly stateDir: string;
  readonly region: string;
  readonly account: string;
  /** Told when a target throws; EventBridge would retry, the local bus does not. */
  readonly onDeliveryFailure?: (rule: string, event: EventBridgeEvent, error: unknown) => void;
}

/**
 * The in-process event bus behind PutEvents and local producers (the local S3 publishes
 * "Object Created" here). Delivery is asynchronous, as in EventBridge: publish returns once the
 * event is recorded, before targets run.
 */
export function createEventBus(options: EventBusOptions): LocalEventBus {
  const file = join(options.stateDir, 'events.jsonl');
  const rules = new RuleRegistry(options.region, options.account);
  const deliveries = new Set<Promise<void>>();
  const queueAppend = serialWriter();

  return {
    async publish(input) {
      const event: EventBridgeEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': input.detailType,
        source: input.source,
        account: options.account,
        time: `${(input.time ?? new Date()).toISOString().slice(0, 19)}Z`,
        region: options.region,
        resources: input.resources ?? [],
        detail: input.detail,
      };
      await queueAppend(async () => {
        await mkdir(dirname(file), { recursive: true });
        await appendFile(file, `${JSON.stringify(event)}\n`);
      });
      const bus = input.eventBusName ?? 'default';
      for (const rule of rules.matching(bus, event)) {
        const delivery = Promise.resolve()
          .then(() => rule.target(event))
          .catch((error: unknown) => options.onDeliveryFailure?.(rule.name, event, error))
          .finally(() => deliveries.delete(delivery));
        deliveries.add(delivery);
      }
      return event;
    },
    addRule: (rule) => rules.add(rule),
    rules: (eventBusName = 'default') => rules.list(eventBusName),
    setRuleState: (name, state, eventBusName = 'default') =>
      rules.setState(eventBusName, name, state),
    async idle() {
      while (deliveries.size > 0) await Promise.allSettled([...deliveries]);
    },
  };
}
