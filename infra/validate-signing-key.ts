import { Token } from 'aws-cdk-lib';
import { isKmsKeyArn, KMS_KEY_ARN_SHAPE } from '../core/verification/index.ts';
import {
  DEFAULT_GITHUB_REF,
  DEFAULT_SIGNING_KEY_LABEL,
  type KmsSigningKeyProps,
  type SignetAppProps,
} from './props.ts';

/** KmsSigningKeyProps with defaults filled in and every value checked. */
export interface ValidatedSigningKey {
  readonly githubRepository: string;
  readonly githubRef: string;
  /** The apps that trust the key. */
  readonly apps: readonly string[];
  readonly label: string;
  readonly existingKeyArn: string | null;
  readonly githubOidcProviderArn: string | null;
}

type Fail = (message: string, details?: Record<string, unknown>) => never;

// GitHub's own rules: an owner of letters, digits and hyphens; a name of letters, digits, . _ -.
const REPOSITORY_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
// A full ref, matched exactly by the role's trust policy: no wildcards, nothing a sub claim lacks.
const REF_PATTERN = /^refs\/(?:heads|tags)\/[A-Za-z0-9._/-]{1,200}$/;
const LABEL_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const OIDC_PROVIDER_PATTERN =
  /^arn:aws(?:-[a-z]+)*:iam::[0-9]{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/**
 * Checks the kmsSigningKey prop: a GitHub repository and a full ref (the role trusts exactly
 * that ref), known apps, a label, and ARNs of the right shape when given.
 */
export function validateSigningKey(
  props: KmsSigningKeyProps,
  apps: readonly SignetAppProps[],
  fail: Fail,
): ValidatedSigningKey {
  const where = 'kmsSigningKey';
  if (!REPOSITORY_PATTERN.test(props.githubRepository)) {
    fail(`${where}.githubRepository "${props.githubRepository}" must be owner/name`);
  }
  const githubRef = props.githubRef ?? DEFAULT_GITHUB_REF;
  if (!REF_PATTERN.test(githubRef) || githubRef.includes('..')) {
    fail(`${where}.githubRef "${githubRef}" must be a full ref like refs/heads/main, no wildcards`);
  }
  const label = props.label ?? DEFAULT_SIGNING_KEY_LABEL;
  if (!LABEL_PATTERN.test(label))
    fail(`${where}.label "${label}" must be 1-64 of A-Z a-z 0-9 . _ -`);
  const names = apps.map((app) => app.name);
  const covered = props.apps ?? names;
  const unknown = covered.filter((app) => !names.includes(app));
  if (unknown.length > 0 || covered.length === 0) {
    fail(
      `${where}.apps must name configured apps (unknown: ${unknown.join(', ') || 'none given'})`,
    );
  }
  const existingKeyArn = props.existingKeyArn ?? null;
  if (
    existingKeyArn !== null &&
    !Token.isUnresolved(existingKeyArn) &&
    !isKmsKeyArn(existingKeyArn)
  ) {
    fail(`${where}.existingKeyArn "${existingKeyArn}" is not a KMS key ARN (${KMS_KEY_ARN_SHAPE})`);
  }
  const provider = props.githubOidcProviderArn ?? null;
  if (provider !== null && !Token.isUnresolved(provider) && !OIDC_PROVIDER_PATTERN.test(provider)) {
    fail(`${where}.githubOidcProviderArn "${provider}" is not the ARN of GitHub's OIDC provider`);
  }
  return {
    githubRepository: props.githubRepository,
    githubRef,
    apps: covered,
    label,
    existingKeyArn,
    githubOidcProviderArn: provider,
  };
}
