/** An HTTP server on 127.0.0.1:0 that answers probes with a scripted list of statuses. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthServer {
  readonly port: number;
  /** Paths requested so far, in order. */
  readonly requests: string[];
  readonly close: () => Promise<void>;
}

/** Answers the n-th request with statuses[n], and every later one with the last status. */
export async function startHealthServer(statuses: readonly number[]): Promise<HealthServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const status = statuses[Math.min(requests.length, statuses.length - 1)] ?? 500;
    requests.push(request.url ?? '');
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: status === 200 ? 'ok' : 'unhealthy' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: taken from the OS, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
