import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { S3ServiceError } from '../s3-error.ts';
import { decodePathOnce } from './key-encoding.ts';

/** One parsed request in path-style addressing: `/<bucket>/<key>`. */
export interface S3Request {
  readonly method: string;
  /** Undefined for the service root (`GET /` lists buckets). */
  readonly bucket: string | undefined;
  /** Undefined for bucket-level requests; the key exactly as uploaded otherwise. */
  readonly key: string | undefined;
  readonly query: URLSearchParams;
  readonly raw: IncomingMessage;
  /** S3's x-amz-request-id: 16 upper-case hex characters. */
  readonly requestId: string;
  readonly sourceIp: string;
}

export function newRequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/** The value of a header sent once (Node joins repeated ones; S3 headers are not repeated). */
export function header(request: S3Request, name: string): string | undefined {
  const value = request.raw.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Whether the query string names a sub-resource, with or without a value (`?versions`). */
export function hasQuery(request: S3Request, name: string): boolean {
  return request.query.has(name);
}

/**
 * Splits a raw request target into bucket, key and query. The path is decoded exactly once,
 * so `%2B` is a `+` in the key, a literal `+` stays `+`, and `%2F` is a `/` like S3 treats it.
 */
export function parseRequest(raw: IncomingMessage): S3Request {
  const target = raw.url ?? '/';
  const questionMark = target.indexOf('?');
  const rawPath = questionMark === -1 ? target : target.slice(0, questionMark);
  const rawQuery = questionMark === -1 ? '' : target.slice(questionMark + 1);
  const requestId = newRequestId();
  const base = {
    method: (raw.method ?? 'GET').toUpperCase(),
    query: new URLSearchParams(rawQuery),
    raw,
    requestId,
    sourceIp: raw.socket.remoteAddress ?? '127.0.0.1',
  };

  const withoutSlash = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  const slash = withoutSlash.indexOf('/');
  const rawBucket = slash === -1 ? withoutSlash : withoutSlash.slice(0, slash);
  const rawKey = slash === -1 ? '' : withoutSlash.slice(slash + 1);
  const bucket = decodePathOnce(rawBucket);
  const key = decodePathOnce(rawKey);
  if (bucket === undefined || key === undefined) {
    throw new S3ServiceError(400, 'InvalidURI', "Couldn't parse the specified URI.", {
      URI: target,
    });
  }
  return {
    ...base,
    bucket: bucket === '' ? undefined : bucket,
    key: key === '' ? undefined : key,
  };
}
