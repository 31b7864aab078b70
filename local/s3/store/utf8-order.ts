/**
 * S3 lists keys "in UTF-8 binary order". JavaScript compares strings by UTF-16 code units,
 * which puts U+E000..U+FFFF after astral characters (surrogates are 0xD800..0xDFFF); comparing
 * the UTF-8 bytes puts them before, as S3 does.
 */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Sorts keys in UTF-8 byte order, encoding each key once. */
export function sortByUtf8(keys: readonly string[]): string[] {
  return keys
    .map((key) => ({ key, bytes: Buffer.from(key, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map((entry) => entry.key);
}
