import { type EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { guarded } from './aws-failure.ts';
import { type CheckResult, failed, passed, warned } from './check-result.ts';

const LAMBDA_FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([^:]+)(:.+)?$/;

// Limitation: a function is recognised as start-deployment by its name (CloudFormation puts
// the construct id StartDeployment into it; local mode names it signet-start-deployment).
// A very long stack name can truncate that part away: then it is a warning, not a failure.
const START_DEPLOYMENT_NAME = 'startdeployment';

/** The release rule sends its events to the start-deployment Lambda. */
export async function checkReleaseRuleTarget(
  eventBridge: EventBridgeClient,
  ruleName: string,
): Promise<CheckResult[]> {
  return guarded('release-rule-target', ruleName, ['events:ListTargetsByRule'], async () => {
    const arns = await targetArns(eventBridge, ruleName);
    const functions = arns.flatMap((arn) => {
      const name = LAMBDA_FUNCTION_ARN.exec(arn)?.[1];
      return name === undefined ? [] : [{ arn, name }];
    });
    const fix =
      'redeploy the Signet stack (`npx cdk deploy`), which makes the start-deployment function ' +
      'the rule target';
    if (functions.length === 0) {
      const what = arns.length === 0 ? 'has no targets' : `targets only ${arns.join(', ')}`;
      return [
        failed(
          'release-rule-target',
          ruleName,
          `EventBridge rule ${ruleName} ${what}, not the start-deployment function, so uploads ` +
            'start no deployment',
          fix,
        ),
      ];
    }
    const normalised = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (functions.some((fn) => normalised(fn.name).includes(START_DEPLOYMENT_NAME))) {
      return [passed('release-rule-target', ruleName)];
    }
    return [
      warned(
        'release-rule-target',
        ruleName,
        `EventBridge rule ${ruleName} targets ${functions.map((fn) => fn.arn).join(', ')}, ` +
          "whose name does not say it is Signet's start-deployment function",
        `check that the target is the stack's start-deployment function; if not, ${fix}`,
      ),
    ];
  });
}

async function targetArns(eventBridge: EventBridgeClient, ruleName: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await eventBridge.send(
      new ListTargetsByRuleCommand({
        Rule: ruleName,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }),
    );
    for (const target of page.Targets ?? []) if (target.Arn !== undefined) arns.push(target.Arn);
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return arns;
}
