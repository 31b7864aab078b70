import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { releaseUploadedPattern } from '../core/event-patterns.ts';
import { toEventPattern } from './event-pattern.ts';

export interface ReleaseTriggerProps {
  /** The artifact bucket's name. */
  readonly bucketName: string;
  /** The start-deployment function. */
  readonly startDeployment: lambda.IFunction;
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
      description: 'An upload under releases/ starts a Signet deployment',
      eventPattern: toEventPattern(releaseUploadedPattern(props.bucketName)),
      targets: [new targets.LambdaFunction(props.startDeployment)],
    });
  }
}
