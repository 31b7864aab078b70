import { createHash } from 'node:crypto';

/**
 * A stable EC2-shaped instance id for a local instance: `i-` and 17 hex characters derived
 * from its name, so the same demo fleet keeps the same ids across runs.
 */
export function localInstanceId(name: string): string {
  const digest = createHash('sha256').update(`signet-local-instance:${name}`).digest('hex');
  return `i-${digest.slice(0, 17)}`;
}
