import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3ServiceError } from '../s3-error.ts';
import type { S3Request } from './request.ts';
import { element, escapeXml } from './xml.ts';

/** What an operation answers; the server adds S3's common headers. */
export interface S3Response {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** An XML document, or a stream of object bytes. */
  readonly body?: string | Readable;
}

export const XML_CONTENT_TYPE = 'application/xml';

/** What error responses need of a request, available even when it could not be parsed. */
export type RequestIdentity = Pick<S3Request, 'method' | 'requestId'>;

/** A 200 response carrying an XML document. */
export function xmlResponse(body: string, headers: Record<string, string> = {}): S3Response {
  return { status: 200, headers: { 'content-type': XML_CONTENT_TYPE, ...headers }, body };
}

function commonHeaders(request: RequestIdentity): Record<string, string> {
  return {
    'x-amz-request-id': request.requestId,
    'x-amz-id-2': randomBytes(24).toString('base64'),
    server: 'AmazonS3',
  };
}

/** Writes an operation's answer; object bodies stream with back-pressure. */
export async function sendResponse(
  request: S3Request,
  res: ServerResponse,
  response: S3Response,
): Promise<void> {
  const headers: Record<string, string> = { ...commonHeaders(request), ...response.headers };
  const body = response.body;
  if (typeof body === 'string' && headers['content-length'] === undefined) {
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  if (body === undefined && headers['content-length'] === undefined && response.status !== 304) {
    headers['content-length'] = '0';
  }
  res.writeHead(response.status, headers);
  if (request.method === 'HEAD' || body === undefined) {
    if (body !== undefined && typeof body !== 'string') body.destroy();
    res.end();
    return;
  }
  if (typeof body === 'string') {
    res.end(body);
    return;
  }
  await pipeline(body, res);
}

/**
 * S3's error document. HEAD requests get the status and headers only, as on AWS, which is why
 * the SDKs report them as `NotFound` / `Forbidden` rather than by code.
 */
export function sendError(
  request: RequestIdentity,
  res: ServerResponse,
  error: S3ServiceError,
): void {
  const extra = Object.entries(error.fields).map(([name, value]) => element(name, value));
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
    extra.join('') +
    `<RequestId>${request.requestId}</RequestId>` +
    `<HostId>${randomBytes(24).toString('base64')}</HostId></Error>`;
  const headers: Record<string, string> = {
    ...commonHeaders(request),
    ...error.headers,
    'content-type': XML_CONTENT_TYPE,
  };
  if (request.method === 'HEAD') {
    res.writeHead(error.status, headers);
    res.end();
    return;
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(error.status, headers);
  res.end(body);
}
