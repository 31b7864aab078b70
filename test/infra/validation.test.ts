import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigInvalid } from '../../core/errors.ts';
import type { SignetDeployerProps } from '../../infra/props.ts';
import { SignetDeployer } from '../../infra/signet-deployer.ts';
import { EXAMPLE_KEY, stubBundleDir } from '../helpers/infra-stack.ts';

let root: string;
let bundleDir: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'signet-infra-validation-'));
  bundleDir = stubBundleDir(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const web = { name: 'web', trustedKeys: { release: EXAMPLE_KEY } };
const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0d5e7bbe-8a3c-4f4e-9a26-0ad1d5c3e0a1';

/** WHEN a deployer is built in stack Prod at path Prod/Deploy/Signet. */
function build(
  props: Partial<SignetDeployerProps> | ((stack: Stack) => Partial<SignetDeployerProps>),
) {
  const stack = new Stack(new App(), 'Prod');
  const deploy = new Construct(stack, 'Deploy');
  const given = typeof props === 'function' ? props(stack) : props;
  return new SignetDeployer(deploy, 'Signet', { apps: [web], bundleDir, ...given });
}

describe('SignetDeployer validation', () => {
  it('accepts the minimal props', () => {
    expect(() => build({})).not.toThrow();
  });

  it.each<[string, Partial<SignetDeployerProps>]>([
    [
      'an app trusting KMS key ARNs only',
      { apps: [{ name: 'web', trustedKmsKeys: { ci: KMS_KEY_ARN } }] },
    ],
    [
      "an app trusting the deployer's KMS signing key only",
      { apps: [{ name: 'web' }], kmsSigningKey: { githubRepository: 'acme/web' } },
    ],
  ])('accepts %s', (_label, props) => {
    expect(() => build(props)).not.toThrow();
  });

  it.each<
    [
      string,
      Partial<SignetDeployerProps> | ((stack: Stack) => Partial<SignetDeployerProps>),
      RegExp,
    ]
  >([
    ['no apps', { apps: [] }, /at least one app/],
    ['an app twice', { apps: [web, web] }, /app web is configured twice/],
    ['a bad app name', { apps: [{ ...web, name: 'Web_App' }] }, /app name "Web_App"/],
    [
      'an unknown config key',
      { apps: [{ ...web, config: { health: { bakeSecond: 5 } } as never }] },
      /configuration of app web: health has unknown key\(s\) bakeSecond/,
    ],
    [
      'a config value out of range',
      { apps: [{ ...web, config: { rollout: { batchSize: 51 } } }] },
      /configuration of app web: batchSize must be a number from 1 to 50/,
    ],
    ['no trusted key', { apps: [{ ...web, trustedKeys: {} }] }, /app web has no trusted keys/],
    [
      'a private key',
      {
        apps: [
          {
            ...web,
            trustedKeys: {
              oops: '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxx\n-----END PGP PRIVATE KEY BLOCK-----',
            },
          },
        ],
      },
      /trusted key "oops" of app web is a private key/,
    ],
    [
      'text that is not a key',
      { apps: [{ ...web, trustedKeys: { release: 'ssh-ed25519 AAAA me@host' } }] },
      /trusted key "release" of app web is not an armored OpenPGP public key/,
    ],
    [
      'a key label Parameter Store would refuse',
      { apps: [{ ...web, trustedKeys: { 'my key': EXAMPLE_KEY } }] },
      /trusted key "my key" of app web: a label is/,
    ],
    [
      'a bad alert email',
      { alertEmails: ['ops at example.com'] },
      /alert email "ops at example.com"/,
    ],
    [
      'a reserved parameter prefix',
      { parameterPrefix: '/aws/signet' },
      /parameterPrefix "\/aws\/signet"/,
    ],
    ['a relative parameter prefix', { parameterPrefix: 'signet' }, /parameterPrefix "signet"/],
    [
      'zero retention days',
      { noncurrentVersionExpiryDays: 0 },
      /noncurrentVersionExpiryDays must be/,
    ],
    ['fractional days', { commandOutputExpiryDays: 1.5 }, /commandOutputExpiryDays must be/],
    [
      'a missing bundle',
      { bundleDir: '/nonexistent/bundles' },
      /index\.mjs is missing: run `npm run build`/,
    ],
    [
      'a GitHub repository that is not owner/name',
      { kmsSigningKey: { githubRepository: 'web' } },
      /kmsSigningKey.githubRepository "web" must be owner\/name/,
    ],
    [
      'a GitHub ref with a wildcard',
      { kmsSigningKey: { githubRepository: 'acme/web', githubRef: 'refs/heads/*' } },
      /kmsSigningKey.githubRef "refs\/heads\/\*" must be a full ref/,
    ],
    [
      'a branch name instead of a full ref',
      { kmsSigningKey: { githubRepository: 'acme/web', githubRef: 'main' } },
      /kmsSigningKey.githubRef "main" must be a full ref/,
    ],
    [
      'a signing key for an app that is not configured',
      { kmsSigningKey: { githubRepository: 'acme/web', apps: ['api'] } },
      /kmsSigningKey.apps must name configured apps \(unknown: api\)/,
    ],
    [
      'an existing signing key named by its alias',
      {
        kmsSigningKey: {
          githubRepository: 'acme/web',
          existingKeyArn: 'arn:aws:kms:us-east-1:123456789012:alias/release',
        },
      },
      /kmsSigningKey.existingKeyArn .* is not a KMS key ARN/,
    ],
    [
      'an OIDC provider of another issuer',
      {
        kmsSigningKey: {
          githubRepository: 'acme/web',
          githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/gitlab.com',
        },
      },
      /githubOidcProviderArn .* is not the ARN of GitHub's OIDC provider/,
    ],
    [
      'a trusted KMS key that is an alias',
      {
        apps: [{ ...web, trustedKmsKeys: { ci: 'arn:aws:kms:us-east-1:123456789012:alias/ci' } }],
      },
      /trusted KMS key "ci" of app web is not a KMS key ARN/,
    ],
    [
      'a label shared by an OpenPGP key and a KMS key',
      { apps: [{ ...web, trustedKmsKeys: { release: KMS_KEY_ARN } }] },
      /app web uses the trusted key label "release" twice/,
    ],
    [
      "a signing key label the app's own key has",
      { kmsSigningKey: { githubRepository: 'acme/web', label: 'release' } },
      /app web uses the trusted key label "release" twice/,
    ],
  ])('refuses %s, naming the construct path', (_label, props, message) => {
    let thrown: unknown;
    try {
      build(props);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigInvalid);
    expect((thrown as Error).message).toMatch(/^Prod\/Deploy\/Signet: /);
    expect((thrown as Error).message).toMatch(message);
  });
});
