import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { LambdaFunctionSpec } from '../../functions/manifest.ts';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

// Step Functions refuses state data over 256 KB; a local run must fail where AWS would.
const MAX_PAYLOAD_BYTES = 256 * 1024;

/** Error name Step Functions reports when a state's data is too large. */
export const DATA_LIMIT_EXCEEDED = 'States.DataLimitExceeded';

/**
 * Calls a handler the way Lambda and Step Functions would: the event and the result cross a
 * JSON boundary (no Dates, no class instances survive), payloads are size-checked, and a
 * thrown error becomes Step Functions' shape: its name is the Error, and its Cause is the JSON
 * `{errorType, errorMessage, trace}` that the Node.js Lambda runtime reports.
 */
export function invokeLikeLambda(
  spec: LambdaFunctionSpec,
  handler: LambdaHandler,
): (input: unknown) => Promise<unknown> {
  return async (input) => {
    const event = throughJson(input, `${spec.id} input`);
    const deadline = Date.now() + spec.timeoutSeconds * 1000;
    try {
      const result = await handler(event, lambdaContext(spec, deadline));
      return throughJson(result ?? null, `${spec.id} output`);
    } catch (error) {
      throw asStepFunctionsError(error);
    }
  };
}

function throughJson(value: unknown, what: string): unknown {
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
    const error = new Error(`The ${what} is ${Buffer.byteLength(text)} bytes, over 256 KB`);
    error.name = DATA_LIMIT_EXCEEDED;
    throw error;
  }
  return JSON.parse(text);
}

function asStepFunctionsError(error: unknown): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  if (original.name === DATA_LIMIT_EXCEEDED) return original;
  const converted = new Error(
    JSON.stringify({
      errorType: original.name,
      errorMessage: original.message,
      trace: (original.stack ?? '')
        .split('\n')
        .slice(1, 6)
        .map((line) => line.trim()),
    }),
  );
  converted.name = original.name;
  return converted;
}

function lambdaContext(spec: LambdaFunctionSpec, deadline: number): Context {
  const region = process.env['AWS_REGION'] ?? 'us-east-1';
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `signet-${spec.id}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(spec.id, region),
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
