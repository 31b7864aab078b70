import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/** Node publishes every outgoing HTTP request of this process on this channel. */
const REQUEST_START = 'http.client.request.start';

/**
 * Counts the AWS API calls this process makes while it counts, by service and operation
 * ("SSM SendCommand", "S3 GET"), without touching any client or server: it listens on Node's
 * HTTP client diagnostics channel. In local mode the handlers run in this process and call the
 * local endpoints over HTTP, so every call a deployment makes passes here; the instances'
 * downloads (curl, another process) do not.
 *
 * @example
 * const counter = new ApiCallCounter({ ignore: (r) => r.userAgent.includes('my-tool') });
 * counter.start();
 * // ... run a deployment
 * counter.stop();
 * counter.total(); // 23
 */
export class ApiCallCounter {
  readonly #counts = new Map<string, number>();
  readonly #ignore: (request: ObservedRequest) => boolean;
  readonly #listener = (message: unknown) => this.#observe(message);
  #counting = false;

  constructor(options: { readonly ignore?: (request: ObservedRequest) => boolean } = {}) {
    this.#ignore = options.ignore ?? (() => false);
  }

  start(): void {
    if (this.#counting) return;
    this.#counting = true;
    subscribe(REQUEST_START, this.#listener);
  }

  stop(): void {
    if (!this.#counting) return;
    this.#counting = false;
    unsubscribe(REQUEST_START, this.#listener);
  }

  /** Calls by operation, most frequent first. */
  counts(): ReadonlyMap<string, number> {
    return new Map([...this.#counts].sort((a, b) => b[1] - a[1]));
  }

  total(): number {
    let total = 0;
    for (const count of this.#counts.values()) total += count;
    return total;
  }

  #observe(message: unknown): void {
    const request = (message as { request?: ClientRequest }).request;
    if (request === undefined) return;
    const observed = observe(request);
    if (this.#ignore(observed)) return;
    this.#counts.set(observed.operation, (this.#counts.get(observed.operation) ?? 0) + 1);
  }
}

/** What the counter knows of one request. */
export interface ObservedRequest {
  /** "SSM SendCommand" for JSON protocols (from X-Amz-Target), "S3 GET", "EC2 POST". */
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly userAgent: string;
}

// X-Amz-Target prefixes of the JSON protocols Signet's clients speak.
const TARGET_SERVICES: ReadonlyMap<string, string> = new Map([
  ['AmazonSSM', 'SSM'],
  ['AWSStepFunctions', 'SFN'],
  ['AWSEvents', 'EventBridge'],
  ['TrentService', 'KMS'],
  ['DynamoDB_20120810', 'DynamoDB'],
]);

function observe(request: ClientRequest): ObservedRequest {
  const header = (name: string) => {
    const value = request.getHeader(name);
    return Array.isArray(value) ? value.join(',') : String(value ?? '');
  };
  const target = header('x-amz-target');
  const userAgent = `${header('user-agent')} ${header('x-amz-user-agent')}`;
  const { method, path } = request;
  if (target !== '') {
    const [prefix = '', action = ''] = target.split('.');
    return {
      operation: `${TARGET_SERVICES.get(prefix) ?? prefix} ${action}`,
      method,
      path,
      userAgent,
    };
  }
  // S3 names its operations by method and path; EC2's query protocol names them in the body.
  const service = header('content-type').includes('x-www-form-urlencoded') ? 'EC2' : 'S3';
  return { operation: `${service} ${method}`, method, path, userAgent };
}
