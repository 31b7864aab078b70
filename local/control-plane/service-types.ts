/**
 * The contract between the local control plane's HTTP server and the AWS services it emulates.
 * A service only maps operation names to functions over plain objects; the server owns the wire
 * protocol (JSON 1.0/1.1 with X-Amz-Target, or the EC2 query protocol) and turns an
 * AwsServiceError into the error body and status code real AWS sends.
 */

export type JsonObject = Record<string, unknown>;

/** One operation of a JSON-protocol service: the request body in, the response body out. */
export type JsonOperation = (input: JsonObject) => Promise<JsonObject>;

/** A service spoken over the AWS JSON protocol, dispatched on `X-Amz-Target: <prefix>.<Op>`. */
export interface JsonService {
  readonly protocol: 'json';
  /** The X-Amz-Target prefix, e.g. `AmazonSSM`, `AWSEvents`, `AWSStepFunctions`. */
  readonly targetPrefix: string;
  readonly operations: Readonly<Record<string, JsonOperation>>;
}

/**
 * A service spoken over the EC2 query protocol: form-encoded `Action=...&Version=...` in, XML
 * out. An operation returns the inner XML of its response element; the server wraps it.
 */
export interface QueryService {
  readonly protocol: 'ec2-query';
  readonly apiVersion: string;
  readonly operations: Readonly<Record<string, (params: URLSearchParams) => Promise<string>>>;
}

export type LocalService = JsonService | QueryService;

/** An error AWS would return: its code (the SDK's error name), message and HTTP status. */
export class AwsServiceError extends Error {
  readonly code: string;
  readonly status: number;
  /**
   * The awsQuery error code of a query-compatible JSON service (CloudWatch), sent in the
   * `x-amzn-query-error` header; the SDK and the AWS CLI report it as the error's `Code`.
   */
  readonly queryCode: string | undefined;

  constructor(code: string, message: string, status = 400, queryCode?: string) {
    super(message);
    this.name = 'AwsServiceError';
    this.code = code;
    this.status = status;
    this.queryCode = queryCode;
  }
}
