import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { HostFixture, type PublishedRelease } from './support/host-fixture.ts';
import { isRunning } from './support/processes.ts';
import { ALL_HOOKS, removeDir } from './support/releases.ts';

let host: HostFixture;

beforeEach(async () => {
  await host?.close();
  host = await HostFixture.start();
});

afterAll(async () => {
  await host.close();
});

function rollback(release: PublishedRelease, url = '') {
  return host.run({
    Action: 'rollback',
    Version: release.version,
    ArtifactUrl: url,
    ArtifactSha256: release.sha256,
  });
}

/** A release whose ApplicationStart leaves a detached process running in the release. */
const SLEEPER_START =
  'setsid sleep 300 </dev/null >/dev/null 2>&1 &\necho "$!" >"$SIGNET_RUN_DIR/sleeper.pid"';

describe('rollback', () => {
  it('switches back to a kept release and starts it, without downloading', async () => {
    const good = host.publish('1.0.0');
    await host.install(good);
    await host.install(host.publish('1.1.0'));
    host.takeHookLog();

    const result = await rollback(good);

    expect(result.code, result.stderr).toBe(0);
    expect(host.current()).toBe('1.0.0');
    expect(host.takeHookLog()).toEqual([
      'ApplicationStop 1.1.0',
      'ApplicationStart 1.0.0',
      'ValidateService 1.0.0',
    ]);
    expect(result.stdout).toContain('rolling back web to 1.0.0, kept on this host');
  });

  it('downloads the release again when its directory is gone, checking the checksum', async () => {
    const good = host.publish('1.0.0');
    await host.install(good);
    await host.install(host.publish('1.1.0'));
    removeDir(join(host.appDir, 'releases/1.0.0'));
    host.takeHookLog();

    const result = await rollback(good, good.url);

    expect(result.code, result.stderr).toBe(0);
    expect(host.current()).toBe('1.0.0');
    expect(host.takeHookLog()).toEqual([
      'ApplicationStop 1.1.0',
      'BeforeInstall 1.0.0',
      'AfterInstall 1.0.0',
      'ApplicationStart 1.0.0',
      'ValidateService 1.0.0',
    ]);
    expect(readFileSync(join(host.appDir, 'checksums/1.0.0.sha256'), 'utf8')).toBe(
      `${good.sha256}\n`,
    );
  });

  it.each([
    ['no release is kept and no URL is given', 'none', 'is not kept on this host'],
    ['the downloaded bytes have another checksum', 'wrong', 'rollback target unavailable'],
    ['the download fails', 'missing', 'rollback target unavailable: could not download'],
  ])('fails with 71 when %s', async (_label, urlKind, message) => {
    const good = host.publish('1.0.0');
    await host.install(good);
    await host.install(host.publish('1.1.0'));
    removeDir(join(host.appDir, 'releases/1.0.0'));
    const target = urlKind === 'wrong' ? { ...good, sha256: 'f'.repeat(64) } : good;
    const url = urlKind === 'none' ? '' : urlKind === 'missing' ? host.missingUrl() : good.url;

    const result = await rollback(target, url);

    expect(result.code).toBe(71);
    expect(result.stderr).toContain(message);
  });

  it('fails with 69 when a hook of the rollback target fails', async () => {
    const fragile = host.publish('1.0.0', {
      // Passes on the first install only: the variable is set for that run alone.
      hooks: { ...ALL_HOOKS, ValidateService: { body: 'test -n "$SIGNET_FIRST_RUN"' } },
    });
    await host.run(
      { Version: '1.0.0', ArtifactUrl: fragile.url, ArtifactSha256: fragile.sha256 },
      { env: { SIGNET_FIRST_RUN: '1' } },
    );
    await host.install(host.publish('1.1.0'));

    const result = await rollback(fragile);

    expect(result.code).toBe(69);
    expect(result.stderr).toContain('hook ValidateService (hooks/ValidateService.sh) of web 1.0.0');
  });

  it.each([
    ['fails', 'exit 7', 'failed (exit 7); continuing'],
    ['hangs', 'sleep 300', 'timed out after 1 s'],
  ])(
    'stops the broken release when its stop hook %s, killing what runs in it',
    async (_label, stopBody, warning) => {
      const good = host.publish('1.0.0');
      await host.install(good);
      const broken = host.publish('1.1.0', {
        hooks: {
          ApplicationStop: { body: stopBody, timeout: 1 },
          ApplicationStart: { body: SLEEPER_START },
        },
      });
      expect((await host.install(broken)).code).toBe(0);
      const sleeper = Number(readFileSync(join(host.appDir, 'run/sleeper.pid'), 'utf8'));
      expect(isRunning(sleeper)).toBe(true);
      const started = Date.now();

      const result = await rollback(good);

      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain(
        `hook ApplicationStop (hooks/ApplicationStop.sh) of web 1.1.0 ${warning}`,
      );
      expect(result.stdout).toMatch(
        /stopping 1 process\(es\) still running in .*releases\/1\.1\.0/,
      );
      expect(isRunning(sleeper)).toBe(false);
      expect(host.current()).toBe('1.0.0');
      expect(Date.now() - started).toBeLessThan(8000);
    },
  );

  it('kills a process that ignores TERM after the grace period', async () => {
    const good = host.publish('1.0.0');
    await host.install(good);
    const stubborn =
      'setsid bash -c \'trap "" TERM; while :; do sleep 0.2; done\' </dev/null >/dev/null 2>&1 &\n' +
      'echo "$!" >"$SIGNET_RUN_DIR/stubborn.pid"';
    await host.install(host.publish('1.1.0', { hooks: { ApplicationStart: { body: stubborn } } }));
    const pid = Number(readFileSync(join(host.appDir, 'run/stubborn.pid'), 'utf8'));

    const result = await rollback(good);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`killing process(es) that ignored TERM: ${pid}`);
    expect(isRunning(pid)).toBe(false);
  }, 20_000);

  it('rolls back when no release is current yet', async () => {
    const good = host.publish('1.0.0');

    const result = await rollback(good, good.url);

    expect(result.code, result.stderr).toBe(0);
    expect(host.current()).toBe('1.0.0');
    expect(existsSync(join(host.appDir, 'releases/1.0.0/appspec.yml'))).toBe(true);
  });
});
