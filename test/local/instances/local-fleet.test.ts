import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScriptRequest } from '../../../local/control-plane/fleet-port.ts';
import { localInstanceId } from '../../../local/instances/instance-id.ts';
import { createLocalFleet, type LocalFleet } from '../../../local/instances/local-fleet.ts';

/** Alive and not a zombie waiting for its parent. */
function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

describe('createLocalFleet', () => {
  let stateDir: string;
  let fleet: LocalFleet;
  let started: number[];
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'signet-fleet-'));
    fleet = await createLocalFleet({
      stateDir,
      instances: [
        {
          name: 'web-1',
          tags: { App: 'web' },
          env: { SIGNET_HOME: '/opt/signet', SIGNET_HTTP_PORT: '18081' },
        },
        { name: 'web-2', tags: { App: 'web' } },
      ],
      path: '/usr/bin:/bin',
      timing: { stopGraceMs: 300, drainMs: 50 },
    });
    started = [];
  });
  afterEach(async () => {
    await fleet.stop();
    for (const pid of started) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone, as it should be.
      }
    }
    await rm(stateDir, { recursive: true, force: true });
  });

  const request = (
    instanceId: string,
    commands: string[],
    extra: Partial<ScriptRequest> = {},
  ): ScriptRequest => ({
    instanceId,
    commandId: '11111111-2222-3333-4444-555555555555',
    stepPath: ['deploy'],
    commands,
    workingDirectory: '',
    env: {},
    executionTimeoutMs: 10_000,
    ...extra,
  });
  const idOf = (name: string) => fleet.instance(name)?.id ?? '';

  it('gives each instance a stable EC2-shaped id, a Name tag and a root directory', async () => {
    // Act
    const web1 = fleet.instance('web-1');
    const rootInfo = await stat(web1?.root ?? '');

    // Assess
    expect(web1?.id).toMatch(/^i-[0-9a-f]{17}$/);
    expect(web1?.id).toBe(localInstanceId('web-1'));
    expect(web1?.id).not.toBe(idOf('web-2'));
    expect(web1?.tags).toEqual({ Name: 'web-1', App: 'web' });
    expect(web1?.root).toBe(join(stateDir, 'instances', web1?.id ?? ''));
    expect(rootInfo.isDirectory()).toBe(true);
    expect(web1?.state).toBe('running');
  });

  it('runs scripts in a clean environment: given PATH, own HOME, instance env', async () => {
    // Prepare
    process.env['FLEET_TEST_LEAK'] = 'leaked';

    // Act
    const result = await fleet.runScript(
      request(idOf('web-1'), ['env | sort'], { env: { SSM_Version: '1.2.3' } }),
    ).result;
    delete process.env['FLEET_TEST_LEAK'];
    const env = Object.fromEntries(
      result.stdoutHead
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );

    // Assess
    expect(env).toMatchObject({
      PATH: '/usr/bin:/bin',
      HOME: join(fleet.instance('web-1')?.root ?? '', 'root'),
      LANG: 'C.UTF-8',
      SIGNET_HOME: '/opt/signet',
      SIGNET_HTTP_PORT: '18081',
      SSM_Version: '1.2.3',
      AWS_SSM_INSTANCE_ID: idOf('web-1'),
      AWS_SSM_REGION_NAME: 'us-east-1',
    });
    expect(env['SIGNET_LOCAL_FLEET']).toMatch(/^[0-9a-f]{24}$/);
    // Fleet and instance together: another stack's instance of the same name is another marker.
    expect(env['SIGNET_LOCAL_INSTANCE']).toBe(`${env['SIGNET_LOCAL_FLEET']}/${idOf('web-1')}`);
    expect(env['FLEET_TEST_LEAK']).toBeUndefined();
  });

  it('terminates a detached daemon a script left behind when the fleet stops', async () => {
    // Prepare
    const result = await fleet.runScript(
      request(idOf('web-1'), [
        'setsid sleep 300 >/dev/null 2>&1 </dev/null &',
        'echo $!',
        'nohup sh -c "sleep 300" >/dev/null 2>&1 &',
        'echo $!',
      ]),
    ).result;
    started = result.stdoutHead.trim().split('\n').map(Number);
    const aliveAfterScript = started.every(isAlive);

    // Act
    await fleet.stop();
    const allGone = await eventually(() => !started.some(isAlive));

    // Assess
    expect(result.outcome).toBe('exited');
    expect(aliveAfterScript).toBe(true);
    expect(allGone).toBe(true);
  });

  it('stops one instance: its processes end, new scripts wait until it starts again', async () => {
    // Prepare
    const web2 = await fleet.runScript(
      request(idOf('web-2'), ['setsid sleep 300 >/dev/null 2>&1 & echo $!']),
    ).result;
    const web2Daemon = Number(web2.stdoutHead.trim());
    const running = fleet.runScript(request(idOf('web-1'), ['touch "$HOME/started"', 'sleep 300']));
    started = [web2Daemon];
    await eventually(() =>
      existsSync(join(fleet.instance('web-1')?.root ?? '', 'root', 'started')),
    );

    // Act
    await fleet.stopInstance('web-1');
    const result = await running.result;
    const refusal = (() => {
      try {
        fleet.runScript(request(idOf('web-1'), ['true']));
        return undefined;
      } catch (error) {
        return error as Error;
      }
    })();
    fleet.startInstance('web-1');
    const afterStart = await fleet.runScript(request(idOf('web-1'), ['echo up'])).result;

    // Assess
    expect(result).toMatchObject({ outcome: 'exited', exitCode: -1 });
    expect(refusal?.name).toBe('TargetsUnavailable');
    expect(afterStart.stdoutHead).toBe('up\n');
    expect(isAlive(web2Daemon)).toBe(true);
    expect(fleet.instance('web-2')?.state).toBe('running');
  });

  it('kills a cancelled script and reports the agent exit code 137', async () => {
    // Prepare
    const run = fleet.runScript(request(idOf('web-1'), ['echo started', 'sleep 300']));
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Act
    run.cancel();
    const result = await run.result;

    // Assess
    expect(result).toMatchObject({ outcome: 'cancelled', exitCode: 137, stdoutHead: 'started\n' });
  });

  it('reports a script that cannot start, as the agent does, with exit code 1', async () => {
    // Act
    const result = await fleet.runScript(
      request(idOf('web-1'), ['true'], { workingDirectory: join(stateDir, 'no-such-dir') }),
    ).result;

    // Assess
    expect(result.outcome).toBe('failed-to-start');
    expect(result.exitCode).toBe(1);
    expect(result.stderrHead).toMatch(/^failed to run commands: /);
  });

  it('refuses two instances with the same name', async () => {
    // Act
    const creating = createLocalFleet({
      stateDir,
      instances: [
        { name: 'twin', tags: {} },
        { name: 'twin', tags: {} },
      ],
    });

    // Assess
    await expect(creating).rejects.toThrow(/twin is listed twice/);
  });
});
