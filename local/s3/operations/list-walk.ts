import { formEncodeKey } from '../http/key-encoding.ts';
import type { S3Request } from '../http/request.ts';
import { invalidArgument } from '../s3-error.ts';
import { compareUtf8 } from '../store/utf8-order.ts';

// Listings return at most 1000 entries per page, whatever max-keys asks for.
const PAGE_LIMIT = 1000;

/** An entry of a listing page: a key, or a common prefix rolling up keys under a delimiter. */
export type ListEntry =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'prefix'; readonly prefix: string };

export interface WalkOptions {
  readonly prefix: string;
  readonly delimiter: string | undefined;
  /** Only keys after this one (exclusive), in UTF-8 order. */
  readonly after: string | undefined;
  /** Skip every key under this common prefix (resuming after a page ending on it). */
  readonly skipUnder: string | undefined;
  readonly maxEntries: number;
}

/** The common prefix a key rolls up into under `delimiter`, if any. */
export function commonPrefixOf(key: string, prefix: string, delimiter: string | undefined) {
  if (!delimiter) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}

/**
 * One page of a listing over keys in UTF-8 order: prefix filter, delimiter roll-up (each common
 * prefix counts as one entry, as in S3), and whether more entries follow the page.
 */
export function walkKeys(
  keys: readonly string[],
  options: WalkOptions,
): { entries: ListEntry[]; truncated: boolean } {
  const entries: ListEntry[] = [];
  let lastPrefix: string | undefined;
  for (const key of keys) {
    if (options.after !== undefined && compareUtf8(key, options.after) <= 0) continue;
    if (!key.startsWith(options.prefix)) continue;
    if (options.skipUnder !== undefined && key.startsWith(options.skipUnder)) continue;
    const common = commonPrefixOf(key, options.prefix, options.delimiter);
    if (common !== undefined && common === lastPrefix) continue;
    if (entries.length >= options.maxEntries) return { entries, truncated: true };
    if (common !== undefined) {
      lastPrefix = common;
      entries.push({ kind: 'prefix', prefix: common });
    } else {
      entries.push({ kind: 'key', key });
    }
  }
  return { entries, truncated: false };
}

/** max-keys (or max-parts): an integer, at most 1000 used; default 1000. */
export function readMaxKeys(request: S3Request, name = 'max-keys'): number {
  const raw = request.query.get(name);
  if (raw === null) return PAGE_LIMIT;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value)) {
    throw invalidArgument('Provided max-keys not an integer or within integer range', name, raw);
  }
  return Math.min(value, PAGE_LIMIT);
}

/** encoding-type: only `url` exists; returns the encoder for keys and prefixes in the answer. */
export function readEncoding(request: S3Request): (text: string) => string {
  const encoding = request.query.get('encoding-type');
  if (encoding === null) return (text) => text;
  if (encoding.toLowerCase() !== 'url') {
    throw invalidArgument(
      'Invalid Encoding Method specified in Request',
      'encoding-type',
      encoding,
    );
  }
  return formEncodeKey;
}
