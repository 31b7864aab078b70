import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';

export interface StreamCapture {
  /** Stops reading (the pipe may still be held open by a daemon) and flushes the file. */
  finish(): Promise<string>;
  /** Resolves when the stream ended on its own (every writer closed it). */
  readonly ended: Promise<void>;
}

/**
 * Copies a script's output stream to a file in full, and keeps its first `headBytes` in memory
 * for the API's truncated fields. Like the agent, the file is the complete record.
 */
export function captureStream(stream: Readable, file: string, headBytes: number): StreamCapture {
  const out = createWriteStream(file, { mode: 0o600 });
  const head: Buffer[] = [];
  let kept = 0;
  stream.on('data', (chunk: Buffer) => {
    out.write(chunk);
    if (kept < headBytes) {
      const part = chunk.subarray(0, headBytes - kept);
      head.push(part);
      kept += part.length;
    }
  });
  const ended = new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
  return {
    ended,
    async finish() {
      stream.removeAllListeners('data');
      stream.destroy();
      await new Promise<void>((resolve, reject) => {
        out.once('error', reject);
        out.end(resolve);
      });
      return Buffer.concat(head).toString('utf8');
    },
  };
}
