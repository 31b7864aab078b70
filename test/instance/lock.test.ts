import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { HostFixture } from './support/host-fixture.ts';

let host: HostFixture;

beforeEach(async () => {
  await host?.close();
  host = await HostFixture.start();
});

afterAll(async () => {
  await host.close();
});

/** Field 22 of /proc/PID/stat, as the script records it. */
function startTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

function writeLock(owner: string): void {
  mkdirSync(join(host.appDir, 'lock'), { recursive: true });
  writeFileSync(join(host.appDir, 'lock', 'owner'), `${owner}\n`);
}

async function waitFor(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear in ${timeoutMs} ms`);
    await sleep(50);
  }
}

describe('per-app host lock', () => {
  it('refuses a second command for the app while the first runs (72)', async () => {
    const started = join(host.root, 'started');
    const go = join(host.root, 'go');
    // The hook holds the first command open until the test lets it go, 15 s at most.
    const body =
      `touch '${started}'\n` +
      `for i in $(seq 150); do [ -e '${go}' ] && exit 0; sleep 0.1; done\nexit 1`;
    const first = host.install(host.publish('1.0.0', { hooks: { BeforeInstall: { body } } }));
    await waitFor(started, 10_000);

    const second = await host.run({ Action: 'health' });
    writeFileSync(go, '');
    const firstResult = await first;

    expect(second.code).toBe(72);
    expect(second.stderr).toContain('another Signet command for web is running on this host');
    expect(firstResult.code, firstResult.stderr).toBe(0);
    expect(existsSync(join(host.appDir, 'lock'))).toBe(false);
  });

  it('reclaims a lock whose owner has exited', async () => {
    const exited = spawnSync('true').pid ?? 0;
    writeLock(`${exited} 12345`);

    const result = await host.install(host.publish('1.0.0'));

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('reclaimed a stale lock of web');
    expect(existsSync(join(host.appDir, 'lock'))).toBe(false);
  });

  it('reclaims a lock whose pid now belongs to another process', async () => {
    const reused = `${process.pid} ${Number(startTime(process.pid)) + 1}`;
    writeLock(reused);

    const result = await host.install(host.publish('1.0.0'));

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('reclaimed a stale lock of web');
  });

  it('reclaims a lock whose owner has exited but is not yet reaped (a zombie)', async () => {
    // Prepare: a parent that never waits for its child, so the exited child stays a zombie, as
    // a cancelled command can under the agent's `sh -c` until its parent reaps it.
    const parent = spawn('bash', ['-c', 'sh -c "exit 0" & echo $!; exec sleep 30'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const zombie = Number(
        await new Promise<string>((resolve) => parent.stdout.once('data', (d) => resolve(`${d}`))),
      );
      let state = '';
      for (let i = 0; i < 500 && state !== 'Z'; i += 1) {
        await sleep(20);
        const stat = readFileSync(`/proc/${zombie}/stat`, 'utf8');
        state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '';
      }
      expect(state).toBe('Z');
      writeLock(`${zombie} ${startTime(zombie)}`);

      // Act
      const result = await host.install(host.publish('1.0.0'));

      // Assess
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('reclaimed a stale lock of web');
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('respects a lock held by a live process', async () => {
    writeLock(`${process.pid} ${startTime(process.pid)}`);

    const result = await host.install(host.publish('1.0.0'));

    expect(result.code).toBe(72);
    expect(result.stderr).toContain(`held by process ${process.pid}`);
    expect(host.releases()).toEqual([]);
    expect(readFileSync(join(host.appDir, 'lock', 'owner'), 'utf8')).toBe(
      `${process.pid} ${startTime(process.pid)}\n`,
    );
  });
});
