import { appendFileSync } from 'node:fs';

/**
 * A log sink appending one line per call. Synchronous on purpose: Lambda log lines are few and
 * small, and a synchronous append keeps them in order and never loses the last ones at exit.
 */
export function appendLines(file: string): (line: string) => void {
  return (line) => appendFileSync(file, `${line}\n`);
}
