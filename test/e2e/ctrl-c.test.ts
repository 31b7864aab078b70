import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_APP_DIR } from '../../local/example-app.ts';

const run = promisify(execFile);
const SIGNET = join(import.meta.dirname, '..', '..', 'bin', 'signet.mjs');

/** The machine's own Node when it is older than 22, so bin/signet.mjs re-runs itself. */
async function wrapperNode(): Promise<string> {
  try {
    const { stdout } = await run('/usr/bin/node', ['--version']);
    if (Number(stdout.trim().slice(1).split('.')[0]) < 22) return '/usr/bin/node';
  } catch {
    // No system Node: the test still holds for a direct run.
  }
  return process.execPath;
}

/** Live processes started in `dir` or naming it on their command line (gpg-agent --homedir). */
async function processesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^[0-9]+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => '');
      if (cmdline.includes(dir) || cwd.startsWith(dir)) found.push(`${entry}: ${cmdline}`);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

function waitForOutput(child: ChildProcess, text: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no "${text}" in: ${seen}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
  });
}

function exportsOf(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [, name, value] of text.matchAll(/^export ([A-Z_0-9]+)=(\S+)$/gm)) {
    if (name !== undefined && value !== undefined) env[name] = value.replace(/^'|'$/g, '');
  }
  return env;
}

// A terminal's Ctrl-C signals the whole process group: the bin wrapper and the Signet process
// under it both get SIGINT, and the wrapper passes its own on, so Signet sees two.
describe('Ctrl-C on `signet local up`', () => {
  let work: string;
  let up: ChildProcess;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'signet-ctrl-c-'));
    const portBase = 20_000 + Math.floor(Math.random() * 20_000);
    up = spawn(
      await wrapperNode(),
      [SIGNET, 'local', 'up', '--state-dir', work, '--port-base', String(portBase)],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    exited = new Promise((resolve) => up.on('exit', (code) => resolve(code)));
    const printed = await waitForOutput(up, 'AWS_ENDPOINT_URL_S3', 60_000);
    const env = { ...process.env, ...exportsOf(printed) };
    await run(
      process.execPath,
      [SIGNET, 'release', EXAMPLE_APP_DIR, '--app', 'web', '--version', '1.0.0', '--wait'].concat([
        '--gnupghome',
        join(work, 'gnupg'),
      ]),
      { env, timeout: 60_000 },
    );
  }, 120_000);

  afterAll(async () => {
    if (up.exitCode === null && up.pid !== undefined) process.kill(-up.pid, 'SIGKILL');
    await rm(work, { recursive: true, force: true });
  });

  it('stops every process it started, app servers and gpg-agent included', async () => {
    // Prepare
    expect((await processesUnder(work)).length).toBeGreaterThan(2);

    // Act
    process.kill(-(up.pid ?? 0), 'SIGINT');
    const code = await exited;

    // Assess
    expect(code).toBe(0);
    expect(await processesUnder(work)).toEqual([]);
  }, 60_000);
});
