import { mkdir } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { stateTableDefinition } from '../../core/state-table.ts';
import { foreignHostMessage, isLoopbackHost } from '../loopback-host.ts';

export interface RunningDynamoDb {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * DynamoDB for local mode: dynalite, a real implementation of DynamoDB's API (conditional
 * writes, queries) on LevelDB, persisted under the state directory. Creates Signet's table.
 */
export async function startLocalDynamoDb(options: {
  readonly dir: string;
  readonly table: string;
  readonly port?: number;
  readonly region: string;
}): Promise<RunningDynamoDb> {
  await mkdir(options.dir, { recursive: true });
  const server = dynalite({
    path: options.dir,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  refuseForeignHosts(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: options.region,
    credentials: { accessKeyId: 'signet-local', secretAccessKey: 'signet-local' },
  });
  try {
    await client.send(new CreateTableCommand(stateTableDefinition(options.table)));
  } catch (error) {
    if ((error as Error).name !== 'ResourceInUseException') throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/** Puts the loopback Host check of the other local servers in front of dynalite's handler. */
function refuseForeignHosts(server: Server): void {
  const handlers = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!isLoopbackHost(request.headers.host, (server.address() as AddressInfo).port)) {
      request.resume();
      response.writeHead(403, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(
        JSON.stringify({
          __type: 'com.amazon.coral.service#AccessDeniedException',
          message: foreignHostMessage(request.headers.host),
        }),
      );
      return;
    }
    for (const handler of handlers) handler(request, response);
  });
}
