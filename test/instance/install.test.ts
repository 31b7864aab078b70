import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { HostFixture } from './support/host-fixture.ts';
import { HOST_SCRIPT, runProcess, testPath } from './support/host-script.ts';
import { ALL_HOOKS, removeDir } from './support/releases.ts';

let host: HostFixture;

beforeEach(async () => {
  await host?.close();
  host = await HostFixture.start();
});

afterAll(async () => {
  await host.close();
});

describe('install', () => {
  it('installs the tree, records the checksum, switches current and runs hooks in order', async () => {
    const release = host.publish('1.0.0', {
      hooks: ALL_HOOKS,
      files: { 'public/index.html': '<h1>1.0.0</h1>\n' },
    });

    const result = await host.install(release);

    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(host.appDir, 'releases/1.0.0/public/index.html'), 'utf8')).toBe(
      '<h1>1.0.0</h1>\n',
    );
    expect(readFileSync(join(host.appDir, 'checksums/1.0.0.sha256'), 'utf8')).toBe(
      `${release.sha256}\n`,
    );
    expect(host.current()).toBe('1.0.0');
    expect(host.takeHookLog()).toEqual([
      'BeforeInstall 1.0.0',
      'AfterInstall 1.0.0',
      'ApplicationStart 1.0.0',
      'ValidateService 1.0.0',
    ]);
    expect(result.stdout).toContain('hook ValidateService of web 1.0.0: ok');
    expect(host.staging()).toEqual([]);
    expect(existsSync(join(host.appDir, 'lock'))).toBe(false);
  });

  it('stops the current release with its own appspec before installing the next', async () => {
    await host.install(host.publish('1.0.0'));
    host.takeHookLog();

    const result = await host.install(host.publish('1.1.0'));

    expect(result.code, result.stderr).toBe(0);
    expect(host.takeHookLog()).toEqual([
      'ApplicationStop 1.0.0',
      'BeforeInstall 1.1.0',
      'AfterInstall 1.1.0',
      'ApplicationStart 1.1.0',
      'ValidateService 1.1.0',
    ]);
    expect(host.current()).toBe('1.1.0');
    expect(host.releases()).toEqual(['1.0.0', '1.1.0']);
  });

  it('does nothing when the same release is already installed and current', async () => {
    const release = host.publish('1.0.0');
    await host.install(release);
    host.takeHookLog();

    const again = await host.install(release);

    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('web 1.0.0 is already installed and current');
    expect(host.takeHookLog()).toEqual([]);
  });

  it('restarts the current release for another deployment of the same version', async () => {
    const release = host.publish('1.0.0');
    await host.install(release, { DeploymentId: 'first' });
    host.takeHookLog();

    const redeploy = await host.install(release, { DeploymentId: 'redeploy-web-1' });

    expect(redeploy.code, redeploy.stderr).toBe(0);
    expect(redeploy.stdout).toContain('web 1.0.0 is already installed; restarting it');
    expect(host.takeHookLog()).toEqual([
      'ApplicationStop 1.0.0',
      'ApplicationStart 1.0.0',
      'ValidateService 1.0.0',
    ]);
    const retry = await host.install(release, { DeploymentId: 'redeploy-web-1' });
    expect(retry.stdout).toContain('already installed and current; nothing to do');
    expect(host.takeHookLog()).toEqual([]);
  });

  it('exports the documented environment to hooks, never the command’s SSM_ parameters', async () => {
    const body =
      'env | grep -E "^(SIGNET_|LIFECYCLE_EVENT=|SSM_)" | sort >"$SIGNET_RUN_DIR/env.txt"\n' +
      'pwd >>"$SIGNET_RUN_DIR/env.txt"\n' +
      'readlink /proc/self/fd/0 >>"$SIGNET_RUN_DIR/env.txt"';
    const release = host.publish('1.0.0', { hooks: { AfterInstall: { body } } });

    const result = await host.install(release, { DeploymentId: 'exec-42' });

    expect(result.code, result.stderr).toBe(0);
    const lines = readFileSync(join(host.appDir, 'run/env.txt'), 'utf8').trim().split('\n');
    const releaseDir = join(host.appDir, 'releases/1.0.0');
    expect(lines).toEqual([
      'LIFECYCLE_EVENT=AfterInstall',
      'SIGNET_APP=web',
      'SIGNET_DEPLOYMENT_ID=exec-42',
      `SIGNET_HOME=${host.home}`,
      'SIGNET_HTTP_PORT=8080',
      'SIGNET_LIFECYCLE_EVENT=AfterInstall',
      `SIGNET_RELEASE_DIR=${releaseDir}`,
      `SIGNET_RUN_DIR=${join(host.appDir, 'run')}`,
      `SIGNET_TEST_LOG=${host.hookLog}`,
      'SIGNET_VERSION=1.0.0',
      releaseDir,
      '/dev/null',
    ]);
  });

  it('gives hooks the host setting SIGNET_HTTP_PORT over HealthPort', async () => {
    const body = 'echo "$SIGNET_HTTP_PORT" >"$SIGNET_RUN_DIR/port"';
    const release = host.publish('1.0.0', { hooks: { ApplicationStart: { body } } });

    const result = await host.run(
      { Version: '1.0.0', ArtifactUrl: release.url, ArtifactSha256: release.sha256 },
      { env: { SIGNET_HTTP_PORT: '18181' } },
    );

    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(host.appDir, 'run/port'), 'utf8')).toBe('18181\n');
  });

  it.runIf(process.getuid?.() === 0)('runs a hook as its runas user', async () => {
    const body = 'id -un; pwd';
    const release = host.publish('1.0.0', { hooks: { AfterInstall: { body, runas: 'nobody' } } });

    const result = await host.install(release);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`nobody\n${join(host.appDir, 'releases/1.0.0')}\n`);
  });

  it('fails with 69 when runas names no user of the host', async () => {
    const release = host.publish('1.0.0', {
      hooks: { BeforeInstall: { runas: 'no-such-user-signet' } },
    });

    const result = await host.install(release);

    expect(result.code).toBe(69);
    expect(result.stderr).toContain('runas no-such-user-signet, which is not a user on this host');
  });
});

