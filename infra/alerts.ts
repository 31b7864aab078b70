import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { executionFailedPattern, signetAlertPattern } from '../core/event-patterns.ts';
import { toEventPattern } from './event-pattern.ts';
import { acknowledgeWildcardAction } from './nag-acknowledgements.ts';

export interface AlertsProps {
  /** The deployment state machine whose failed, timed-out and aborted executions alert. */
  readonly stateMachineArn: string;
  /** Addresses subscribed to the topic. */
  readonly emails: readonly string[];
}

/**
 * What reaches people: Signet's own alert events (every outcome but success) and Step
 * Functions' FAILED / TIMED_OUT / ABORTED status events of the deployment state machine, both
 * to one KMS-encrypted, TLS-only SNS topic. EventBridge publishes with a role of its own,
 * so the topic's policy grants no service principal anything.
 */
export class Alerts extends Construct {
  readonly topic: sns.Topic;
  readonly signetAlertRule: events.Rule;
  readonly executionFailedRule: events.Rule;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    // A customer-managed key: EventBridge cannot use the AWS-managed SNS key.
    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts Signet alert messages at rest in SNS',
      enableKeyRotation: true,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Signet alerts',
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of props.emails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }

    const publisher = new iam.Role(this, 'PublisherRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge publishes Signet alerts to their SNS topic',
    });
    const target = new targets.SnsTopic(this.topic, { role: publisher });
    this.signetAlertRule = new events.Rule(this, 'SignetAlertRule', {
      description: "Signet's own alert events: refused, failed, rolled back, not recorded",
      eventPattern: toEventPattern(signetAlertPattern()),
      targets: [target],
    });
    this.executionFailedRule = new events.Rule(this, 'ExecutionFailedRule', {
      description: 'Deployment executions that failed, timed out or were aborted',
      eventPattern: toEventPattern(executionFailedPattern(props.stateMachineArn)),
      targets: [target],
    });
    acknowledgeWildcardAction(
      publisher,
      'kms:GenerateDataKey*',
      'Added by SnsTopic.grantPublish on the topic key alone: SNS needs GenerateDataKey to ' +
        'encrypt each published message with that key.',
    );
  }
}
