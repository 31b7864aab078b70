import type { EventErrorHandler, EventHandler } from './events/emit-events.ts';

/** A bucket the server makes sure exists when it starts. */
export interface LocalS3BucketSpec {
  /** A valid S3 bucket name (3-63 lower-case letters, digits, dots and hyphens). */
  readonly name: string;
  /** Enable versioning (default: leave the bucket's versioning as it is; new buckets have none). */
  readonly versioning?: boolean;
}

export interface LocalS3Options {
  /** Directory holding buckets, objects and uploads; created if missing, kept across restarts. */
  readonly stateDir: string;
  /** Buckets to create at start (default: none). Existing buckets and objects are kept. */
  readonly buckets?: readonly LocalS3BucketSpec[];
  /** TCP port on 127.0.0.1 (default: 0, any free port). */
  readonly port?: number;
  /** Receives an EventBridge-shaped event after each object creation and deletion. */
  readonly onEvent?: EventHandler;
  /** Receives what `onEvent` threw or rejected with (default: such failures are dropped). */
  readonly onEventError?: EventErrorHandler;
  /** Receives unexpected server faults answered as 500 InternalError (default: dropped). */
  readonly onInternalError?: (error: unknown) => void;
  /** Region reported in events, HeadBucket and GetBucketLocation (default: `us-east-1`). */
  readonly region?: string;
  /** Account id of the bucket owner and requester in events (default: `000000000000`). */
  readonly accountId?: string;
}

/** A running local S3. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>`: use as the SDK's `endpoint` or the CLI's `--endpoint-url`. */
  readonly endpoint: string;
  /** Stops accepting requests, ends open connections and waits for pending disk writes. */
  close(): Promise<void>;
}
