import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import {
  type LocalS3,
  type LocalS3Options,
  type S3EventBridgeEvent,
  startLocalS3,
} from '../../../local/s3/index.ts';

export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIDLOCALTEST',
  secretAccessKey: 'local-secret-key',
} as const;

/** A real SDK v3 client as Signet's handlers build one: default checksums, no path-style flag. */
export function makeClient(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
}

export interface TestS3 {
  readonly s3: LocalS3;
  readonly client: S3Client;
  readonly stateDir: string;
  /** Every event the server emitted, in order. */
  readonly events: S3EventBridgeEvent[];
  /** Stops the server and starts a new one on the same state directory. */
  restart(): Promise<TestS3>;
  /** Stops the server and removes the state directory. */
  close(): Promise<void>;
}

/** Starts a local S3 on a fresh temporary state directory. */
export async function startTestS3(
  options: Partial<LocalS3Options> = {},
  existingStateDir?: string,
): Promise<TestS3> {
  const stateDir = existingStateDir ?? (await mkdtemp(join(tmpdir(), 'signet-s3-')));
  const events: S3EventBridgeEvent[] = [];
  const s3 = await startLocalS3({
    stateDir,
    onEvent: (event) => {
      events.push(event);
    },
    ...options,
  });
  const client = makeClient(s3.endpoint);
  const stop = async () => {
    client.destroy();
    await s3.close();
  };
  return {
    s3,
    client,
    stateDir,
    events,
    async restart() {
      await stop();
      return startTestS3(options, stateDir);
    },
    async close() {
      await stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** Reads an SDK GetObject body fully. */
export async function bodyBytes(body: unknown): Promise<Buffer> {
  const stream = body as { transformToByteArray(): Promise<Uint8Array> };
  return Buffer.from(await stream.transformToByteArray());
}

/** The SDK error's name and HTTP status, for asserting on S3 error answers. */
export async function failureOf(
  promise: Promise<unknown>,
): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    const failure = error as {
      name: string;
      message: string;
      $metadata?: { httpStatusCode?: number };
    };
    return {
      name: failure.name,
      status: failure.$metadata?.httpStatusCode,
      message: failure.message,
    };
  }
  throw new Error('expected the request to fail, but it succeeded');
}
