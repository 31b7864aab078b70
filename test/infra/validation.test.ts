import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
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
      'a KMS signing key, not wired yet',
      (stack) => ({ kmsSigningKey: new kms.Key(stack, 'Signer') }),
      /kmsSigningKey is not supported yet/,
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
