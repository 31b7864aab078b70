import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { HostFixture } from './support/host-fixture.ts';
import { isRunning } from './support/processes.ts';

let host: HostFixture;

beforeEach(async () => {
  await host?.close();
  host = await HostFixture.start();
});

afterAll(async () => {
  await host.close();
});

const SLEEPER_START =
  'setsid sleep 300 </dev/null >/dev/null 2>&1 &\necho "$!" >"$SIGNET_RUN_DIR/sleeper.pid"';

// A failed first deployment has no release to roll back to: the host stops it and flags it.
describe('stop', () => {
  it.each([
    ['succeeds', 'exit 0'],
    ['fails', 'exit 7'],
    ['hangs', 'sleep 300'],
  ])(
    'stops the release and flags the app when its stop hook %s',
    async (_label, stopBody) => {
      // Prepare
      const first = host.publish('1.0.0', {
        hooks: {
          ApplicationStop: { body: stopBody, timeout: 1 },
          ApplicationStart: { body: SLEEPER_START },
        },
      });
      expect((await host.install(first)).code).toBe(0);
      const sleeper = Number(readFileSync(join(host.appDir, 'run/sleeper.pid'), 'utf8'));

      // Act
      const result = await host.run({
        Action: 'stop',
        Version: '1.0.0',
        DeploymentId: 'web-1_0_0-x',
      });

      // Assess
      expect(result.code, result.stderr).toBe(0);
      expect(isRunning(sleeper)).toBe(false);
      expect(host.current()).toBeNull();
      expect(readFileSync(join(host.appDir, 'failed-deployment'), 'utf8')).toBe(
        'web-1_0_0-x 1.0.0\n',
      );
    },
    20_000,
  );

  it('flags the app even when nothing was installed', async () => {
    // Act
    const result = await host.run({ Action: 'stop', Version: '1.0.0' });

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(host.appDir, 'failed-deployment'))).toBe(true);
  });

  it('clears the flag once a later install succeeds', async () => {
    // Prepare
    await host.run({ Action: 'stop', Version: '1.0.0' });

    // Act
    const result = await host.install(host.publish('1.0.1'));

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(host.current()).toBe('1.0.1');
    expect(existsSync(join(host.appDir, 'failed-deployment'))).toBe(false);
  });
});
