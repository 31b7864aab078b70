import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Writes JSON so a reader, or a restart after a crash, sees the old or new file, never half. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const temporary = join(dirname(path), `.${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, `${JSON.stringify(value)}\n`);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Reads a JSON file, or undefined when it does not exist. */
export async function readJsonIfPresent(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Runs writes of one file one after another. Each write reads the in-memory state when it
 * runs, so a burst of changes ends with the latest state on disk.
 */
export class WriteQueue {
  readonly #tails = new Map<string, Promise<void>>();

  run(id: string, write: () => Promise<void>): Promise<void> {
    const previous = this.#tails.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(write);
    this.#tails.set(id, next);
    const forget = () => {
      if (this.#tails.get(id) === next) this.#tails.delete(id);
    };
    next.then(forget, forget);
    return next;
  }

  /** Waits for every queued write (used when the server closes). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#tails.values()]);
  }
}
