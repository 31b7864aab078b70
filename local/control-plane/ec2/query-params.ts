/**
 * Reads the EC2 query protocol's flattened lists: `InstanceId.1=..&InstanceId.2=..` and
 * `Filter.1.Name=..&Filter.1.Value.1=..`, numbered from 1 in any order.
 */

export interface QueryFilter {
  readonly name: string;
  readonly values: readonly string[];
}

export function numberedValues(params: URLSearchParams, prefix: string): string[] {
  const entries: [number, string][] = [];
  const pattern = new RegExp(`^${prefix.replace('.', '\\.')}\\.([0-9]+)$`);
  for (const [name, value] of params) {
    const index = pattern.exec(name)?.[1];
    if (index !== undefined) entries.push([Number(index), value]);
  }
  return entries.sort(([a], [b]) => a - b).map(([, value]) => value);
}

export function queryFilters(params: URLSearchParams): QueryFilter[] {
  const indexes = new Set<number>();
  for (const name of params.keys()) {
    const index = /^Filter\.([0-9]+)\.Name$/.exec(name)?.[1];
    if (index !== undefined) indexes.add(Number(index));
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .map((index) => ({
      name: params.get(`Filter.${index}.Name`) ?? '',
      values: numberedValues(params, `Filter.${index}.Value`),
    }));
}

/** EC2 filter values take `*` (any run) and `?` (one character) wildcards. */
export function wildcardMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}
