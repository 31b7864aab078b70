import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../local/stack/free-port.ts';

/** moto_server running on 127.0.0.1: an AWS emulator nobody on this project wrote. */
export interface MotoServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;

/**
 * Starts `moto_server` on a free port of 127.0.0.1 and waits until it answers. One per test
 * file: it takes about three seconds to start.
 *
 * @example
 * const moto = await startMotoServer();
 * const s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, ... });
 */
export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const close = () => stop(child);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const answered = await fetch(`${endpoint}/moto-api/`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return { endpoint, close };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await close();
  throw new Error(`moto_server did not answer on ${endpoint} within 20 s: ${log}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
