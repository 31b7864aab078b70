import { createHash, randomBytes } from 'node:crypto';
import type { ReleaseName } from './release-names.ts';

const MAX_LENGTH = 80;
const HASH_LENGTH = 16;

/**
 * The execution name for one uploaded object version. S3 delivers events at least once, so the
 * same upload can arrive twice: a deterministic name makes Step Functions refuse the second
 * StartExecution (ExecutionAlreadyExists) instead of deploying twice. The readable part is for
 * people; the hash of bucket, key and version is what makes it unique. Only letters, digits,
 * '-' and '_', at most 80 characters, as Step Functions and CloudWatch both accept.
 */
export function executionNameForObject(
  release: ReleaseName,
  object: { bucket: string; key: string; versionId: string | null; etag: string },
): string {
  const identity = [object.bucket, object.key, object.versionId ?? `etag:${object.etag}`].join(
    '\0',
  );
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, HASH_LENGTH);
  const readable = `${release.app}-${release.version}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${readable.slice(0, MAX_LENGTH - HASH_LENGTH - 1)}-${hash}`;
}

/** A unique name for an operator's run (redeploy, rollback): those are never deduplicated. */
export function executionNameForOperator(
  action: 'redeploy' | 'rollback',
  app: string,
  now: Date,
): string {
  const stamp = now
    .toISOString()
    .replace(/[^0-9]/g, '')
    .slice(0, 17);
  const nonce = randomBytes(3).toString('hex');
  return `${action}-${app}-${stamp}-${nonce}`.slice(0, MAX_LENGTH);
}

/** The ARN Step Functions gives an execution of this name on this state machine. */
export function executionArnFor(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
