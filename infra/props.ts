import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { AppConfig } from '../core/app-config.ts';

type ConfigSections = Omit<AppConfig, 'app'>;

/**
 * An app's configuration document as core/app-config.ts reads it from Parameter Store: every
 * section and field optional, the parser fills in its defaults and refuses unknown keys.
 */
export type AppConfigInput = {
  readonly [Section in keyof ConfigSections]?: Partial<ConfigSections[Section]>;
};

/** One app Signet deploys. */
export interface SignetAppProps {
  /** The app's name, as in `releases/<app>/<app>-<version>.tar.gz`; lower-case, digits, `-`. */
  readonly name: string;

  /**
   * Armored OpenPGP public keys (`gpg --armor --export`) trusted to sign the app's releases, by
   * label; each becomes `<prefix>/apps/<app>/trusted-keys/<label>`. At least one is required.
   */
  readonly trustedKeys: Readonly<Record<string, string>>;

  /**
   * Targets, rollout, health, install, artifact and polling settings, written to
   * `<prefix>/apps/<app>/config` after parseAppConfig has validated them at synth time.
   *
   * @default {} - parseAppConfig's defaults: instances tagged `signet:app=<name>`, batches of
   * 50, a health check of `GET :8080/health` expecting 200
   */
  readonly config?: AppConfigInput;
}

/** Properties of a SignetDeployer. */
export interface SignetDeployerProps {
  /** The apps to deploy; their tags bound where SendCommand may run. At least one. */
  readonly apps: readonly SignetAppProps[];

  /**
   * Directory holding each Lambda's bundle as `<id>/index.mjs`, as bundleFunctions() in
   * esbuild.config.ts writes it.
   *
   * @default `dist/functions` in this repository (`npm run build` writes it)
   */
  readonly bundleDir?: string;

  /**
   * Email addresses subscribed to the alert topic (each must confirm the subscription).
   *
   * @default [] - the topic exists, nobody is subscribed
   */
  readonly alertEmails?: readonly string[];

  /**
   * Days a replaced or deleted artifact version stays in the bucket before S3 expires it.
   *
   * @default 90
   */
  readonly noncurrentVersionExpiryDays?: number;

  /**
   * Days the SSM agent's full command output stays under `command-output/`.
   *
   * @default 30
   */
  readonly commandOutputExpiryDays?: number;

  /**
   * Parameter Store path under which every app's config, trusted keys and release record live.
   *
   * @default '/signet'
   */
  readonly parameterPrefix?: string;

  /**
   * How long CloudWatch Logs keeps the Lambdas' and the state machine's logs.
   *
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;

  // Limitation: the KMS signer is not wired into verification or IAM yet, so setting this
  // prop fails synthesis instead of deploying a signer that nothing checks.
  /**
   * An AWS KMS asymmetric key (ECDSA P-256) trusted to sign releases, next to the OpenPGP keys.
   *
   * @default - none: releases are verified with the apps' OpenPGP keys only
   */
  readonly kmsSigningKey?: IKey;
}

export const DEFAULT_PARAMETER_PREFIX = '/signet';
export const DEFAULT_NONCURRENT_VERSION_EXPIRY_DAYS = 90;
export const DEFAULT_COMMAND_OUTPUT_EXPIRY_DAYS = 30;
