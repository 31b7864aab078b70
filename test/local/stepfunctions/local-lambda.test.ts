import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { LambdaFunctionSpec } from '../../../functions/manifest.ts';
import {
  DATA_LIMIT_EXCEEDED,
  invokeLikeLambda,
  localFunctionArn,
} from '../../../local/stepfunctions/local-lambda.ts';

const SPEC: LambdaFunctionSpec = {
  id: 'probe',
  arnSubstitution: 'ProbeFunctionArn',
  description: 'a probe',
  timeoutSeconds: 20,
  memoryMb: 512,
};
const KIB_256 = 256 * 1024;

/** A JSON string value of exactly `bytes` bytes once serialised. */
const jsonOfBytes = (bytes: number) => 'x'.repeat(bytes - 2);

async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

describe('invokeLikeLambda', () => {
  it('hands the handler its event and returns its result as JSON carries them', async () => {
    // Prepare
    let seen: unknown;
    const run = invokeLikeLambda(SPEC, async (event) => {
      seen = event;
      return { at: new Date(Date.UTC(2026, 0, 2)), gone: undefined, kept: [1, 'a'] };
    });

    // Act
    const result = await run({ when: new Date(Date.UTC(2026, 0, 1)), skip: undefined, n: 1 });

    // Assess
    expect(seen).toEqual({ when: '2026-01-01T00:00:00.000Z', n: 1 });
    expect(result).toEqual({ at: '2026-01-02T00:00:00.000Z', kept: [1, 'a'] });
  });

  it('returns null for a handler that returns nothing', async () => {
    // Act
    const result = await invokeLikeLambda(SPEC, async () => undefined)({});

    // Assess
    expect(result).toBeNull();
  });

  it('gives the handler a Lambda context for the function', async () => {
    // Prepare
    let context: Context | undefined;
    const run = invokeLikeLambda(SPEC, async (_event, given) => {
      context = given;
    });

    // Act
    await run({});

    // Assess
    expect(context).toMatchObject({
      functionName: 'signet-probe',
      invokedFunctionArn: localFunctionArn('probe', process.env['AWS_REGION'] ?? 'us-east-1'),
      memoryLimitInMB: '512',
      functionVersion: '$LATEST',
    });
    expect(context?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    const remaining = context?.getRemainingTimeInMillis() ?? 0;
    expect(remaining).toBeGreaterThan(19_000);
    expect(remaining).toBeLessThanOrEqual(20_000);
  });

  it('turns a thrown error into its name and the Node.js runtime error JSON as message', async () => {
    // Prepare
    const thrown = new TypeError('bad shape');

    // Act
    const error = await failure(
      invokeLikeLambda(SPEC, async () => {
        throw thrown;
      })({}),
    );

    // Assess
    expect(error.name).toBe('TypeError');
    expect(JSON.parse(error.message)).toEqual({
      errorType: 'TypeError',
      errorMessage: 'bad shape',
      trace: thrown.stack?.split('\n'),
    });
  });

  it('names a thrown value that is not an Error after its type, with an empty trace', async () => {
    // Act
    const error = await failure(
      invokeLikeLambda(SPEC, async () => {
        throw 'just text';
      })({}),
    );

    // Assess
    expect(error.name).toBe('string');
    expect(JSON.parse(error.message)).toEqual({
      errorType: 'string',
      errorMessage: 'just text',
      trace: [],
    });
  });

  it.each([
    { label: 'an input', input: jsonOfBytes(KIB_256 + 1), output: null, called: false },
    { label: 'a result', input: null, output: jsonOfBytes(KIB_256 + 1), called: true },
  ])(
    'refuses $label over 256 KiB with the terminal States.DataLimitExceeded',
    async ({ input, output, called }) => {
      // Prepare
      let calls = 0;
      const run = invokeLikeLambda(SPEC, async () => {
        calls += 1;
        return output;
      });

      // Act
      const error = await failure(run(input));

      // Assess
      expect(error.name).toBe(DATA_LIMIT_EXCEEDED);
      expect(error.message).toContain('exceeding the maximum number of bytes service limit');
      // What aws-local-stepfunctions reads to decide Retry and Catch.
      expect(error['isRetryable']).toBe(false);
      expect(error['isCatchable']).toBe(false);
      expect(calls).toBe(called ? 1 : 0);
    },
  );

  it('accepts an input and a result of exactly 256 KiB', async () => {
    // Prepare
    const payload = jsonOfBytes(KIB_256);

    // Act
    const result = await invokeLikeLambda(SPEC, async (event) => event)(payload);

    // Assess
    expect(Buffer.byteLength(JSON.stringify(result))).toBe(KIB_256);
  });
});
