import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { LambdaFunctionSpec } from '../../functions/manifest.ts';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

// Step Functions refuses state data over 256 KiB; a local run must fail where AWS would.
const MAX_PAYLOAD_BYTES = 256 * 1024;

/** Error name Step Functions reports when a state's data is too large. */
export const DATA_LIMIT_EXCEEDED = 'States.DataLimitExceeded';

/**
 * A payload over the limit. AWS makes it terminal: States.ALL does not catch it (error handling
 * guide, "States.DataLimitExceeded"). aws-local-stepfunctions decides Retry and Catch from the
 * error's own `isRetryable` / `isCatchable`, so this error answers no to both.
 */
class DataLimitExceeded extends Error {
  override readonly name = DATA_LIMIT_EXCEEDED;
  readonly isRetryable = false;
  readonly isCatchable = false;
}

/**
 * Calls a handler the way Lambda and Step Functions would: the event and the result cross a
 * JSON boundary (no Dates, no class instances survive), payloads are size-checked, and a
 * thrown error becomes Step Functions' shape: its name is the Error, and its Cause is the JSON
 * `{errorType, errorMessage, trace}` that the Node.js Lambda runtime reports.
 *
 * @example
 * const run = invokeLikeLambda(spec, handler);
 * await run({ app: 'web' }); // the handler's result, as JSON would carry it
 */
export function invokeLikeLambda(
  spec: LambdaFunctionSpec,
  handler: LambdaHandler,
): (input: unknown) => Promise<unknown> {
  return async (input) => {
    const arn = localFunctionArn(spec.id, process.env['AWS_REGION'] ?? 'us-east-1');
    const event = throughJson(input, `The input of state/task '${arn}' has`);
    const deadline = Date.now() + spec.timeoutSeconds * 1000;
    let result: unknown;
    try {
      result = await handler(event, lambdaContext(spec, arn, deadline));
    } catch (error) {
      throw asStepFunctionsError(error);
    }
    return throughJson(result ?? null, `The state/task '${arn}' returned a result with`);
  };
}

function throughJson(value: unknown, subject: string): unknown {
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
    // AWS's wording (seen in execution causes): "... a size exceeding the maximum number of
    // bytes service limit."
    throw new DataLimitExceeded(
      `${subject} a size exceeding the maximum number of bytes service limit.`,
    );
  }
  return JSON.parse(text);
}

// The Node.js runtime's toRapidResponse (aws-lambda-nodejs-runtime-interface-client, Errors.js):
// an Error gives its name, message and every line of its stack; anything else its typeof.
function asStepFunctionsError(thrown: unknown): Error {
  const payload =
    thrown instanceof Error
      ? {
          errorType: thrown.name,
          errorMessage: thrown.message,
          trace: thrown.stack?.split('\n') ?? [],
        }
      : { errorType: typeof thrown, errorMessage: String(thrown), trace: [] };
  const converted = new Error(JSON.stringify(payload));
  converted.name = payload.errorType;
  return converted;
}

function lambdaContext(spec: LambdaFunctionSpec, arn: string, deadline: number): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `signet-${spec.id}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: arn,
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/signet-${spec.id}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The ARN local mode substitutes for a function in the state machine definition. */
export function localFunctionArn(id: string, region = 'us-east-1'): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:signet-${id}`;
}

/** The account id every local ARN and event carries. */
export const LOCAL_ACCOUNT_ID = '000000000000';
