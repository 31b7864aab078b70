/** A static file server on 127.0.0.1:0 from which the host script downloads artifacts. */
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ArtifactServer {
  /** Serves `path` at /<name>; returns its URL. */
  readonly publish: (name: string, path: string) => string;
  /** A URL that answers 404. */
  readonly missingUrl: () => string;
  readonly close: () => Promise<void>;
}

export async function startArtifactServer(): Promise<ArtifactServer> {
  const files = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    const path = files.get(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (path === undefined || !existsSync(path)) {
      response.writeHead(404).end('not found\n');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/gzip' });
    createReadStream(path).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    publish: (name, path) => {
      files.set(`/${name}`, path);
      return `${base}/${name}`;
    },
    missingUrl: () => `${base}/missing.tar.gz`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
