import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { VerifiedRelease } from '../../core/verified-release.ts';
import { recordRelease } from '../../functions/record-release/handler.ts';
import { stubAppParameters } from '../helpers/app-parameters.ts';
import { testTools } from '../helpers/handler-tools.ts';

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
