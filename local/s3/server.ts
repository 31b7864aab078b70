import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigInvalid } from '../../core/errors.ts';
import { foreignHostMessage, isLoopbackHost } from '../loopback-host.ts';
import { createEventEmitter } from './events/emit-events.ts';
import { checkPresignedValidity } from './http/presigned.ts';
import { newRequestId, parseRequest, type S3Request } from './http/request.ts';
import { sendError, sendResponse } from './http/response.ts';
import type { S3Context } from './operations/context.ts';
import { route } from './operations/router.ts';
import { internalError, S3ServiceError } from './s3-error.ts';
import { isValidBucketName } from './store/bucket-names.ts';
import { MultipartStore } from './store/multipart-store.ts';
import { ObjectStore } from './store/object-store.ts';
import type { LocalS3, LocalS3Options } from './types.ts';

const DEFAULT_REGION = 'us-east-1';
const DEFAULT_ACCOUNT_ID = '000000000000';

async function handle(
  raw: IncomingMessage,
  res: ServerResponse,
  context: S3Context,
  onInternalError: ((error: unknown) => void) | undefined,
): Promise<void> {
  let request: S3Request | undefined;
  try {
    request = parseRequest(raw);
    checkPresignedValidity(request);
    const operation = route(request);
    await sendResponse(request, res, await operation(request, context));
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    let answer: S3ServiceError;
    if (error instanceof S3ServiceError) {
      answer = error;
    } else {
      onInternalError?.(error);
      answer = internalError();
    }
    // Unread body bytes would otherwise be taken for the next request on this connection.
    if (!raw.complete) raw.resume();
    const minimal = { method: raw.method ?? 'GET', requestId: newRequestId() };
    sendError(request ?? minimal, res, answer);
  }
}

function checkOptions(options: LocalS3Options): void {
  for (const bucket of options.buckets ?? []) {
    if (!isValidBucketName(bucket.name)) {
      throw new ConfigInvalid(`Local S3: "${bucket.name}" is not a valid S3 bucket name`, {
        details: { bucket: bucket.name, stateDir: options.stateDir },
      });
    }
  }
}

/**
 * Starts Signet's local S3: a versioned, S3-compatible server on 127.0.0.1 that the AWS SDK,
 * presigned URLs and the AWS CLI use unchanged, with path-style addressing. State persists in
 * `stateDir`; `onEvent` receives EventBridge-shaped events as S3 would send them.
 *
 * @example
 * const s3 = await startLocalS3({
 *   stateDir: '.signet/s3',
 *   buckets: [{ name: 'artifacts', versioning: true }],
 *   onEvent: (event) => queue.push(event),
 * });
 * const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', credentials });
 * await s3.close();
 */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  checkOptions(options);
  const store = await ObjectStore.open(options.stateDir);
  const uploads = await MultipartStore.open(store.layout);
  for (const bucket of options.buckets ?? []) {
    if (!store.hasBucket(bucket.name)) await store.createBucket(bucket.name);
    if (bucket.versioning) await store.setVersioning(bucket.name, 'Enabled');
  }

  let endpoint = '';
  const context: S3Context = {
    store,
    uploads,
    events: createEventEmitter(options.onEvent, options.onEventError, (bucket) =>
      store.sendsEvents(bucket),
    ),
    region: options.region ?? DEFAULT_REGION,
    accountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
    endpoint: () => endpoint,
  };
  const server = createServer((req, res) => {
    if (!isLoopbackHost(req.headers.host, (server.address() as AddressInfo).port)) {
      req.resume();
      const refusal = new S3ServiceError(403, 'AccessDenied', foreignHostMessage(req.headers.host));
      sendError({ method: req.method ?? 'GET', requestId: newRequestId() }, res, refusal);
      return;
    }
    void handle(req, res, context, options.onInternalError);
  });
  // Uploads of a gigabyte or more from a slow client must not hit Node's 5-minute default.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await store.flush();
    },
  };
}
