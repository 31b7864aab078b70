import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { stateTableDefinition } from '../../core/state-table.ts';

export interface LocalDynamoDb {
  readonly client: DynamoDBClient;
  readonly table: string;
  readonly endpoint: string;
  close(): Promise<void>;
}

/** A real DynamoDB implementation (dynalite, in memory) with Signet's state table created. */
export async function startLocalDynamoDb(table = 'signet-state'): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await client.send(new CreateTableCommand(stateTableDefinition(table)));
  return {
    client,
    table,
    endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        client.destroy();
        server.close(() => resolve());
      }),
  };
}
