import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetParameterCommand, ListCommandsCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forwardOperations,
  PARAMETER_STORE_OPERATIONS,
} from '../../../local/control-plane/forward-operations.ts';
import { startControlPlane } from '../../../local/control-plane/server.ts';
import type { JsonService } from '../../../local/control-plane/service-types.ts';

interface Seen {
  readonly target: string;
  readonly authorization: string;
  readonly body: unknown;
}

/** An upstream that answers GetParameter for `/known` and ParameterNotFound otherwise. */
async function startUpstream(seen: Seen[]): Promise<{ server: Server; endpoint: string }> {
  const server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Name?: string };
    seen.push({
      target: String(request.headers['x-amz-target']),
      authorization: String(request.headers['authorization']),
      body,
    });
    const found = body.Name === '/known';
    response.writeHead(found ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(
      JSON.stringify(
        found
          ? { Parameter: { Name: '/known', Value: 'upstream', Version: 3, Type: 'String' } }
          : { __type: 'com.amazonaws.ssm#ParameterNotFound', message: 'not upstream' },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const LOCAL_SSM: JsonService = {
  protocol: 'json',
  targetPrefix: 'AmazonSSM',
  operations: {
    GetParameter: async () => ({ Parameter: { Name: '/local', Value: 'local' } }),
    ListCommands: async () => ({ Commands: [{ CommandId: 'local-command' }] }),
  },
};

describe('forwardOperations', () => {
  const seen: Seen[] = [];
  let upstream: { server: Server; endpoint: string };
  let plane: { endpoint: string; close(): Promise<void> };
  let ssm: SSMClient;
  beforeAll(async () => {
    upstream = await startUpstream(seen);
    const served = forwardOperations(LOCAL_SSM, PARAMETER_STORE_OPERATIONS, upstream.endpoint);
    plane = await startControlPlane({ services: [served] });
    ssm = new SSMClient({
      endpoint: plane.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    ssm.destroy();
    await plane.close();
    await new Promise((resolve) => upstream.server.close(resolve));
  });

  it('answers a forwarded operation from upstream, passing the request through', async () => {
    // Act
    const answer = await ssm.send(new GetParameterCommand({ Name: '/known' }));

    // Assess
    expect(answer.Parameter).toMatchObject({ Name: '/known', Value: 'upstream', Version: 3 });
    expect(seen.at(-1)).toMatchObject({
      target: 'AmazonSSM.GetParameter',
      body: { Name: '/known' },
    });
    expect(seen.at(-1)?.authorization).toMatch(/Credential=[^/]+\/\d{8}\/us-east-1\/ssm\//);
  });

  it("passes upstream's error code and status on, without its namespace", async () => {
    // Act
    const error = await ssm.send(new GetParameterCommand({ Name: '/missing' })).catch((e) => e);

    // Assess
    expect(error).toMatchObject({
      name: 'ParameterNotFound',
      message: 'not upstream',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('keeps the operations it was not told to forward local', async () => {
    // Prepare
    const before = seen.length;

    // Act
    const answer = await ssm.send(new ListCommandsCommand({}));

    // Assess
    expect(answer.Commands?.[0]?.CommandId).toBe('local-command');
    expect(seen).toHaveLength(before);
  });
});
