import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { STATE_TABLE_KEYS, stateTableDefinition } from '../core/state-table.ts';

/**
 * The DynamoDB table of locks and audit chains, built from core/state-table.ts, the shape
 * local mode creates too. Kept when the stack is deleted: the audit trail outlives it.
 */
export class StateTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const definition = stateTableDefinition('unused');
    const keyAttribute = (keyType: 'HASH' | 'RANGE'): dynamodb.Attribute => {
      const name = definition.KeySchema?.find((key) => key.KeyType === keyType)?.AttributeName;
      const type = definition.AttributeDefinitions?.find((a) => a.AttributeName === name);
      if (name === undefined || type?.AttributeType !== 'S') {
        throw new Error(`core/state-table.ts has no string ${keyType} key`);
      }
      return { name, type: dynamodb.AttributeType.STRING };
    };

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: keyAttribute('HASH'),
      sortKey: keyAttribute('RANGE'),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: STATE_TABLE_KEYS.ttl,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
