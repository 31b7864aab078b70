import { type CheckName, type CheckResult, failed } from './check-result.ts';

// Network failures Node reports by code; the SDK passes them through after its retries.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);
// SDK errors raised before any answer: no credentials found, or no answer in time.
const SDK_CLIENT_ERRORS = new Set(['CredentialsProviderError', 'TimeoutError']);

// IAM action prefix -> the AWS_ENDPOINT_URL_<SERVICE> suffix the SDK reads for that client.
const ENDPOINT_VARIABLES: Readonly<Record<string, string>> = {
  s3: 'S3',
  events: 'EVENTBRIDGE',
  ssm: 'SSM',
  states: 'SFN',
  dynamodb: 'DYNAMODB',
  ec2: 'EC2',
};

/** Whether an error came from calling AWS (an answer, no answer, no credentials), not Signet. */
export function isAwsCallError(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const { $metadata, code } = error as { $metadata?: unknown; code?: unknown };
  if ($metadata !== undefined) return true;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return SDK_CLIENT_ERRORS.has(error.name);
}

/**
 * Runs a check; when one of its AWS calls fails for a reason the check does not interpret
 * (access denied, throttling, an endpoint that does not answer), the check fails with a result
 * naming the calls it makes, so one unreadable resource does not hide the other checks.
 * Anything else (a bug) is thrown on.
 *
 * @example
 * await guarded('state-table', table, ['dynamodb:DescribeTable'], () => checkTable(...));
 */
export async function guarded(
  check: CheckName,
  target: string,
  actions: readonly string[],
  run: () => Promise<CheckResult[]>,
): Promise<CheckResult[]> {
  try {
    return await run();
  } catch (error) {
    if (!isAwsCallError(error)) throw error;
    return [callFailed(check, target, actions, error)];
  }
}

function callFailed(
  check: CheckName,
  target: string,
  actions: readonly string[],
  error: Error,
): CheckResult {
  const variables = [...new Set(actions.map((action) => endpointVariable(action)))].join(', ');
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) {
    return failed(
      check,
      target,
      `AWS could not be reached about ${target}: ${error.message}`,
      `check the network and the Region, and ${variables} when pointing at a local stack ` +
        '(`signet local up` prints it)',
    );
  }
  const reason = error.message === '' ? error.name : `${error.name}: ${error.message}`;
  return failed(
    check,
    target,
    `a call to AWS about ${target} failed: ${reason}`,
    `let these credentials call ${actions.join(', ')} there, and check the Region ` +
      `(and ${variables} when pointing at a local stack)`,
  );
}

function endpointVariable(action: string): string {
  const prefix = action.split(':')[0] ?? '';
  return `AWS_ENDPOINT_URL_${ENDPOINT_VARIABLES[prefix] ?? prefix.toUpperCase()}`;
}

/** Whether an AWS error is one of `names` (the SDK sets the error code as the name). */
export function isErrorNamed(error: unknown, ...names: readonly string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}
