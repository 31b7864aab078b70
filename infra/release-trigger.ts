import { Names } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, type IConstruct } from 'constructs';
import { releaseUploadedPattern } from '../core/event-patterns.ts';
import { toEventPattern } from './event-pattern.ts';

// EventBridge rule names: 1 to 64 of letters, digits, '.', '-' and '_' (events-model RuleName).
const MAX_RULE_NAME_LENGTH = 64;
// Says what the rule is where the console lists it next to the stack's other rules.
const RULE_NAME_SUFFIX = '-release-uploaded';

export interface ReleaseTriggerProps {
  /** From releaseRuleNameFor(). */
  readonly ruleName: string;
  /** The artifact bucket's name. */
  readonly bucketName: string;
  /** The start-deployment function. */
  readonly startDeployment: lambda.IFunction;
}

/**
 * A rule name unique to `scope` in its account and Region, fixed at synth time: the Lambdas get
 * it as SIGNET_RELEASE_RULE_NAME, and the rule targets one of them, so a name CloudFormation
 * generated would be a reference cycle.
 */
export function releaseRuleNameFor(scope: IConstruct): string {
  const maxLength = MAX_RULE_NAME_LENGTH - RULE_NAME_SUFFIX.length;
  return `${Names.uniqueResourceName(scope, { maxLength, separator: '-' })}${RULE_NAME_SUFFIX}`;
}

/**
 * Object Created under `releases/` in the artifact bucket -> start-deployment, with the rule
 * pattern local mode uses too. Signatures match as well; the function ignores them.
 */
export class ReleaseTrigger extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ReleaseTriggerProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      ruleName: props.ruleName,
      description: 'An upload under releases/ starts a Signet deployment',
      eventPattern: toEventPattern(releaseUploadedPattern(props.bucketName)),
      targets: [new targets.LambdaFunction(props.startDeployment)],
    });
  }
}
