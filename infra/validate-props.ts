import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Token } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { type AppConfig, parseAppConfig } from '../core/app-config.ts';
import type { StoredKmsKey, StoredTrustedKey } from '../core/app-config-store.ts';
import { ConfigInvalid, SignetError } from '../core/errors.ts';
import { isAppName } from '../core/release-names.ts';
import { isKmsKeyArn, KMS_KEY_ARN_SHAPE } from '../core/verification/index.ts';
import { LAMBDA_FUNCTIONS } from '../functions/manifest.ts';
import {
  DEFAULT_COMMAND_OUTPUT_EXPIRY_DAYS,
  DEFAULT_NONCURRENT_VERSION_EXPIRY_DAYS,
  DEFAULT_PARAMETER_PREFIX,
  type SignetAppProps,
  type SignetDeployerProps,
} from './props.ts';
import { type ValidatedSigningKey, validateSigningKey } from './validate-signing-key.ts';

/** An app whose configuration passed parseAppConfig and whose keys look like public keys. */
export interface ValidatedApp {
  readonly name: string;
  readonly config: AppConfig;
  readonly trustedKeys: readonly StoredTrustedKey[];
  /** KMS keys the app's props name; the deployer's signing key is added when it is built. */
  readonly trustedKmsKeys: readonly StoredKmsKey[];
}

/** SignetDeployerProps with every default filled in and every value checked. */
export interface ValidatedProps {
  readonly apps: readonly ValidatedApp[];
  readonly bundleDir: string;
  readonly alertEmails: readonly string[];
  readonly noncurrentVersionExpiryDays: number;
  readonly commandOutputExpiryDays: number;
  readonly parameterPrefix: string;
  readonly logRetention: RetentionDays;
  readonly kmsSigningKey: ValidatedSigningKey | null;
}

export const DEFAULT_BUNDLE_DIR = join(import.meta.dirname, '..', 'dist', 'functions');

