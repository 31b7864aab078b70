import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runScript, type ScriptEnvironment } from '../../../local/instances/script-runner.ts';

describe('the local script runner', () => {
  let root: string;
  let environment: ScriptEnvironment;
  const run = (commandId: string, commands: readonly string[]) =>
    runScript(
      {
        instanceId: 'i-0123456789abcdef0',
        commandId,
        stepPath: ['step'],
        commands,
        workingDirectory: '',
        env: {},
        executionTimeoutMs: 30_000,
      },
      environment,
    ).result;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'signet-script-runner-'));
    environment = {
      root,
      baseEnv: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: root },
      markerEnv: {},
      drainMs: 50,
      track: () => undefined,
      mayStart: () => true,
    };
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    ['a shebang, which picks the interpreter', ['#!/usr/bin/env bash', 'echo "$BASH_VERSION"']],
    ['no shebang, which sh runs', ['echo "$' + '{BASH_VERSION:-sh}"']],
    ['a shebang with an argument', ['#!/bin/sh -e', 'false', 'echo not reached']],
  ])('runs a script with %s, as `sh -c <path>` would', async (label, commands) => {
    // Act
    const result = await run(`c-${label.length}`, commands);

    // Assess
    if (label.includes('argument')) {
      expect(result).toMatchObject({ outcome: 'exited', exitCode: 1, stdoutHead: '' });
    } else if (label.includes('no shebang')) {
      expect(result).toMatchObject({ exitCode: 0, stdoutHead: 'sh\n' });
    } else {
      expect(result.exitCode).toBe(0);
      expect(result.stdoutHead).toMatch(/^\d+\.\d+/);
    }
  });

  it('gives the script its own path as $0, so it can re-run itself under bash', async () => {
    // Act
    const result = await run('c-self', [
      // The first line of the Signet host script.
      'if [ -z "$' + '{BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi',
      'echo "bash $(basename "$0")"',
    ]);

    // Assess
    expect(result.stdoutHead).toBe('bash _script.sh\n');
  });

  it('reports exit 127 when the shebang names no interpreter, as the kernel does', async () => {
    // Act
    const result = await run('c-missing', ['#!/nonexistent/interpreter', 'echo hi']);

    // Assess
    expect(result.exitCode).toBe(127);
    expect(result.stderrHead).toContain('not found');
  });

  it('runs a script while another process holds it open for writing', async () => {
    // Prepare: hold the script open for writing from just before it starts, as a process
    // forked at that moment (another spawn) holds the runner's write descriptor until it execs.
    const held: number[] = [];
    environment = {
      ...environment,
      mayStart: () => {
        const dir = join(root, 'var/lib/amazon/ssm/i-0123456789abcdef0/document/orchestration');
        held.push(openSync(join(dir, 'c-held', 'step', '_script.sh'), 'r+'));
        return true;
      },
    };

    // Act
    const result = await run('c-held', ['#!/bin/sh', 'echo ran']).finally(() => {
      for (const fd of held) closeSync(fd);
    });

    // Assess: executing the file would fail with ETXTBSY (exit 126, "Text file busy").
    expect(held).toHaveLength(1);
    expect(result).toMatchObject({ exitCode: 0, stdoutHead: 'ran\n', stderrHead: '' });
  });

  it('never fails with "Text file busy" while many scripts start at once', async () => {
    // Prepare: 150 scripts written and started together, while the event loop is kept busy,
    // so that forks for some overlap the file writes of others (exit 126 before the fix).
    const busy = setInterval(() => {
      const until = Date.now() + 2;
      while (Date.now() < until) {
        // Keep the loop busy so spawns and writes interleave.
      }
    }, 1);

    // Act
    const results = await Promise.all(
      Array.from({ length: 150 }, (_, n) => run(`c-${n}`, ['#!/bin/sh', `echo ${n}`])),
    ).finally(() => clearInterval(busy));

    // Assess
    const failed = results.filter((r) => r.exitCode !== 0);
    expect(failed.map((r) => r.stderrHead)).toEqual([]);
    expect(results.map((r) => r.stdoutHead)).toEqual(results.map((_, n) => `${n}\n`));
  }, 60_000);
});
