import {
  type DescribeRuleCommandOutput,
  type EventBridgeClient,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { RELEASES_PREFIX } from '../release-names.ts';
import { guarded, isErrorNamed } from './aws-failure.ts';
import { type CheckResult, failed, passed } from './check-result.ts';
import { objectCreatedEvent } from './release-events.ts';
import type { ReleaseRuleNames } from './release-rule.ts';

// Command output shares the bucket; its uploads must never start start-deployment.
const OUTSIDE_RELEASES_PREFIX = 'command-output/';
// arn:aws:events:<region>:<account>:rule/[<bus>/]<name>
const RULE_ARN = /^arn:aws[a-z-]*:events:([a-z0-9-]+):(\d{12}):rule\//;

/**
 * The rule's own pattern, run by EventBridge (TestEventPattern), matches an upload of
 * `releases/<app>/<app>-1.0.0.tar.gz` to the artifact bucket and does not match one under
 * `command-output/`. The canned events carry the rule's account and Region.
 */
export async function checkReleaseRulePattern(
  eventBridge: EventBridgeClient,
  rule: DescribeRuleCommandOutput,
  names: ReleaseRuleNames,
): Promise<CheckResult[]> {
  const { ruleName, bucket, app } = names;
  return guarded('release-rule-pattern', ruleName, ['events:TestEventPattern'], async () => {
    const pattern = rule.EventPattern;
    const fix =
      'redeploy the Signet stack (`npx cdk deploy`): the rule pattern must be ' +
      `releaseUploadedPattern("${bucket}") of core/event-patterns.ts`;
    if (pattern === undefined) {
      return [
        failed('release-rule-pattern', ruleName, `rule ${ruleName} has no event pattern`, fix),
      ];
    }
    const [, region = 'us-east-1', account = '000000000000'] = RULE_ARN.exec(rule.Arn ?? '') ?? [];
    const matches = async (key: string) => {
      const event = objectCreatedEvent({ bucket, key, account, region });
      const answer = await eventBridge.send(
        new TestEventPatternCommand({ EventPattern: pattern, Event: JSON.stringify(event) }),
      );
      return answer.Result === true;
    };
    const release = `${RELEASES_PREFIX}${app}/${app}-1.0.0.tar.gz`;
    const outside = `${OUTSIDE_RELEASES_PREFIX}${app}/${app}-1.0.0.tar.gz`;
    const results: CheckResult[] = [];
    try {
      if (!(await matches(release))) {
        results.push(
          failed(
            'release-rule-pattern',
            ruleName,
            `the pattern of rule ${ruleName} does not match an upload of ${release} to bucket ` +
              `${bucket}, so that upload would start no deployment`,
            fix,
          ),
        );
      }
      if (await matches(outside)) {
        results.push(
          failed(
            'release-rule-pattern',
            ruleName,
            `the pattern of rule ${ruleName} matches an upload of ${outside}, outside ` +
              `${RELEASES_PREFIX}: every object written to bucket ${bucket} would reach ` +
              'start-deployment',
            fix,
          ),
        );
      }
    } catch (error) {
      if (!isErrorNamed(error, 'InvalidEventPatternException')) throw error;
      const reason = (error as Error).message;
      return [failed('release-rule-pattern', ruleName, `rule ${ruleName}: ${reason}`, fix)];
    }
    return results.length === 0 ? [passed('release-rule-pattern', ruleName)] : results;
  });
}
