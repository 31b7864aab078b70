import { readdirSync, readFileSync } from 'node:fs';

/**
 * Running and not a zombie. A killed daemon stays a zombie until init reaps it, which some
 * inits do only every second or so; it has exited all the same.
 */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/**
 * Kills every process whose environment names this SIGNET_HOME: what a test's hooks started
 * and a failed assertion left running. Tests call it on close, whatever happened.
 */
export function killProcessesOf(signetHome: string): void {
  const marker = `SIGNET_HOME=${signetHome}`;
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
      if (environ.includes(marker)) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
}
