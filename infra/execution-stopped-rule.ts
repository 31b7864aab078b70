import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { executionStoppedPattern } from '../core/event-patterns.ts';
import { toEventPattern } from './event-pattern.ts';

export interface ExecutionStoppedRuleProps {
  /** The deployment state machine whose stopped and timed-out executions are audited. */
  readonly stateMachineArn: string;
  /** The record-outcome function, which accepts the status event. */
  readonly recordOutcome: lambda.IFunction;
}

/**
 * Step Functions' ABORTED and TIMED_OUT status events of the deployment state machine ->
 * record-outcome: such an execution never reaches its RecordOutcome state, so this writes its
 * audit entry, frees its lock and alerts (docs/SECURITY.md, G2). The same pattern is the rule
 * in local mode.
 */
export class ExecutionStoppedRule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ExecutionStoppedRuleProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Deployment executions stopped or timed out: audit them and free their lock',
      eventPattern: toEventPattern(executionStoppedPattern(props.stateMachineArn)),
      targets: [new targets.LambdaFunction(props.recordOutcome)],
    });
  }
}
