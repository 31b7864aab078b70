import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from './support/health-server.ts';
import { HostFixture, type PublishedRelease } from './support/host-fixture.ts';
import { runProcess, testPath } from './support/host-script.ts';
import { isRunning } from './support/processes.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/web/', import.meta.url));

let host: HostFixture;
let port: number;

beforeAll(async () => {
  host = await HostFixture.start();
  port = await closedPort();
});

afterAll(async () => {
  // Whatever a failed assertion left running must not outlive the test.
  await stopApp().catch(() => undefined);
  await host.close();
});

/** Packages examples/web as `signet release` would: the tree plus signet-release.json. */
function packageExample(version: string, extra: Record<string, string> = {}): PublishedRelease {
  const tree = join(host.root, 'build', version);
  cpSync(EXAMPLE, tree, { recursive: true });
  writeFileSync(join(tree, 'signet-release.json'), `${JSON.stringify({ app: 'web', version })}\n`);
  for (const [path, content] of Object.entries(extra)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), content);
  }
  return host.publishTree(version, tree);
}

function run(parameters: Record<string, string>) {
  return host.run(
    { HealthRetries: '20', HealthIntervalSeconds: '0.1', HealthBakeSeconds: '0.3', ...parameters },
    { env: { SIGNET_HTTP_PORT: String(port) } },
  );
}

async function get(path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

/** Runs the release's own stop hook, as the next install would. */
function stopApp() {
  const release = join(host.appDir, 'current');
  return runProcess('bash', [join(release, 'hooks/application-stop.sh')], {
    PATH: testPath(),
    SIGNET_HOME: dirname(host.appDir),
    SIGNET_APP: 'web',
    SIGNET_RUN_DIR: join(host.appDir, 'run'),
  });
}

describe('examples/web', () => {
  it('installs with the host script, serves /health, and stops', async () => {
    const release = packageExample('1.0.0');

    const install = await run({
      Version: '1.0.0',
      ArtifactUrl: release.url,
      ArtifactSha256: release.sha256,
    });
    const healthCheck = await run({ Action: 'health', Version: '1.0.0' });

    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain('hook ValidateService of web 1.0.0: ok');
    expect(healthCheck.code, healthCheck.stderr).toBe(0);
    expect(await get('/health')).toEqual({
      status: 200,
      body: `${JSON.stringify({ status: 'ok', version: '1.0.0' })}\n`,
    });
    expect((await get('/')).body).toContain('version 1.0.0');
    const pid = Number(readFileSync(join(host.appDir, 'run/web.pid'), 'utf8'));

    const stop = await stopApp();

    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain(`stopped web (pid ${pid})`);
    expect(isRunning(pid)).toBe(false);
    await expect(get('/health')).rejects.toThrow();
  });

  it('passes install with config/unhealthy but fails the health action, then rolls back', async () => {
    const good = packageExample('1.1.0');
    const marked = packageExample('1.2.0', { 'config/unhealthy': '' });
    await run({ Version: '1.1.0', ArtifactUrl: good.url, ArtifactSha256: good.sha256 });

    const install = await run({
      Version: '1.2.0',
      ArtifactUrl: marked.url,
      ArtifactSha256: marked.sha256,
    });
    const healthCheck = await run({ Action: 'health', Version: '1.2.0', HealthRetries: '3' });
    const started = Date.now();
    const rollback = await run({
      Action: 'rollback',
      Version: '1.1.0',
      ArtifactSha256: good.sha256,
    });
    const rollbackMs = Date.now() - started;
    const healthAfter = await run({ Action: 'health', Version: '1.1.0' });

    expect(install.code, install.stderr).toBe(0);
    expect(healthCheck.code).toBe(70);
    expect(healthCheck.stdout).toContain('probe 3/3 of web 1.2.0: HTTP 503');
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollbackMs).toBeLessThan(5000);
    expect(healthAfter.code, healthAfter.stderr).toBe(0);
    expect((await get('/version')).body).toBe('1.1.0\n');
    expect((await stopApp()).code).toBe(0);
  });
});
