import { AwsServiceError, type QueryService } from './service-types.ts';
import type { WireResponse } from './wire-response.ts';
import { escapeXml } from './xml.ts';

const XML_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';
const CONTENT_TYPE = 'text/xml;charset=UTF-8';

/**
 * Serves one request of the EC2 query protocol: form fields in (`Action`, `Version`, then the
 * operation's flattened parameters), XML out. A success is `<ActionResponse xmlns=...>` with a
 * requestId; an error is EC2's own shape `<Response><Errors><Error><Code>`, which the SDK v3
 * (`Errors.Error.Code`) and botocore both read.
 */
export async function handleEc2QueryRequest(
  service: QueryService,
  params: URLSearchParams,
  requestId: string,
): Promise<WireResponse> {
  const action = params.get('Action') ?? '';
  try {
    const operation = service.operations[action];
    if (operation === undefined) {
      throw new AwsServiceError(
        'InvalidAction',
        `The action ${action || '(none)'} is not valid for this web service.`,
      );
    }
    const inner = await operation(params);
    const namespace = `http://ec2.amazonaws.com/doc/${service.apiVersion}/`;
    const body =
      `${XML_HEADER}<${action}Response xmlns="${namespace}">` +
      `<requestId>${requestId}</requestId>${inner}</${action}Response>`;
    return { status: 200, headers: { 'content-type': CONTENT_TYPE }, body };
  } catch (error) {
    const failure =
      error instanceof AwsServiceError
        ? error
        : new AwsServiceError('InternalError', describe(error), 500);
    const body =
      `${XML_HEADER}<Response><Errors><Error><Code>${escapeXml(failure.code)}</Code>` +
      `<Message>${escapeXml(failure.message)}</Message></Error></Errors>` +
      `<RequestID>${requestId}</RequestID></Response>`;
    return { status: failure.status, headers: { 'content-type': CONTENT_TYPE }, body };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
