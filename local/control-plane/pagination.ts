import type { AwsServiceError } from './service-types.ts';

export interface Page<T> {
  readonly items: readonly T[];
  /** Absent on the last page, as AWS leaves NextToken out. */
  readonly nextToken?: string;
}

const TOKEN_PREFIX = 'signet-page:';

/**
 * One page of `items` starting where `nextToken` says. Tokens are opaque to clients (base64 of
 * an offset); a token this server did not issue gets `invalidToken()`, as AWS answers a forged
 * one with InvalidNextToken.
 */
export function paginate<T>(
  items: readonly T[],
  maxResults: number,
  nextToken: string | undefined,
  invalidToken: () => AwsServiceError,
): Page<T> {
  const start = nextToken === undefined ? 0 : decodeToken(nextToken, invalidToken);
  const end = start + maxResults;
  const page = items.slice(start, end);
  if (end >= items.length) return { items: page };
  return { items: page, nextToken: Buffer.from(`${TOKEN_PREFIX}${end}`).toString('base64') };
}

function decodeToken(token: string, invalidToken: () => AwsServiceError): number {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  if (!decoded.startsWith(TOKEN_PREFIX)) throw invalidToken();
  const offset = Number(decoded.slice(TOKEN_PREFIX.length));
  if (!Number.isSafeInteger(offset) || offset < 0) throw invalidToken();
  return offset;
}
