import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeInstancesCommand, EC2Client, type InstanceStateName } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  DescribeInstanceInformationCommand,
  type PingStatus,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import * as openpgp from 'openpgp';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkAppConfig } from '../../../core/doctor/app-config.ts';
import { checkAppTargets } from '../../../core/doctor/app-targets.ts';
import { checkAppTrustedKeys } from '../../../core/doctor/app-trusted-keys.ts';
import { stubAppParameters } from '../../helpers/app-parameters.ts';
import { awsError } from '../../helpers/aws-error.ts';

const KEY = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'infra', 'keys', 'web-example.asc'),
  'utf8',
);
const KMS_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const SELECTOR = { tagKey: 'signet:app', tagValue: 'web' };

const ssm = mockClient(SSMClient);
const kms = mockClient(KMSClient);
const ec2 = mockClient(EC2Client);
const clients = {
  ssm: new SSMClient({ region: 'us-east-1' }),
  kms: new KMSClient({ region: 'us-east-1' }),
  ec2: new EC2Client({ region: 'us-east-1' }),
};
beforeEach(() => {
  ssm.reset();
  kms.reset();
  ec2.reset();
});

describe('the app config check', () => {
  it('passes and hands over the parsed configuration', async () => {
    // Prepare
    stubAppParameters(ssm, { config: { targets: { tagValue: 'web-prod' } } });

    // Act
    const checked = await checkAppConfig(clients.ssm, '/signet', 'web');

    // Assess
    expect(checked.results).toEqual([{ check: 'app-config', target: 'web', ok: true }]);
    expect(checked.config?.targets).toEqual({ tagKey: 'signet:app', tagValue: 'web-prod' });
  });

  it.each([
    [
      'a missing configuration',
      {},
      'App web has no configuration at /signet/apps/web/config',
      'add app web to infra/signet.config.json',
    ],
    [
      'a misspelt key',
      { config: { health: { bakeSecond: 5 } } },
      'unknown key(s) bakeSecond',
      'correct the config of app web in infra/signet.config.json',
    ],
  ])('fails for %s, saying where to correct it', async (_label, values, problem, fix) => {
    // Prepare
    stubAppParameters(ssm, values);

    // Act
    const checked = await checkAppConfig(clients.ssm, '/signet', 'web');

    // Assess
    expect(checked.config).toBeUndefined();
    expect(checked.results[0]?.ok).toBe(false);
    expect(checked.results[0]?.problem).toContain(problem);
    expect(checked.results[0]?.fix).toContain(fix);
  });
});

