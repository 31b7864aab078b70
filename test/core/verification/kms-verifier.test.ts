import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KmsVerifyRequest, kmsVerifier } from '../../../core/verification/index.ts';
import { AwsServiceError, type JsonService } from '../../../local/control-plane/service-types.ts';
import { type LocalKms, serveKms } from '../../helpers/local-kms.ts';
import { expectError, rejectionOf } from './fixtures.ts';

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0d5e7bbe-8a3c-4f4e-9a26-0ad1d5c3e0a1';
const QUESTION: KmsVerifyRequest = {
  app: 'web',
  label: 'release',
  keyArn: KEY_ARN,
  digest: new Uint8Array(32),
  signature: Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01),
};

/** What the fake KMS answers to Verify next, and every Verify body it received. */
interface Script {
  answer: () => Record<string, unknown>;
  readonly bodies: Record<string, unknown>[];
}

// A KMS that answers as told: real AWS errors by code and status, or moto's SignatureValid false.
function scriptedKms(script: Script): JsonService {
  return {
    protocol: 'json',
    targetPrefix: 'TrentService',
    operations: {
      async Verify(input) {
        script.bodies.push(input);
        return script.answer();
      },
    },
  };
}

const failWith = (code: string, status: number) => () => {
  throw new AwsServiceError(code, `${code} from the fake`, status);
};

describe('kmsVerifier', () => {
  const script: Script = { answer: () => ({}), bodies: [] };
  let kms: LocalKms;

  beforeAll(async () => {
    kms = await serveKms(scriptedKms(script));
  });
  afterAll(async () => {
    await kms.close();
  });

  /** A verifier whose client tries `attempts` times, with the SDK's standard retries. */
  const verifierWith = (attempts: number) =>
    kmsVerifier(() => kms.clientWith({ maxAttempts: attempts, retryMode: 'standard' }));

  it('asks Verify with the key, the raw digest as DIGEST and ECDSA_SHA_256', async () => {
    // Prepare
    script.bodies.length = 0;
    script.answer = () => ({
      KeyId: KEY_ARN,
      SignatureValid: true,
      SigningAlgorithm: 'ECDSA_SHA_256',
    });

    // Act
    const valid = await verifierWith(1)(QUESTION);

    // Assess
    expect(valid).toBe(true);
    expect(script.bodies).toEqual([
      {
        KeyId: KEY_ARN,
        Message: Buffer.from(QUESTION.digest).toString('base64'),
        MessageType: 'DIGEST',
        Signature: Buffer.from(QUESTION.signature).toString('base64'),
        SigningAlgorithm: 'ECDSA_SHA_256',
      },
    ]);
  });

  it.each([
    {
      label: "AWS's KMSInvalidSignatureException",
      answer: failWith('KMSInvalidSignatureException', 400),
    },
    {
      label: "moto's SignatureValid false",
      answer: () => ({ KeyId: KEY_ARN, SignatureValid: false }),
    },
  ])('reads $label as an invalid signature, asking once', async ({ answer }) => {
    // Prepare
    script.bodies.length = 0;
    script.answer = answer;

    // Act
    const valid = await verifierWith(3)(QUESTION);

    // Assess
    expect(valid).toBe(false);
    expect(script.bodies).toHaveLength(1);
  });

  it.each([
    { code: 'KMSInternalException', status: 500 },
    { code: 'DependencyTimeoutException', status: 503 },
    { code: 'InternalFailure', status: 500 },
  ])(
    'lets the SDK retry $code ($status), then answers AwsThrottled, which is retryable',
    async ({ code, status }) => {
      // Prepare
      script.bodies.length = 0;
      script.answer = failWith(code, status);

      // Act
      const error = await rejectionOf(verifierWith(3)(QUESTION));

      // Assess
      expectError(error, 'AwsThrottled', 'app web', '"release"', KEY_ARN, code);
      expect(error).toMatchObject({ retryable: true });
      expect(script.bodies).toHaveLength(3);
    },
  );

  it('answers throttling the SDK gave up on with AwsThrottled', async () => {
    // Prepare: one attempt, so the test does not wait out the SDK's throttling backoff.
    script.answer = failWith('ThrottlingException', 400);

    // Act
    const error = await rejectionOf(verifierWith(1)(QUESTION));

    // Assess
    expectError(error, 'AwsThrottled', 'ThrottlingException');
    expect(error).toMatchObject({ retryable: true });
  });

  it.each([
    { code: 'DisabledException', error: 'SignerRevoked' },
    { code: 'KMSInvalidStateException', error: 'SignerRevoked' },
    { code: 'NotFoundException', error: 'ConfigInvalid' },
    { code: 'InvalidKeyUsageException', error: 'ConfigInvalid' },
    { code: 'AccessDeniedException', error: 'AwsRequestFailed' },
  ])('answers $code with $error, not retryable', async ({ code, error: name }) => {
    // Prepare
    script.bodies.length = 0;
    script.answer = failWith(code, 400);

    // Act
    const error = await rejectionOf(verifierWith(3)(QUESTION));

    // Assess
    expectError(error, name, KEY_ARN, code);
    expect(error).toMatchObject({ retryable: false });
    expect(script.bodies).toHaveLength(1);
  });
});
