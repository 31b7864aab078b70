import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../local/control-plane/server.ts';
import { isLoopbackHost } from '../../local/loopback-host.ts';
import { startLocalS3 } from '../../local/s3/server.ts';
import { startLocalDynamoDb } from '../../local/stack/local-dynamodb.ts';

/** One request to 127.0.0.1:<port> carrying the given Host header, as a rebound page sends. */
function statusFor(endpoint: string, host: string): Promise<number> {
  const { port } = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/', headers: { host } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1 with the port', '127.0.0.1:4511', true],
    ['localhost with the port', 'localhost:4511', true],
    ['IPv6 loopback with the port', '[::1]:4511', true],
    ['loopback without a port', '127.0.0.1', true],
    ['upper case', 'LOCALHOST:4511', true],
    ['another port', '127.0.0.1:4512', false],
    ['a rebound domain', 'rebind.attacker.example:4511', false],
    ['a loopback name as a subdomain', '127.0.0.1.attacker.example:4511', false],
    ['another address', '10.0.0.1:4511', false],
    ['an empty header', '', false],
  ])('%s', (_label, host, expected) => {
    expect(isLoopbackHost(host, 4511)).toBe(expected);
  });

  it('refuses a request without a Host header', () => {
    expect(isLoopbackHost(undefined, 4511)).toBe(false);
  });
});

// A web page that makes its own domain resolve to 127.0.0.1 reaches these ports; its requests
// name its domain as Host, and every local endpoint refuses them before doing anything.
describe('the local endpoints, asked under a foreign Host', () => {
  let dir: string;
  const endpoints: Record<string, string> = {};
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'signet-loopback-'));
    const s3 = await startLocalS3({ stateDir: join(dir, 's3') });
    const plane = await startControlPlane({ services: [] });
    const dynamodb = await startLocalDynamoDb({
      dir: join(dir, 'dynamodb'),
      table: 'signet-state',
      region: 'us-east-1',
    });
    Object.assign(endpoints, {
      s3: s3.endpoint,
      'control plane': plane.endpoint,
      dynamodb: dynamodb.endpoint,
    });
    closers.push(s3.close, plane.close, dynamodb.close);
  });

  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['s3', 'control plane', 'dynamodb'])('%s answers 403', async (name) => {
    expect(await statusFor(endpoints[name] ?? '', 'rebind.attacker.example')).toBe(403);
  });

  it.each(['s3', 'control plane', 'dynamodb'])('%s serves its own address', async (name) => {
    const endpoint = endpoints[name] ?? '';
    expect(await statusFor(endpoint, new URL(endpoint).host)).not.toBe(403);
  });
});
