import {
  DescribeRuleCommand,
  type DescribeRuleCommandOutput,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { guarded, isErrorNamed } from './aws-failure.ts';
import { type CheckResult, failed, passed } from './check-result.ts';
import { checkReleaseRulePattern } from './release-rule-pattern.ts';
import { checkReleaseRuleTarget } from './release-rule-target.ts';

export interface ReleaseRuleNames {
  readonly ruleName: string;
  /** The artifact bucket whose uploads the rule must match. */
  readonly bucket: string;
  /** The app named in the canned upload the pattern is tested with. */
  readonly app: string;
}

/**
 * The EventBridge rule that starts deployments exists on the default bus and is ENABLED; then
 * its target and its pattern are checked (release-rule-target.ts, release-rule-pattern.ts).
 */
export async function checkReleaseRule(
  eventBridge: EventBridgeClient,
  names: ReleaseRuleNames,
): Promise<CheckResult[]> {
  const { ruleName } = names;
  let rule: DescribeRuleCommandOutput | undefined;
  const described = await guarded('release-rule', ruleName, ['events:DescribeRule'], async () => {
    try {
      rule = await eventBridge.send(new DescribeRuleCommand({ Name: ruleName }));
    } catch (error) {
      if (isErrorNamed(error, 'ResourceNotFoundException')) return [ruleMissing(ruleName)];
      throw error;
    }
    return [ruleState(ruleName, rule.State)];
  });
  if (rule === undefined) return described;
  return [
    ...described,
    ...(await checkReleaseRuleTarget(eventBridge, ruleName)),
    ...(await checkReleaseRulePattern(eventBridge, rule, names)),
  ];
}

function ruleMissing(ruleName: string): CheckResult {
  return failed(
    'release-rule',
    ruleName,
    `EventBridge rule ${ruleName} does not exist on the default event bus, so uploads start ` +
      'no deployment',
    'set SIGNET_RELEASE_RULE_NAME to the stack output SignetReleaseRuleName, or redeploy the ' +
      'Signet stack (`npx cdk deploy`)',
  );
}

function ruleState(ruleName: string, state: string | undefined): CheckResult {
  if (state === 'ENABLED') return passed('release-rule', ruleName);
  return failed(
    'release-rule',
    ruleName,
    `EventBridge rule ${ruleName} is ${state ?? 'in no state'}, so uploads start no deployment`,
    `aws events enable-rule --name ${ruleName}`,
  );
}
