import {
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { stateTableDefinition } from '../state-table.ts';
import { guarded, isErrorNamed } from './aws-failure.ts';
import { type CheckResult, failed, passed } from './check-result.ts';

// A table in these states takes reads and writes (DynamoDB API reference, TableStatus).
const USABLE_STATUSES = new Set(['ACTIVE', 'UPDATING']);

/**
 * The state table (locks and audit chains) exists, takes requests, and has the key schema of
 * core/state-table.ts.
 */
export async function checkStateTable(
  dynamodb: DynamoDBClient,
  tableName: string,
): Promise<CheckResult[]> {
  const check = 'state-table';
  return guarded(check, tableName, ['dynamodb:DescribeTable'], async () => {
    let table: TableDescription | undefined;
    try {
      table = (await dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    } catch (error) {
      if (!isErrorNamed(error, 'ResourceNotFoundException')) throw error;
    }
    if (table === undefined) {
      return [
        failed(
          check,
          tableName,
          `DynamoDB table ${tableName} does not exist`,
          'set SIGNET_STATE_TABLE to the stack output SignetStateTable (`signet local up` ' +
            'prints it for the local stack)',
        ),
      ];
    }
    const results: CheckResult[] = [];
    if (table.TableStatus !== undefined && !USABLE_STATUSES.has(table.TableStatus)) {
      results.push(
        failed(
          check,
          tableName,
          `DynamoDB table ${tableName} is ${table.TableStatus}: deployments cannot take locks`,
          'wait for it to become ACTIVE, or redeploy the Signet stack (`npx cdk deploy`)',
        ),
      );
    }
    const expected = keySchemaText(stateTableDefinition(tableName).KeySchema);
    const actual = keySchemaText(table.KeySchema);
    if (actual !== expected) {
      results.push(
        failed(
          check,
          tableName,
          `DynamoDB table ${tableName} has key schema ${actual || 'none'}, not ${expected}: ` +
            'it is not a Signet state table',
          'set SIGNET_STATE_TABLE to the stack output SignetStateTable',
        ),
      );
    }
    return results.length === 0 ? [passed(check, tableName)] : results;
  });
}

function keySchemaText(
  schema: readonly { AttributeName?: string | undefined; KeyType?: string | undefined }[] = [],
): string {
  return schema.map((key) => `${key.AttributeName} ${key.KeyType}`).join(', ');
}
