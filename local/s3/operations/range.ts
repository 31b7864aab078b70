import { S3ServiceError } from '../s3-error.ts';

export interface ByteRange {
  readonly start: number;
  /** Inclusive, as in Content-Range. */
  readonly end: number;
}

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

function unsatisfiable(rangeHeader: string, size: number): S3ServiceError {
  return new S3ServiceError(416, 'InvalidRange', 'The requested range is not satisfiable', {
    RangeRequested: rangeHeader,
    ActualObjectSize: String(size),
  });
}

/**
 * Reads a Range header the way S3 does: one range only (S3 does not support multiple ranges and
 * ignores a header it cannot parse, answering with the whole object), 416 InvalidRange when the
 * range starts past the end.
 */
export function parseRange(rangeHeader: string | undefined, size: number): ByteRange | undefined {
  if (rangeHeader === undefined) return undefined;
  const match = SINGLE_RANGE.exec(rangeHeader.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw unsatisfiable(rangeHeader, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (end < start) return undefined;
  if (start >= size) throw unsatisfiable(rangeHeader, size);
  return { start, end: Math.min(end, size - 1) };
}
