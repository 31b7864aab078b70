import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 25;

/**
 * Pids of live processes whose environment holds `name=value`. Reads /proc/<pid>/environ,
 * which is the environment a process was started with: a daemon that detaches (setsid,
 * double fork) keeps it, so it is found even after leaving its process group.
 */
export async function processesMarked(name: string, value: string): Promise<number[]> {
  const wanted = `${name}=${value}`;
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    // Limitation: without /proc (macOS) only process groups are killed, not escaped daemons.
    return [];
  }
  const found: number[] = [];
  await Promise.all(
    entries
      .filter((entry) => /^[0-9]+$/.test(entry) && Number(entry) !== process.pid)
      .map(async (entry) => {
        try {
          const environ = await readFile(`/proc/${entry}/environ`, 'latin1');
          if (environ.split('\0').includes(wanted)) found.push(Number(entry));
        } catch {
          // Gone meanwhile, or another user's process: not ours either way.
        }
      }),
  );
  return found;
}

/**
 * Terminates every process marked `name=value`: SIGTERM, then SIGKILL for those still alive
 * after `graceMs`. Rescans while waiting, so a child forked during shutdown is caught too.
 */
export async function terminateMarked(name: string, value: string, graceMs: number): Promise<void> {
  const termed = new Set<number>();
  const deadline = Date.now() + graceMs;
  for (;;) {
    const alive = await processesMarked(name, value);
    if (alive.length === 0) return;
    if (Date.now() >= deadline) break;
    for (const pid of alive.filter((pid) => !termed.has(pid))) {
      signal(pid, 'SIGTERM');
      termed.add(pid);
    }
    await sleep(POLL_MS);
  }
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const alive = await processesMarked(name, value);
    if (alive.length === 0) return;
    for (const pid of alive) signal(pid, 'SIGKILL');
    await sleep(POLL_MS);
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already exited.
  }
}
