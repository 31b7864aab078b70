import { join } from 'node:path';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  configParameterName,
  trustedKeysPath,
  trustedKmsKeysPath,
} from '../core/parameter-paths.ts';
import { exportPublicKey, firstFingerprint, generateSigningKey } from '../release/gpg.ts';

/** The example app every local stack can deploy: a small HTTP service with hooks. */
export const EXAMPLE_APP_DIR = join(import.meta.dirname, '..', 'examples', 'web');

/**
 * The example app's configuration for local runs: the same settings as in AWS, with probes and
 * polls short enough that a whole deployment takes seconds. Each local instance overrides the
 * port with its own SIGNET_HTTP_PORT.
 */
export const LOCAL_APP_CONFIG = {
  health: {
    path: '/health',
    port: 8080,
    retries: 10,
    intervalSeconds: 0.2,
    bakeSeconds: 1,
    timeoutSeconds: 2,
  },
  install: { keepReleases: 3, commandTimeoutSeconds: 300 },
  polling: { initialSeconds: 1, maxSeconds: 2 },
};

/**
 * Registers an app with Signet the way the deployment stack does in AWS: its configuration and
 * its trusted signing keys (OpenPGP public keys, KMS key ARNs), in Parameter Store.
 */
export async function registerApp(
  ssm: SSMClient,
  options: {
    readonly prefix: string;
    readonly app: string;
    readonly config: unknown;
    readonly trustedKeys: readonly { readonly label: string; readonly armoredPublicKey: string }[];
    readonly trustedKmsKeys?: readonly { readonly label: string; readonly keyArn: string }[];
  },
): Promise<void> {
  await ssm.send(
    new PutParameterCommand({
      Name: configParameterName(options.prefix, options.app),
      Type: 'String',
      Overwrite: true,
      Value: JSON.stringify(options.config),
    }),
  );
  for (const key of options.trustedKeys) {
    await ssm.send(
      new PutParameterCommand({
        Name: `${trustedKeysPath(options.prefix, options.app)}/${key.label}`,
        Type: 'String',
        Tier: key.armoredPublicKey.length > 4096 ? 'Advanced' : 'Standard',
        Overwrite: true,
        Value: key.armoredPublicKey,
      }),
    );
  }
  for (const key of options.trustedKmsKeys ?? []) {
    await ssm.send(
      new PutParameterCommand({
        Name: `${trustedKmsKeysPath(options.prefix, options.app)}/${key.label}`,
        Type: 'String',
        Overwrite: true,
        Value: key.keyArn,
      }),
    );
  }
}

/**
 * Makes the example app deployable on a local stack: a signing key in `gnupgHome` (the one
 * already there, or a new one) trusted for the app, and the app's local configuration. Returns
 * the key's fingerprint. Uses the stack's environment, like any other client.
 */
export async function trustLocalSigningKey(options: {
  readonly gnupgHome: string;
  readonly userId: string;
  readonly label: string;
  readonly app?: string;
  readonly prefix?: string;
}): Promise<string> {
  const home = { home: options.gnupgHome };
  const fingerprint =
    (await firstFingerprint(home)) ?? (await generateSigningKey(options.userId, home));
  const ssm = new SSMClient({});
  try {
    await registerApp(ssm, {
      prefix: options.prefix ?? '/signet',
      app: options.app ?? 'web',
      config: LOCAL_APP_CONFIG,
      trustedKeys: [
        { label: options.label, armoredPublicKey: await exportPublicKey(fingerprint, home) },
      ],
    });
  } finally {
    ssm.destroy();
  }
  return fingerprint;
}

/**
 * Makes the example app deployable with a KMS signing key on a local stack: a new ECC_NIST_P256
 * key in the stack's KMS, trusted for the app (with no OpenPGP key), and the app's local
 * configuration. Returns the key's ARN, for `signet release --kms-key`.
 */
export async function trustLocalKmsKey(options: {
  readonly label: string;
  readonly app?: string;
  readonly prefix?: string;
}): Promise<string> {
  const kms = new KMSClient({});
  const ssm = new SSMClient({});
  try {
    const created = await kms.send(
      new CreateKeyCommand({
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        Description: `Signet release key "${options.label}"`,
      }),
    );
    const keyArn = created.KeyMetadata?.Arn;
    if (keyArn === undefined) throw new Error('KMS CreateKey answered without a key ARN');
    await registerApp(ssm, {
      prefix: options.prefix ?? '/signet',
      app: options.app ?? 'web',
      config: LOCAL_APP_CONFIG,
      trustedKeys: [],
      trustedKmsKeys: [{ label: options.label, keyArn }],
    });
    return keyArn;
  } finally {
    kms.destroy();
    ssm.destroy();
  }
}
