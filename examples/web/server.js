// Signet's example app: a dependency-free HTTP service that reports its release version and
// its health. It listens on 127.0.0.1 only; a real app behind a load balancer would not.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.SIGNET_HTTP_PORT ?? '8080');
const version = readVersion();
// Checked on every request, so a test can make a running release unhealthy.
const unhealthyMarker = join(here, 'config', 'unhealthy');

/** signet-release.json is written at packaging time by `signet release`. */
function readVersion() {
  try {
    const release = JSON.parse(readFileSync(join(here, 'signet-release.json'), 'utf8'));
    return typeof release.version === 'string' ? release.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

function send(response, status, type, body) {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}

const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, 'text/plain', 'method not allowed\n');
  } else if (path === '/') {
    send(response, 200, 'text/plain', `Hello from the Signet example app, version ${version}\n`);
  } else if (path === '/version') {
    send(response, 200, 'text/plain', `${version}\n`);
  } else if (path === '/health') {
    const healthy = !existsSync(unhealthyMarker);
    const body = JSON.stringify({ status: healthy ? 'ok' : 'unhealthy', version });
    send(response, healthy ? 200 : 503, 'application/json', `${body}\n`);
  } else {
    send(response, 404, 'text/plain', 'not found\n');
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`example app ${version} listening on 127.0.0.1:${port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    console.log(`example app ${version} stopping on ${signal}`);
    server.close(() => process.exit(0));
    // Keep-alive connections may hold close() open; never outlive the stop hook's patience.
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
