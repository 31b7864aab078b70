import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { foreignHostMessage, isLoopbackHost } from '../loopback-host.ts';
import { handleEc2QueryRequest } from './ec2-query-protocol.ts';
import { handleJsonRequest } from './json-protocol.ts';
import type { JsonService, LocalService, QueryService } from './service-types.ts';
import type { WireResponse } from './wire-response.ts';

export interface ControlPlaneOptions {
  /** The services to serve; JSON ones by their X-Amz-Target prefix, the query one by Action. */
  readonly services: readonly LocalService[];
  /** Port on 127.0.0.1. Default 0: the system picks a free one. */
  readonly port?: number;
}

export interface RunningControlPlane {
  /** `http://127.0.0.1:<port>`: the value for AWS_ENDPOINT_URL_SSM / _EC2 / _EVENTBRIDGE. */
  readonly endpoint: string;
  close(): Promise<void>;
}

// Far above any real request (EventBridge caps a PutEvents at 256 KB), low enough that a
// runaway client cannot exhaust memory.
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Starts the local control plane: one HTTP server on 127.0.0.1 speaking the AWS wire protocols
 * of the given services. Signatures are not verified and any credentials are accepted: it only
 * listens on loopback and stands in for AWS in local mode.
 *
 * @example
 * const plane = await startControlPlane({ services: [ssm, ec2, eventBridge] });
 * process.env['AWS_ENDPOINT_URL_SSM'] = plane.endpoint;
 */
export async function startControlPlane(
  options: ControlPlaneOptions,
): Promise<RunningControlPlane> {
  const jsonServices = options.services.filter((s): s is JsonService => s.protocol === 'json');
  const queryService = options.services.find((s): s is QueryService => s.protocol === 'ec2-query');

  const server = createServer((request, response) => {
    const { port } = server.address() as AddressInfo;
    if (!isLoopbackHost(request.headers.host, port)) {
      response.writeHead(403, { 'content-type': 'text/plain' });
      response.end(foreignHostMessage(request.headers.host));
      return;
    }
    void serve(request, response, jsonServices, queryService);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  jsonServices: readonly JsonService[],
  queryService: QueryService | undefined,
): Promise<void> {
  const requestId = randomUUID();
  let answer: WireResponse;
  try {
    const body = await readBody(request);
    answer = await route(request, body, jsonServices, queryService, requestId);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    answer = { status: 413, headers: { 'content-type': 'text/plain' }, body: message };
  }
  response.writeHead(answer.status, {
    ...answer.headers,
    'content-length': Buffer.byteLength(answer.body),
  });
  response.end(answer.body);
}

function route(
  request: IncomingMessage,
  body: string,
  jsonServices: readonly JsonService[],
  queryService: QueryService | undefined,
  requestId: string,
): Promise<WireResponse> {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    const contentType = request.headers['content-type'] ?? '';
    return handleJsonRequest(jsonServices, { target, contentType, body }, requestId);
  }
  const params = new URLSearchParams(new URL(request.url ?? '/', 'http://local').search);
  for (const [name, value] of new URLSearchParams(body)) params.append(name, value);
  if (queryService !== undefined && params.has('Action')) {
    return handleEc2QueryRequest(queryService, params, requestId);
  }
  // Neither protocol: answer as the JSON services would an unknown operation.
  return handleJsonRequest(jsonServices, { target: '', contentType: '', body: '' }, requestId);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`Request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
