import { randomUUID } from 'node:crypto';
import {
  optionalNumber,
  optionalString,
  requiredString,
  validationError,
} from '../control-plane/input-fields.ts';
import { type Page, paginate } from '../control-plane/pagination.ts';
import { AwsServiceError, type JsonObject } from '../control-plane/service-types.ts';

/**
 * Reading Step Functions requests with the errors AWS gives (botocore stepfunctions model and
 * the API reference): model constraints are ValidationException, the service's own rules have
 * their own codes.
 */

// StartExecution `name`: none of these characters, and no control characters.
const FORBIDDEN_IN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
const isControlCharacter = (c: string) => {
  const code = c.charCodeAt(0);
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
};
// The model's `Name` shape: 1 to 80 characters.
const MAX_NAME_LENGTH = 80;
// `SensitiveData`: the input, at most 256 KiB of UTF-8.
const MAX_INPUT_BYTES = 256 * 1024;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:execution:[^:]+:[^:]+$/;
const STATE_MACHINE_ARN =
  /^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[^:]+(:[^:]+)?$/;
const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

/** The execution's name: as given, or a UUID as AWS generates one when there is none. */
export function executionName(input: JsonObject): string {
  const name = optionalString(input, 'name') ?? randomUUID();
  const length = [...name].length;
  if (length < 1 || length > MAX_NAME_LENGTH) {
    const bound =
      length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_NAME_LENGTH}`;
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: ` +
        `Member must have length ${bound}`,
    );
  }
  if (FORBIDDEN_IN_NAME.test(name) || [...name].some(isControlCharacter)) {
    throw new AwsServiceError('InvalidName', `Invalid Name: '${name}'`);
  }
  return name;
}

/** The execution input, as given (`{}` when absent) and parsed. */
export function executionInput(input: JsonObject): { text: string; value: unknown } {
  const text = optionalString(input, 'input') ?? '{}';
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_INPUT_BYTES) {
    throw new AwsServiceError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: ${bytes} bytes, over the 262144-byte limit`,
    );
  }
  try {
    return { text, value: JSON.parse(text) };
  } catch (error) {
    throw new AwsServiceError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: '${(error as Error).message}'`,
    );
  }
}

export function executionArnField(input: JsonObject): string {
  return arnField(input, 'executionArn', EXECUTION_ARN);
}

export function stateMachineArnField(input: JsonObject): string {
  return arnField(input, 'stateMachineArn', STATE_MACHINE_ARN);
}

function arnField(input: JsonObject, field: string, form: RegExp): string {
  const arn = requiredString(input, field);
  if (!form.test(arn)) throw new AwsServiceError('InvalidArn', `Invalid Arn: '${arn}'`);
  return arn;
}

export function statusFilter(input: JsonObject): string | undefined {
  const status = optionalString(input, 'statusFilter');
  if (status === undefined || STATUSES.includes(status)) return status;
  throw validationError('statusFilter', `Member must satisfy enum value set: [${STATUSES}]`);
}

/** One page by `maxResults` (0 to 1000; 0 or absent means 100) and `nextToken`. */
export function pageOf<T>(items: readonly T[], input: JsonObject): Page<T> {
  const size = optionalNumber(input, 'maxResults') ?? 0;
  if (!Number.isInteger(size) || size < 0 || size > 1000) {
    throw validationError('maxResults', 'Member must have value between 0 and 1000');
  }
  const token = optionalString(input, 'nextToken');
  return paginate(items, size === 0 ? 100 : size, token, () => {
    return new AwsServiceError('InvalidToken', `Invalid Token: '${token}'`);
  });
}
