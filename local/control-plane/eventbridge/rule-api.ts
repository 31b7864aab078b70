import { maxResults, optionalString, requiredString, validationError } from '../input-fields.ts';
import { paginate } from '../pagination.ts';
import { AwsServiceError, type JsonObject, type JsonOperation } from '../service-types.ts';
import { knownBus } from './bus-name.ts';
import type { LocalEventBus } from './event-bus.ts';
import type { RuleState, RuleView } from './rule-registry.ts';

// events-model: RuleName is 1 to 64 of [.\-_A-Za-z0-9]; Limit (LimitMax100) 1 to 100.
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const LIMIT = { min: 1, max: 100, fallback: 100 } as const;
// CDK names a rule's first target Target0; the local rules have one target each.
const TARGET_ID = 'Target0';

const invalidNextToken = () =>
  new AwsServiceError('ValidationException', 'The nextToken provided is invalid.');

export interface RuleApiOptions {
  /** Buses besides `default` that exist; absent: any name. */
  readonly eventBusNames?: readonly string[];
}

/**
 * The rule operations of the AWSEvents JSON API over the in-process bus's rules: ListRules,
 * DescribeRule, ListTargetsByRule, EnableRule and DisableRule. Rules are made in process with
 * addRule (PutRule and PutTargets are not served).
 */
export function ruleOperations(
  bus: LocalEventBus,
  options: RuleApiOptions,
): Record<string, JsonOperation> {
  const busOf = (input: JsonObject) => knownBus(input['EventBusName'], options.eventBusNames);
  const find = (input: JsonObject, field: 'Name' | 'Rule'): RuleView => {
    const name = ruleName(input, field);
    const eventBus = busOf(input);
    const rule = bus.rules(eventBus).find((candidate) => candidate.name === name);
    if (rule === undefined) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `Rule ${name} does not exist on EventBus ${eventBus}.`,
      );
    }
    return rule;
  };
  const setState = (state: RuleState): JsonOperation => {
    return async (input) => {
      const rule = find(input, 'Name');
      bus.setRuleState(rule.name, state, rule.eventBusName);
      return {};
    };
  };

  return {
    async ListRules(input) {
      const prefix = optionalString(input, 'NamePrefix') ?? '';
      const limit = maxResults(renamed(input, 'Limit'), LIMIT);
      const rows = bus
        .rules(busOf(input))
        .filter((rule) => rule.name.startsWith(prefix))
        .map(ruleShape);
      const page = paginate(rows, limit, optionalString(input, 'NextToken'), invalidNextToken);
      return { Rules: page.items, ...nextTokenOf(page.nextToken) };
    },

    async DescribeRule(input) {
      const rule = find(input, 'Name');
      // The rules are this account's own: the account of the rule's ARN made them.
      return { ...ruleShape(rule), CreatedBy: rule.arn.split(':')[4] };
    },

    async ListTargetsByRule(input) {
      const rule = find(input, 'Rule');
      const limit = maxResults(renamed(input, 'Limit'), LIMIT);
      const targets = rule.targetArn === undefined ? [] : [{ Id: TARGET_ID, Arn: rule.targetArn }];
      const page = paginate(targets, limit, optionalString(input, 'NextToken'), invalidNextToken);
      return { Targets: page.items, ...nextTokenOf(page.nextToken) };
    },

    EnableRule: setState('ENABLED'),
    DisableRule: setState('DISABLED'),
  };
}

function ruleShape(rule: RuleView): JsonObject {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: JSON.stringify(rule.pattern),
    State: rule.state,
    ...(rule.description === undefined ? {} : { Description: rule.description }),
    EventBusName: rule.eventBusName,
  };
}

function ruleName(input: JsonObject, field: 'Name' | 'Rule'): string {
  const name = requiredString(input, field);
  if (!RULE_NAME.test(name)) {
    throw validationError(
      field.toLowerCase(),
      'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length ' +
        'between 1 and 64',
    );
  }
  return name;
}

/** EventBridge calls its page size Limit; maxResults reads MaxResults. */
function renamed(input: JsonObject, field: string): JsonObject {
  return input[field] === undefined ? {} : { MaxResults: input[field] };
}

function nextTokenOf(token: string | undefined): JsonObject {
  return token === undefined ? {} : { NextToken: token };
}
