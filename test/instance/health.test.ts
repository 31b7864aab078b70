import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, type HealthServer, startHealthServer } from './support/health-server.ts';
import { HostFixture } from './support/host-fixture.ts';

let host: HostFixture;
let server: HealthServer | undefined;

beforeAll(async () => {
  host = await HostFixture.start();
  // The health action checks the release it is asked about is the current one.
  mkdirSync(join(host.appDir, 'releases', '1.0.0'), { recursive: true });
  symlinkSync('releases/1.0.0', join(host.appDir, 'current'));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

afterAll(async () => {
  await host.close();
});

function health(port: number, parameters: Record<string, string> = {}) {
  return host.run(
    { Action: 'health', HealthRetries: '3', HealthIntervalSeconds: '0.1', ...parameters },
    { env: { SIGNET_HTTP_PORT: String(port) } },
  );
}

describe('health', () => {
  it('passes when the app answers the expected status, printing one line per probe', async () => {
    server = await startHealthServer([200]);

    const result = await health(server.port, { HealthPath: '/health?deep=1' });

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('probe 1/3 of web 1.0.0: HTTP 200');
    expect(result.stdout).toContain('web 1.0.0 is healthy');
    expect(server.requests).toEqual(['/health?deep=1']);
  });

  it('retries until the first expected answer, then bakes', async () => {
    server = await startHealthServer([503, 503, 200]);

    const result = await health(server.port, { HealthRetries: '5', HealthBakeSeconds: '0.5' });

    expect(result.code, result.stderr).toBe(0);
    const probes = result.stdout.split('\n').filter((line) => /^signet: (bake )?probe /.test(line));
    expect(probes.slice(0, 3)).toEqual([
      'signet: probe 1/5 of web 1.0.0: HTTP 503',
      'signet: probe 2/5 of web 1.0.0: HTTP 503',
      'signet: probe 3/5 of web 1.0.0: HTTP 200',
    ]);
    expect(probes.length).toBeGreaterThanOrEqual(5);
    expect(
      probes.slice(3).every((line) => /bake probe \d+ of web 1\.0\.0: HTTP 200$/.test(line)),
    ).toBe(true);
  });

  it('fails with 70 when the app never answers as expected', async () => {
    server = await startHealthServer([503]);

    const result = await health(server.port);

    expect(result.code).toBe(70);
    expect(server.requests).toHaveLength(3);
    expect(result.stderr).toContain('did not answer HTTP 200');
    expect(result.stderr).toContain('in 3 probe(s); last: HTTP 503');
  });

  it('fails with 70 when nothing listens on the port', async () => {
    const result = await health(await closedPort(), { HealthRetries: '2' });

    expect(result.code).toBe(70);
    expect(result.stdout).toContain('probe 2/2 of web 1.0.0: no answer');
  });

  it('fails with 70 when the app flaps during the bake', async () => {
    server = await startHealthServer([200, 200, 200, 500, 200]);

    const result = await health(server.port, { HealthBakeSeconds: '3' });

    expect(result.code).toBe(70);
    expect(result.stderr).toContain('web 1.0.0 is flapping: bake probe 3 answered HTTP 500');
    expect(server.requests).toHaveLength(4);
  });

  it('accepts another expected status', async () => {
    server = await startHealthServer([204]);

    const result = await health(server.port, { HealthExpectedStatus: '204' });

    expect(result.code, result.stderr).toBe(0);
  });

  it('fails with 70 when the version asked about is not the current one', async () => {
    server = await startHealthServer([200]);

    const result = await health(server.port, { Version: '2.0.0' });

    expect(result.code).toBe(70);
    expect(result.stderr).toContain(
      "the current release of web on this host is '1.0.0', not 2.0.0",
    );
    expect(server.requests).toEqual([]);
  });

  it('probes HealthPort when the host sets no SIGNET_HTTP_PORT', async () => {
    server = await startHealthServer([200]);

    const result = await host.run({ Action: 'health', HealthPort: String(server.port) });

    expect(result.code, result.stderr).toBe(0);
    expect(server.requests).toHaveLength(1);
  });
});
