import { AwsServiceError } from '../service-types.ts';

// Parameter Store's rules for names (SSM user guide, "Requirements and constraints for
// parameter names"): letters, digits and . - _ in each part; a path starts with "/"; at
// most 15 levels; no "aws" or "ssm" prefix; at most 2048 characters (API model).
const PART = /^[a-zA-Z0-9_.-]+$/;
const MAX_LEVELS = 15;
const NAME_RULE =
  'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a ' +
  'path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as ' +
  'a mix of letters, numbers and the following 3 symbols .-_';

/** Checks a name given to PutParameter; lookups of a malformed name just find nothing. */
export function checkParameterName(name: string): void {
  if (name.length < 1 || name.length > 2048) {
    throw new AwsServiceError(
      'ValidationException',
      "1 validation error detected: Value at 'name' failed to satisfy constraint: Member must " +
        'have length between 1 and 2048',
    );
  }
  const isPath = name.startsWith('/');
  const parts = (isPath ? name.slice(1) : name).split('/');
  if (!isPath && parts.length > 1) {
    throw new AwsServiceError(
      'ValidationException',
      'Parameter name must be a fully qualified name.',
    );
  }
  if (parts.some((part) => !PART.test(part)) || /^\/?(aws|ssm)/i.test(name)) {
    throw new AwsServiceError('ValidationException', NAME_RULE);
  }
  if (parts.length > MAX_LEVELS) {
    throw new AwsServiceError(
      'HierarchyLevelLimitExceededException',
      `Parameter name ${name} has more than ${MAX_LEVELS} levels.`,
    );
  }
}

/** Whether `name` sits under `path`: directly, or at any depth when recursive. */
export function isUnderPath(name: string, path: string, recursive: boolean): boolean {
  const prefix = path.endsWith('/') ? path : `${path}/`;
  if (!name.startsWith(prefix)) return false;
  return recursive || !name.slice(prefix.length).includes('/');
}
