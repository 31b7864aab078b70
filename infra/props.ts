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
   * label; each becomes `<prefix>/apps/<app>/trusted-keys/<label>`. An app must trust at least
   * one key: OpenPGP, KMS (`trustedKmsKeys`), or the deployer's `kmsSigningKey`.
   *
   * @default {} - no OpenPGP key
   */
  readonly trustedKeys?: Readonly<Record<string, string>>;

  /**
   * ARNs of AWS KMS keys (ECC_NIST_P256, SIGN_VERIFY) trusted to sign the app's releases, by
   * label; each becomes `<prefix>/apps/<app>/trusted-kms-keys/<label>`, and the verify function
   * may call kms:Verify on it (the key's own policy must allow that too).
   *
   * @default {} - no KMS key besides the deployer's `kmsSigningKey`
   */
  readonly trustedKmsKeys?: Readonly<Record<string, string>>;

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

  /**
   * A KMS release key (ECC_NIST_P256, SIGN_VERIFY) and a role that GitHub Actions of one
   * repository and ref assume through OIDC to sign releases with it and upload them. The apps
   * it covers trust it next to their own keys.
   *
   * @default - none: releases are signed with the apps' own OpenPGP or KMS keys
   */
  readonly kmsSigningKey?: KmsSigningKeyProps;
}

/** The KMS release key and the GitHub Actions role that signs with it (docs/AWS.md). */
export interface KmsSigningKeyProps {
  /** The GitHub repository, `owner/name`, whose workflows may assume the release role. */
  readonly githubRepository: string;

  /**
   * The Git ref those workflows must run on: the role trusts OIDC tokens whose `sub` is exactly
   * `repo:<githubRepository>:ref:<githubRef>`.
   *
   * @default 'refs/heads/main'
   */
  readonly githubRef?: string;

  /**
   * Apps whose releases the key signs; each trusts it under `label`, and the role may upload
   * under their `releases/<app>/` prefixes only.
   *
   * @default - every app
   */
  readonly apps?: readonly string[];

  /**
   * The label the apps trust the key under (audit records and messages show it).
   *
   * @default 'github-release'
   */
  readonly label?: string;

  /**
   * An existing KMS key's ARN to sign with, instead of a new key. Its key policy stays yours: it
   * must let the release role call kms:Sign and the verify function kms:Verify.
   *
   * @default - a new ECC_NIST_P256 key whose policy lets only the release role sign
   */
  readonly existingKeyArn?: string;

  /**
   * The account's existing IAM OIDC provider for `token.actions.githubusercontent.com` (an
   * account holds one provider per URL).
   *
   * @default - a new provider
   */
  readonly githubOidcProviderArn?: string;
}

export const DEFAULT_PARAMETER_PREFIX = '/signet';
export const DEFAULT_NONCURRENT_VERSION_EXPIRY_DAYS = 90;
export const DEFAULT_COMMAND_OUTPUT_EXPIRY_DAYS = 30;
export const DEFAULT_GITHUB_REF = 'refs/heads/main';
export const DEFAULT_SIGNING_KEY_LABEL = 'github-release';