describe('install refusals', () => {
  it('refuses bytes with another checksum (66): nothing extracted, current unchanged', async () => {
    await host.install(host.publish('1.0.0'));
    const next = host.publish('1.1.0');

    const result = await host.install({ ...next, sha256: '0'.repeat(64) });

    expect(result.code).toBe(66);
    expect(result.stderr).toContain(`has SHA-256 ${next.sha256}, expected ${'0'.repeat(64)}`);
    expect(host.releases()).toEqual(['1.0.0']);
    expect(host.current()).toBe('1.0.0');
    expect(host.staging()).toEqual([]);
  });

  it('refuses to replace the current release with other bytes of the same version (66)', async () => {
    await host.install(host.publish('1.0.0'));
    const rebuilt = host.publish('1.0.0', { hooks: ALL_HOOKS, files: { extra: 'x' } });

    const result = await host.install(rebuilt);

    expect(result.code).toBe(66);
    expect(result.stderr).toContain('web 1.0.0 is current on this host but came from an artifact');
    expect(existsSync(join(host.appDir, 'releases/1.0.0/extra'))).toBe(false);
  });

  it('fails with 65 when the artifact cannot be downloaded', async () => {
    const result = await host.run({
      ArtifactUrl: host.missingUrl(),
      ArtifactSha256: 'a'.repeat(64),
    });

    expect(result.code).toBe(65);
    expect(result.stderr).toContain('could not download the artifact of web 1.0.0');
    expect(host.releases()).toEqual([]);
  });

  it('fails with 69 naming the hook and release when a hook fails', async () => {
    await host.install(host.publish('1.0.0'));
    const broken = host.publish('1.1.0', { hooks: { BeforeInstall: { body: 'exit 3' } } });

    const result = await host.install(broken);

    expect(result.code).toBe(69);
    expect(result.stderr).toContain(
      'hook BeforeInstall (hooks/BeforeInstall.sh) of web 1.1.0 failed (exit 3)',
    );
    expect(result.stdout).toContain('hook BeforeInstall of web 1.1.0: failed (exit 3)');
    expect(host.current()).toBe('1.0.0');
    expect(host.releases()).toEqual(['1.0.0']);
  });

  it('fails before switching when the current release cannot be stopped', async () => {
    await host.install(host.publish('1.0.0', { hooks: { ApplicationStop: { body: 'exit 1' } } }));
    host.takeHookLog();

    const result = await host.install(host.publish('1.1.0'));

    expect(result.code).toBe(69);
    expect(result.stderr).toContain('hook ApplicationStop (hooks/ApplicationStop.sh) of web 1.0.0');
    expect(host.takeHookLog()).toEqual(['ApplicationStop 1.0.0']);
    expect(host.current()).toBe('1.0.0');
    expect(host.releases()).toEqual(['1.0.0']);
  });

  it('fails with 69 when a hook outlives its timeout', async () => {
    const slow = host.publish('1.0.0', {
      hooks: { AfterInstall: { body: 'sleep 30', timeout: 1 } },
    });
    const started = Date.now();

    const result = await host.install(slow);

    expect(result.code).toBe(69);
    expect(result.stderr).toContain(
      'hook AfterInstall (hooks/AfterInstall.sh) of web 1.0.0 timed out after 1 s',
    );
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it.each([
    [
      'a files section',
      { appspec: 'version: 0.0\nos: linux\nfiles:\n  - source: /\n' },
      "appspec.yml of web 1.0.0 line 3: 'files' is not supported",
    ],
    ['no appspec.yml', { appspec: null }, 'appspec.yml is missing from the root of web 1.0.0'],
    [
      'a hook script missing from the release',
      { appspec: 'version: 0.0\nos: linux\nhooks:\n  BeforeInstall:\n    - location: nope.sh\n' },
      "names hook script 'nope.sh', which is not a file in the release",
    ],
  ])('fails with 68 for %s, before any hook runs', async (_label, spec, message) => {
    const result = await host.install(host.publish('1.0.0', spec));

    expect(result.code).toBe(68);
    expect(result.stderr).toContain(message);
    expect(host.takeHookLog()).toEqual([]);
    expect(host.releases()).toEqual([]);
    expect(host.staging()).toEqual([]);
  });

  it('releases the lock after a failure', async () => {
    await host.run({ ArtifactUrl: host.missingUrl(), ArtifactSha256: 'a'.repeat(64) });

    const next = await host.install(host.publish('1.0.0'));

    expect(next.code, next.stderr).toBe(0);
  });
});

describe('pruning', () => {
  it('keeps the KeepReleases most recently current releases, the current one included', async () => {
    const releases = ['1.0.0', '1.1.0', '1.2.0'].map((v) => host.publish(v));
    for (const release of releases) {
      expect((await host.install(release, { KeepReleases: '2' })).code).toBe(0);
    }
    expect(host.releases()).toEqual(['1.1.0', '1.2.0']);
    const [, previous] = releases as [unknown, (typeof releases)[number]];
    const rollback = await host.run({
      Action: 'rollback',
      Version: '1.1.0',
      ArtifactSha256: previous.sha256,
      KeepReleases: '2',
    });
    expect(rollback.code, rollback.stderr).toBe(0);

    const result = await host.install(host.publish('1.3.0'), { KeepReleases: '2' });

    expect(result.code, result.stderr).toBe(0);
    expect(host.releases()).toEqual(['1.1.0', '1.3.0']);
    expect(result.stdout).toContain('pruning release 1.2.0 of web');
    expect(existsSync(join(host.appDir, 'checksums/1.2.0.sha256'))).toBe(false);
  });

  it('prunes releases with no checksum record: they cannot be switched back to', async () => {
    const first = host.publish('1.0.0');
    await host.install(first, { KeepReleases: '2' });
    await host.install(host.publish('1.1.0'), { KeepReleases: '2' });
    removeDir(join(host.appDir, 'checksums/1.1.0.sha256'));

    const result = await host.run({
      Action: 'rollback',
      Version: '1.0.0',
      ArtifactSha256: first.sha256,
      KeepReleases: '2',
    });

    expect(result.code, result.stderr).toBe(0);
    expect(host.releases()).toEqual(['1.0.0']);
  });

  it('never prunes the current release, even when its record is the oldest', async () => {
    const script = [
      'source "$1"',
      'APP=web APP_DIR=$2',
      'mkdir -p "$APP_DIR/checksums"',
      'for v in 1.0.0 1.1.0 1.2.0; do mkdir -p "$APP_DIR/releases/$v"; done',
      'touch -d "2001-01-01" "$APP_DIR/checksums/1.0.0.sha256"',
      'touch -d "2002-01-01" "$APP_DIR/checksums/1.1.0.sha256"',
      'touch -d "2003-01-01" "$APP_DIR/checksums/1.2.0.sha256"',
      'ln -s releases/1.0.0 "$APP_DIR/current"',
      'prune 2',
    ].join('\n');

    const result = await runProcess('bash', ['-c', script, 'prune', HOST_SCRIPT, host.appDir], {
      PATH: testPath(),
    });

    expect(result.code, result.stderr).toBe(0);
    expect(host.releases()).toEqual(['1.0.0', '1.2.0']);
  });
});
