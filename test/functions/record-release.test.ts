import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { VerifiedRelease } from '../../core/verified-release.ts';
import { recordRelease } from '../../functions/record-release/handler.ts';
import { stubAppParameters } from '../helpers/app-parameters.ts';
import { testTools } from '../helpers/handler-tools.ts';

const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0d5e7bbe-8a3c-4f4e-9a26-0ad1d5c3e0a1';

const artifact = (version: string): VerifiedRelease => ({
  app: 'web',
  version,
  bucket: 'artifacts',
  key: `releases/web/web-${version}.tar.gz`,
  versionId: `v-${version}`,
  etag: 'e',
  sha256: 'd'.repeat(64),
  size: 100,
  signer: {
    type: 'openpgp',
    label: 'ci',
    fingerprint: 'F'.repeat(40),
    keyId: 'F'.repeat(16),
    userIds: [],
    signedAt: '',
  },
  signatureKey: `releases/web/web-${version}.tar.gz.sig`,
  signatureVersionId: null,
});

describe('record-release', () => {
  const ssm = mockClient(SSMClient);
  const handler = recordRelease({
    ssm: () => new SSMClient({ region: 'us-east-1' }),
    parameterPrefix: () => '/signet',
    now: () => new Date('2026-12-04T12:00:00Z'),
  });

  beforeEach(() => ssm.reset());

  it('makes the release current and the old current previous', async () => {
    stubAppParameters(ssm, {});
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    await handler({ app: 'web', artifact: artifact('1.0.0'), execution: 'arn:one' }, testTools());
    const first = JSON.parse(ssm.commandCalls(PutParameterCommand)[0]?.args[0].input.Value ?? '');
    expect(first).toMatchObject({
      app: 'web',
      current: { version: '1.0.0', versionId: 'v-1.0.0' },
      previous: null,
    });

    ssm.reset();
    stubAppParameters(ssm, { record: first });
    ssm.on(PutParameterCommand).resolves({ Version: 2 });
    const next = await handler(
      { app: 'web', artifact: artifact('1.1.0'), execution: 'arn:two' },
      testTools(),
    );
    const input = ssm.commandCalls(PutParameterCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Name: '/signet/apps/web/release',
      Overwrite: true,
      Type: 'String',
    });
    expect(next).toMatchObject({
      current: { version: '1.1.0', execution: 'arn:two' },
      previous: { version: '1.0.0' },
    });
  });

  it.each([
    {
      label: 'an OpenPGP signer by its fingerprint',
      signer: artifact('1.0.0').signer,
      named: 'F'.repeat(40),
      signatureKey: 'releases/web/web-1.0.0.tar.gz.sig',
    },
    {
      label: 'a KMS signer by its key ARN',
      signer: { type: 'kms' as const, keyArn: KMS_KEY_ARN, label: 'release', signedAt: null },
      named: KMS_KEY_ARN,
      signatureKey: 'releases/web/web-1.0.0.tar.gz.kms.json',
    },
  ])('records $label, with the signature object it was verified with', async (c) => {
    // Prepare
    stubAppParameters(ssm, {});
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    const verified = { ...artifact('1.0.0'), signer: c.signer, signatureKey: c.signatureKey };

    // Act
    const record = await handler(
      { app: 'web', artifact: verified, execution: 'arn:one' },
      testTools(),
    );

    // Assess
    expect(record.current).toMatchObject({ signer: c.named, signatureKey: c.signatureKey });
  });

  it('fails loudly, naming what was deployed, when the record cannot be written', async () => {
    stubAppParameters(ssm, {});
    ssm.on(PutParameterCommand).rejects(new Error('AccessDenied'));
    await expect(
      handler({ app: 'web', artifact: artifact('1.0.0'), execution: 'arn:one' }, testTools()),
    ).rejects.toMatchObject({
      name: 'RecordWriteFailed',
      message: expect.stringContaining('Deployed web 1.0.0, but its release record'),
    });
  });
});
