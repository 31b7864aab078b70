import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, type IConstruct } from 'constructs';
import { LAMBDA_FUNCTIONS } from '../functions/manifest.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgements.ts';

/** The one state machine file, run unchanged here and by local mode. */
export const STATE_MACHINE_FILE = join(
  import.meta.dirname,
  '..',
  'statemachine',
  'deploy.asl.json',
);

/** The execution timeout the file sets (its top-level TimeoutSeconds). */
export function stateMachineTimeoutSeconds(): number {
  const definition = JSON.parse(readFileSync(STATE_MACHINE_FILE, 'utf8')) as {
    TimeoutSeconds?: unknown;
  };
  if (typeof definition.TimeoutSeconds !== 'number') {
    throw new Error(`${STATE_MACHINE_FILE} sets no top-level TimeoutSeconds`);
  }
  return definition.TimeoutSeconds;
}

/**
 * The ARN of the state machine named `name`, and the pattern of its executions' ARNs. Known
 * before the state machine exists, so the functions can be told the ARN (and allowed to
 * describe its executions) without a reference back to the state machine, which refers to
 * them: CloudFormation would refuse the cycle.
 */
export function stateMachineArns(scope: IConstruct, name: string) {
  const arn = (resource: string, resourceName: string) =>
    Stack.of(scope).formatArn({
      service: 'states',
      resource,
      resourceName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  return {
    stateMachineArn: arn('stateMachine', name),
    executionArns: arn('execution', `${name}:*`),
  };
}

/** A state machine name unique to `scope` in its account and Region, fixed at synth time. */
export function stateMachineNameFor(scope: IConstruct): string {
  return Names.uniqueResourceName(scope, { maxLength: 80, separator: '-' });
}

export interface DeployStateMachineProps {
  /** From stateMachineNameFor(). */
  readonly stateMachineName: string;
  /** The functions by manifest id; every one with an arnSubstitution is a Task resource. */
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The deployment state machine: statemachine/deploy.asl.json with each `${...FunctionArn}`
 * substituted by CloudFormation. Standard (executions last up to the file's two hours and
 * emit the status events alerts need), logged without execution data, traced.
 */
export class DeployStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: DeployStateMachineProps) {
    super(scope, id);
    const tasks = LAMBDA_FUNCTIONS.flatMap((spec) => {
      const fn = props.functions.get(spec.id);
      if (spec.arnSubstitution === null) return [];
      if (fn === undefined) throw new Error(`${this.node.path}: no function ${spec.id}`);
      return [{ substitution: spec.arnSubstitution, fn }];
    });

    const logGroup = new logs.LogGroup(this, 'Logs', {
      // The vended-logs prefix keeps CloudWatch Logs' resource policy for Step Functions short.
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetention,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(STATE_MACHINE_FILE),
      definitionSubstitutions: Object.fromEntries(
        tasks.map(({ substitution, fn }) => [substitution, fn.functionArn]),
      ),
      // Execution data holds deployment requests and plans; the execution history has them.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });

    // Its own Lambdas, by the unqualified ARN the file's Task states call, and nothing else.
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: tasks.map(({ fn }) => fn.functionArn),
      }),
    );
    acknowledgeWildcardResources(
      this.stateMachine.role,
      ['*'],
      'logs:CreateLogDelivery, logs:GetLogDelivery, logs:UpdateLogDelivery, ' +
        'logs:DeleteLogDelivery, logs:ListLogDeliveries, logs:PutResourcePolicy, ' +
        'logs:DescribeResourcePolicies, logs:DescribeLogGroups (execution logging) and ' +
        'xray:PutTraceSegments, xray:PutTelemetryRecords, xray:GetSamplingRules, ' +
        'xray:GetSamplingTargets (tracing), which CDK adds: the CloudWatch Logs vended-log ' +
        'delivery and X-Ray APIs support no resource-level permissions, so IAM requires "*".',
    );
  }
}
