import { AwsServiceError, type JsonObject, type JsonService } from './service-types.ts';

/** SSM's Parameter Store operations: the ones an external SSM can take over from the local one. */
export const PARAMETER_STORE_OPERATIONS = [
  'PutParameter',
  'GetParameter',
  'GetParameters',
  'GetParametersByPath',
  'GetParameterHistory',
  'DeleteParameter',
  'DeleteParameters',
  'DescribeParameters',
] as const;

/**
 * The same service with some operations answered by another endpoint speaking the same JSON
 * protocol (an AWS emulator such as moto_server), so one SDK client can reach Parameter Store
 * there while Run Command stays with the local fleet. Requests and answers pass through as
 * JSON; an error answer becomes the same AwsServiceError, so callers see the other endpoint's
 * code and status. The request carries an unsigned SigV4-shaped Authorization header only
 * because emulators read the service and Region from its credential scope.
 *
 * @example
 * const ssm = forwardOperations(services.ssm, PARAMETER_STORE_OPERATIONS, moto.endpoint);
 */
export function forwardOperations(
  service: JsonService,
  operations: readonly string[],
  endpoint: string,
  scope: { readonly region: string; readonly signingName: string } = {
    region: 'us-east-1',
    signingName: 'ssm',
  },
): JsonService {
  const forwarded = Object.fromEntries(
    operations.map((name) => [
      name,
      (input: JsonObject) => forward(endpoint, `${service.targetPrefix}.${name}`, input, scope),
    ]),
  );
  return { ...service, operations: { ...service.operations, ...forwarded } };
}

async function forward(
  endpoint: string,
  target: string,
  input: JsonObject,
  scope: { readonly region: string; readonly signingName: string },
): Promise<JsonObject> {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
      authorization:
        `AWS4-HMAC-SHA256 Credential=signet-local/${day}/${scope.region}/` +
        `${scope.signingName}/aws4_request, SignedHeaders=host, Signature=unsigned`,
    },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  const body = parseAnswer(text, response.status);
  if (response.ok) return body;
  // `__type` may carry a namespace (`com.amazonaws.ssm#ParameterNotFound`); the code is after #.
  const type = String(body['__type'] ?? response.headers.get('x-amzn-errortype') ?? 'Unknown');
  const code = type.slice(type.lastIndexOf('#') + 1).split(':')[0] ?? type;
  const message = String(body['message'] ?? body['Message'] ?? '');
  throw new AwsServiceError(code, message, response.status);
}

function parseAnswer(text: string, status: number): JsonObject {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as JsonObject;
  } catch {
    // An emulator's crash page, say: pass the status on with the start of the text.
    throw new AwsServiceError('InternalFailure', text.slice(0, 200), status >= 400 ? status : 502);
  }
}
