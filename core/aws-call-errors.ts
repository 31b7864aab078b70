import { AwsRequestFailed, AwsThrottled, SignetError } from './errors.ts';

// Error names AWS services use for "slow down"; the SDK retries these itself first.
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
]);

/**
 * What an AWS call's failure means for the state machine, once the SDK's own jittered retries
 * are spent. Throttling, 5xx answers and lost connections are AwsThrottled, which every Task
 * retries with full-jitter backoff; anything else (access denied, validation) is
 * AwsRequestFailed at once, carrying AWS's own message. Signet's own errors pass unchanged.
 *
 * @example
 * const page = await awsCall('SendCommand for web', () => ssm.send(command));
 */
export function awsCallError(error: unknown, where: string): Error {
  if (error instanceof SignetError) return error;
  const name = error instanceof Error ? error.name : 'UnknownError';
  const message = error instanceof Error ? error.message : String(error);
  const meta = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  const status = meta?.httpStatusCode;
  const fault = (error as { $fault?: string } | null)?.$fault;
  const transient =
    THROTTLING.has(name) ||
    (status !== undefined && status >= 500) ||
    fault === 'server' ||
    (status === undefined && fault === undefined);
  const ErrorClass = transient ? AwsThrottled : AwsRequestFailed;
  return new ErrorClass(`${where} failed: ${name}: ${message}`, {
    cause: error,
    details: { where, awsError: name, httpStatus: status ?? null },
  });
}

/** Runs one AWS call, turning its failure into Signet's error as `awsCallError` says. */
export async function awsCall<T>(where: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw awsCallError(error, where);
  }
}
