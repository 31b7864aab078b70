import { AwsServiceError, type JsonObject, type JsonService } from './service-types.ts';
import type { WireResponse } from './wire-response.ts';

/**
 * Serves one request of the AWS JSON protocol (1.0 and 1.1 differ only in the content type):
 * the operation comes from `X-Amz-Target: <prefix>.<Operation>`, the input is the JSON body,
 * and errors are `{"__type": code, "message": ...}` with the error's status, which is what
 * both the SDK v3 (`__type`, then `code`) and botocore (`__type`) read the error name from.
 */
export async function handleJsonRequest(
  services: readonly JsonService[],
  request: { readonly target: string; readonly contentType: string; readonly body: string },
  requestId: string,
): Promise<WireResponse> {
  const contentType = request.contentType.startsWith('application/x-amz-json-1.0')
    ? 'application/x-amz-json-1.0'
    : 'application/x-amz-json-1.1';
  const headers = { 'content-type': contentType, 'x-amzn-requestid': requestId };
  try {
    const operation = findOperation(services, request.target);
    const output = await operation(parseBody(request.body));
    return { status: 200, headers, body: JSON.stringify(output, epochSecondsReplacer) };
  } catch (error) {
    const failure =
      error instanceof AwsServiceError
        ? error
        : new AwsServiceError('InternalFailure', describe(error), 500);
    return {
      status: failure.status,
      headers: { ...headers, 'x-amzn-errortype': failure.code, ...queryErrorHeader(failure) },
      body: JSON.stringify({ __type: failure.code, message: failure.message }),
    };
  }
}

// Query-compatible services name the awsQuery code and who is at fault (Sender or Receiver).
function queryErrorHeader(failure: AwsServiceError): Record<string, string> {
  if (failure.queryCode === undefined) return {};
  const fault = failure.status >= 500 ? 'Receiver' : 'Sender';
  return { 'x-amzn-query-error': `${failure.queryCode};${fault}` };
}

function findOperation(services: readonly JsonService[], target: string) {
  const dot = target.lastIndexOf('.');
  const prefix = target.slice(0, dot);
  const name = target.slice(dot + 1);
  const service = services.find((candidate) => candidate.targetPrefix === prefix);
  const operation = service?.operations[name];
  if (dot < 1 || operation === undefined) {
    throw new AwsServiceError('UnknownOperationException', `Unknown operation ${target}`);
  }
  return operation;
}

function parseBody(body: string): JsonObject {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new AwsServiceError('SerializationException', 'Request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsServiceError('SerializationException', 'Request body must be a JSON object');
  }
  return parsed as JsonObject;
}

// JSON-protocol timestamps travel as epoch seconds (fractional), not ISO strings.
function epochSecondsReplacer(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