// Parameter names allow letters, digits and . - _ /; `aws` and `ssm` prefixes are reserved.
const PREFIX_PATTERN = /^\/(?!aws|ssm)[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/i;
const KEY_LABEL_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// An Advanced-tier parameter holds at most 8 KB; armored keys larger than that are unusual.
const MAX_ARMORED_KEY_CHARS = 8192;

/**
 * Checks the props before anything is built, so a bad app config fails `cdk synth` (naming the
 * construct and the app) instead of the first deployment.
 */
export function validateProps(scope: IConstruct, props: SignetDeployerProps): ValidatedProps {
  const where = scope.node.path;
  const fail = (message: string, details: Record<string, unknown> = {}): never => {
    throw new ConfigInvalid(`${where}: ${message}`, { details: { construct: where, ...details } });
  };

  if (props.apps.length === 0) fail('apps must name at least one app');

  const names = props.apps.map((app) => app.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) fail(`app ${repeated} is configured twice`, { app: repeated });

  const alertEmails = props.alertEmails ?? [];
  for (const email of alertEmails) {
    if (!EMAIL_PATTERN.test(email)) fail(`alert email "${email}" is not an email address`);
  }

  const parameterPrefix = props.parameterPrefix ?? DEFAULT_PARAMETER_PREFIX;
  if (!PREFIX_PATTERN.test(parameterPrefix)) {
    fail(`parameterPrefix "${parameterPrefix}" must be a path like /signet (not under /aws, /ssm)`);
  }

  const bundleDir = props.bundleDir ?? DEFAULT_BUNDLE_DIR;
  for (const spec of LAMBDA_FUNCTIONS) {
    const file = join(bundleDir, spec.id, 'index.mjs');
    if (!existsSync(file)) {
      fail(`the bundle ${file} is missing: run \`npm run build\` first`, { file });
    }
  }

  const kmsSigningKey =
    props.kmsSigningKey === undefined
      ? null
      : validateSigningKey(props.kmsSigningKey, props.apps, fail);

  return {
    apps: props.apps.map((app) => validateApp(app, kmsSigningKey, fail)),
    bundleDir,
    alertEmails,
    noncurrentVersionExpiryDays: days(
      props.noncurrentVersionExpiryDays ?? DEFAULT_NONCURRENT_VERSION_EXPIRY_DAYS,
      'noncurrentVersionExpiryDays',
      fail,
    ),
    commandOutputExpiryDays: days(
      props.commandOutputExpiryDays ?? DEFAULT_COMMAND_OUTPUT_EXPIRY_DAYS,
      'commandOutputExpiryDays',
      fail,
    ),
    parameterPrefix,
    logRetention: props.logRetention ?? RetentionDays.THREE_MONTHS,
    kmsSigningKey,
  };
}

type Fail = (message: string, details?: Record<string, unknown>) => never;

function validateApp(
  app: SignetAppProps,
  signingKey: ValidatedSigningKey | null,
  fail: Fail,
): ValidatedApp {
  if (!isAppName(app.name)) {
    fail(`app name "${app.name}" must be lower-case letters, digits and inner hyphens (1-40)`, {
      app: app.name,
    });
  }
  let config: AppConfig;
  try {
    config = parseAppConfig(app.name, app.config ?? {});
  } catch (error) {
    if (!(error instanceof SignetError)) throw error;
    return fail(error.message, { app: app.name });
  }
  const trustedKeys = Object.entries(app.trustedKeys ?? {}).map(([label, armoredPublicKey]) =>
    validateKey(app.name, label, armoredPublicKey, fail),
  );
  const trustedKmsKeys = Object.entries(app.trustedKmsKeys ?? {}).map(([label, keyArn]) =>
    validateKmsKey(app.name, label, keyArn, fail),
  );
  const signedByDeployerKey = signingKey?.apps.includes(app.name) === true;
  if (trustedKeys.length === 0 && trustedKmsKeys.length === 0 && !signedByDeployerKey) {
    fail(`app ${app.name} has no trusted keys: no release could ever be verified`, {
      app: app.name,
    });
  }
  const labels = [
    ...trustedKeys.map((key) => key.label),
    ...trustedKmsKeys.map((key) => key.label),
    ...(signedByDeployerKey && signingKey !== null ? [signingKey.label] : []),
  ];
  const repeated = labels.find((label, index) => labels.indexOf(label) !== index);
  if (repeated !== undefined) {
    fail(`app ${app.name} uses the trusted key label "${repeated}" twice`, { app: app.name });
  }
  return { name: app.name, config, trustedKeys, trustedKmsKeys };
}

function validateKmsKey(app: string, label: string, keyArn: string, fail: Fail): StoredKmsKey {
  const where = `trusted KMS key "${label}" of app ${app}`;
  if (!KEY_LABEL_PATTERN.test(label)) {
    fail(`${where}: a label is 1-64 letters, digits, '.', '_' or '-'`, { app, label });
  }
  // A key made in the same CDK app is a token until deployment; KMS checks it then.
  if (!Token.isUnresolved(keyArn) && !isKmsKeyArn(keyArn)) {
    fail(`${where} is not a KMS key ARN (${KMS_KEY_ARN_SHAPE}; no aliases)`, { app, label });
  }
  return { label, keyArn };
}

function validateKey(app: string, label: string, armored: string, fail: Fail): StoredTrustedKey {
  const where = `trusted key "${label}" of app ${app}`;
  if (!KEY_LABEL_PATTERN.test(label)) {
    fail(`${where}: a label is 1-64 letters, digits, '.', '_' or '-'`, { app, label });
  }
  const text = armored.trim();
  if (text.includes('PRIVATE KEY BLOCK')) {
    fail(`${where} is a private key: only public keys belong in a stack`, { app, label });
  }
  if (
    !text.startsWith('-----BEGIN PGP PUBLIC KEY BLOCK-----') ||
    !text.endsWith('-----END PGP PUBLIC KEY BLOCK-----')
  ) {
    fail(`${where} is not an armored OpenPGP public key (gpg --armor --export)`, { app, label });
  }
  if (text.length > MAX_ARMORED_KEY_CHARS) {
    fail(`${where} is ${text.length} characters, over Parameter Store's 8 KB`, { app, label });
  }
  return { label, armoredPublicKey: `${text}\n` };
}

function days(value: number, name: string, fail: Fail): number {
  if (!Number.isInteger(value) || value < 1 || value > 3650) {
    fail(`${name} must be a whole number of days from 1 to 3650`, { [name]: value });
  }
  return value;
}