describe('the trusted keys check', () => {
  const check = () => checkAppTrustedKeys(clients, '/signet', 'web');
  const kmsKey = (metadata: Record<string, unknown>) =>
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: {
        KeyId: KMS_ARN,
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        KeyState: 'Enabled',
        ...metadata,
      },
    });

  it('passes for an OpenPGP public key and an ECC_NIST_P256 signing key in KMS', async () => {
    // Prepare
    stubAppParameters(ssm, { keys: { release: KEY }, kmsKeys: { ci: KMS_ARN } });
    kmsKey({});

    // Act
    const results = await check();

    // Assess
    expect(results).toEqual([{ check: 'app-trusted-keys', target: 'web', ok: true }]);
    expect(kms.commandCalls(DescribeKeyCommand)[0]?.args[0].input).toEqual({ KeyId: KMS_ARN });
  });

  it('fails for an app that trusts no key: every release would be refused', async () => {
    // Prepare
    stubAppParameters(ssm, {});

    // Act
    const [result] = await check();

    // Assess
    expect(result?.ok).toBe(false);
    expect(result?.problem).toContain('app web trusts no signing key');
    expect(result?.fix).toContain('trustedKeyFiles');
  });

  it('names every key that does not parse, each with its parameter', async () => {
    // Prepare
    const { privateKey } = await openpgp.generateKey({
      type: 'curve25519',
      userIDs: [{ name: 'Leaked', email: 'leaked@example.test' }],
      format: 'armored',
    });
    stubAppParameters(ssm, { keys: { garbage: 'not a key', leaked: privateKey, good: KEY } });

    // Act
    const results = await check();

    // Assess
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    expect(results[0]?.problem).toContain('trusted key "garbage" is not an armored OpenPGP');
    expect(results[0]?.problem).toContain('(parameter /signet/apps/web/trusted-keys/garbage)');
    expect(results[1]?.problem).toContain('"leaked" is a PRIVATE key');
    expect(results[1]?.fix).toContain('gpg --armor --export');
  });

  it.each([
    [
      'an alias instead of a key ARN',
      { kmsKeys: { ci: 'alias/release' } },
      {},
      'not a KMS key ARN',
    ],
    [
      'an RSA key',
      { kmsKeys: { ci: KMS_ARN } },
      { KeySpec: 'RSA_2048' },
      'is a RSA_2048 SIGN_VERIFY key, not ECC_NIST_P256 SIGN_VERIFY',
    ],
    [
      'an encryption key',
      { kmsKeys: { ci: KMS_ARN } },
      { KeyUsage: 'ENCRYPT_DECRYPT' },
      'not ECC_NIST_P256 SIGN_VERIFY',
    ],
    ['a disabled key', { kmsKeys: { ci: KMS_ARN } }, { KeyState: 'Disabled' }, 'is Disabled'],
  ])('fails for %s', async (_label, values, metadata, problem) => {
    // Prepare
    stubAppParameters(ssm, values);
    kmsKey(metadata);

    // Act
    const results = await check();

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]?.ok).toBe(false);
    expect(results[0]?.problem).toContain(problem);
    expect(results[0]?.problem).toContain('(parameter /signet/apps/web/trusted-kms-keys/ci)');
  });

  it('fails for a missing KMS key, and tells how to enable a disabled one', async () => {
    // Prepare
    stubAppParameters(ssm, {
      kmsKeys: { ci: KMS_ARN, old: KMS_ARN.replace('1234abcd', 'ffffffff') },
    });
    kms
      .on(DescribeKeyCommand, { KeyId: KMS_ARN })
      .rejects(awsError('NotFoundException', `Key '${KMS_ARN}' does not exist`));
    kms.on(DescribeKeyCommand, { KeyId: KMS_ARN.replace('1234abcd', 'ffffffff') }).resolves({
      KeyMetadata: {
        KeyId: 'x',
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        KeyState: 'Disabled',
      },
    });

    // Act
    const results = await check();

    // Assess
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    expect(results[0]?.problem).toContain(`trusted KMS key "ci" (${KMS_ARN}) does not exist`);
    expect(results[1]?.fix).toBe(
      `aws kms enable-key --key-id ${KMS_ARN.replace('1234abcd', 'ffffffff')}`,
    );
  });

  it('fails for a label trusted both as an OpenPGP key and a KMS key', async () => {
    // Prepare
    stubAppParameters(ssm, { keys: { release: KEY }, kmsKeys: { release: KMS_ARN } });
    kmsKey({});

    // Act
    const [result] = await check();

    // Assess
    expect(result?.ok).toBe(false);
    expect(result?.problem).toContain('label "release" is used twice');
  });
});

describe('the targets check', () => {
  function fleet(instances: [id: string, state: string, ping?: PingStatus][]) {
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: instances.map(([id, state]) => ({
            InstanceId: id,
            State: { Name: state as InstanceStateName },
          })),
        },
      ],
    });
    ssm.on(DescribeInstanceInformationCommand).resolves({
      InstanceInformationList: instances
        .filter(([, , ping]) => ping !== undefined)
        .map(([id, , ping]) => ({ InstanceId: id, PingStatus: ping })),
    });
  }

  it('passes when every tagged instance is running and online', async () => {
    // Prepare
    fleet([['i-0a', 'running', 'Online']]);

    // Act
    const results = await checkAppTargets(clients.ec2, clients.ssm, 'web', SELECTOR);

    // Assess
    expect(results).toEqual([{ check: 'app-targets', target: 'web', ok: true }]);
  });

  it('passes with a warning naming each unreachable instance and its fix', async () => {
    // Prepare
    fleet([
      ['i-0a', 'running', 'Online'],
      ['i-0b', 'stopped'],
      ['i-0c', 'running'],
      ['i-0d', 'running', 'ConnectionLost'],
    ]);

    // Act
    const results = await checkAppTargets(clients.ec2, clients.ssm, 'web', SELECTOR);

    // Assess
    expect(results.map((r) => [r.ok, r.warning ?? false])).toEqual([
      [true, false],
      [true, true],
      [true, true],
      [true, true],
    ]);
    expect(results[1]?.problem).toContain('instance i-0b tagged signet:app=web is stopped');
    expect(results[1]?.fix).toContain('aws ec2 start-instances --instance-ids i-0b');
    expect(results[2]?.problem).toContain('i-0c tagged signet:app=web has no SSM agent registered');
    expect(results[3]?.problem).toContain('has its SSM agent ConnectionLost');
  });

  it('fails when no tagged instance is reachable', async () => {
    // Prepare
    fleet([['i-0b', 'stopped']]);

    // Act
    const results = await checkAppTargets(clients.ec2, clients.ssm, 'web', SELECTOR);

    // Assess
    expect(results.map((r) => r.ok)).toEqual([false, true]);
    expect(results[0]?.problem).toBe(
      'no running instance tagged signet:app=web has its SSM agent online: deployments of web ' +
        'fail with NoTargets',
    );
    expect(results[0]?.fix).toContain('aws ssm describe-instance-information');
  });
});
