import { S3ServiceError } from '../s3-error.ts';
import type { S3Request } from './request.ts';

// SigV4 query authentication allows at most seven days (API reference, "Authenticating
// Requests: Using Query Parameters").
const MAX_EXPIRES_SECONDS = 604_800;

function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  return Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0);
}

function iso(milliseconds: number): string {
  return `${new Date(milliseconds).toISOString().slice(0, 19)}Z`;
}

// Limitation: signatures are not verified (any credentials work); only the validity window is.
/**
 * Refuses a presigned URL outside its validity window, as S3 does. The signature itself is not
 * checked: the local S3 trusts every caller on 127.0.0.1 (see docs/local/S3.md).
 */
export function checkPresignedValidity(request: S3Request, now = Date.now()): void {
  const rawDate = request.query.get('X-Amz-Date');
  const rawExpires = request.query.get('X-Amz-Expires');
  if (rawDate === null || rawExpires === null) return;
  const expires = Number(rawExpires);
  if (!/^\d+$/.test(rawExpires)) {
    throw new S3ServiceError(
      400,
      'AuthorizationQueryParametersError',
      'X-Amz-Expires should be a number',
    );
  }
  if (expires > MAX_EXPIRES_SECONDS) {
    throw new S3ServiceError(
      400,
      'AuthorizationQueryParametersError',
      'X-Amz-Expires must be less than a week (in seconds) that is; 604800',
    );
  }
  const signedAt = parseAmzDate(rawDate);
  if (signedAt === undefined) {
    throw new S3ServiceError(
      400,
      'AuthorizationQueryParametersError',
      "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
    );
  }
  const expiresAt = signedAt + expires * 1000;
  if (now > expiresAt) {
    throw new S3ServiceError(403, 'AccessDenied', 'Request has expired', {
      'X-Amz-Expires': rawExpires,
      Expires: iso(expiresAt),
      ServerTime: iso(now),
    });
  }
  // S3 allows fifteen minutes of clock skew before a URL becomes valid.
  if (signedAt - now > 15 * 60 * 1000) {
    throw new S3ServiceError(403, 'AccessDenied', 'Request is not yet valid', {
      'X-Amz-Date': rawDate,
      ServerTime: iso(now),
    });
  }
}
