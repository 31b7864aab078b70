import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkStateMachine } from '../../../core/doctor/state-machine.ts';
import { checkStateTable } from '../../../core/doctor/state-table.ts';
import { awsError } from '../../helpers/aws-error.ts';

const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:Signet-deploy';
const TABLE = 'Signet-StateTable-1X2Y';
const SIGNET_KEYS = [
  { AttributeName: 'pk', KeyType: 'HASH' as const },
  { AttributeName: 'sk', KeyType: 'RANGE' as const },
];

describe('the state machine check', () => {
  const sfn = mockClient(SFNClient);
  const client = new SFNClient({ region: 'us-east-1' });
  beforeEach(() => sfn.reset());

  it('passes for an ACTIVE state machine', async () => {
    // Prepare
    sfn.on(DescribeStateMachineCommand).resolves({ status: 'ACTIVE' });

    // Act
    const results = await checkStateMachine(client, MACHINE);

    // Assess
    expect(results).toEqual([{ check: 'state-machine', target: MACHINE, ok: true }]);
  });

  it('fails for one being deleted', async () => {
    // Prepare
    sfn.on(DescribeStateMachineCommand).resolves({ status: 'DELETING' });

    // Act
    const [result] = await checkStateMachine(client, MACHINE);

    // Assess
    expect(result?.ok).toBe(false);
    expect(result?.problem).toContain('is DELETING, not ACTIVE');
    expect(result?.fix).toContain('npx cdk deploy');
  });

  it.each(['StateMachineDoesNotExist', 'InvalidArn'])(
    'fails for %s, naming the setting to correct',
    async (code) => {
      // Prepare
      sfn.on(DescribeStateMachineCommand).rejects(awsError(code, 'nope'));

      // Act
      const [result] = await checkStateMachine(client, MACHINE);

      // Assess
      expect(result?.ok).toBe(false);
      expect(result?.problem).toBe(`state machine ${MACHINE} does not exist (${code})`);
      expect(result?.fix).toContain('SIGNET_STATE_MACHINE_ARN');
    },
  );
});

describe('the state table check', () => {
  const dynamodb = mockClient(DynamoDBClient);
  const client = new DynamoDBClient({ region: 'us-east-1' });
  beforeEach(() => dynamodb.reset());

  it('passes for an ACTIVE table with the pk/sk key schema', async () => {
    // Prepare
    dynamodb
      .on(DescribeTableCommand)
      .resolves({ Table: { TableStatus: 'ACTIVE', KeySchema: SIGNET_KEYS } });

    // Act
    const results = await checkStateTable(client, TABLE);

    // Assess
    expect(results).toEqual([{ check: 'state-table', target: TABLE, ok: true }]);
  });

  it('fails for a table that does not exist', async () => {
    // Prepare
    dynamodb
      .on(DescribeTableCommand)
      .rejects(
        awsError(
          'ResourceNotFoundException',
          `Requested resource not found: Table: ${TABLE} not found`,
        ),
      );

    // Act
    const [result] = await checkStateTable(client, TABLE);

    // Assess
    expect(result?.problem).toBe(`DynamoDB table ${TABLE} does not exist`);
    expect(result?.fix).toContain('SIGNET_STATE_TABLE');
  });

  it('fails for a table being deleted whose keys are not Signet’s, one line each', async () => {
    // Prepare
    dynamodb.on(DescribeTableCommand).resolves({
      Table: { TableStatus: 'DELETING', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
    });

    // Act
    const results = await checkStateTable(client, TABLE);

    // Assess
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    expect(results[0]?.problem).toContain('is DELETING');
    expect(results[1]?.problem).toContain('has key schema id HASH, not pk HASH, sk RANGE');
  });
});
