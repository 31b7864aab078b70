import { readFileSync } from 'node:fs';

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
