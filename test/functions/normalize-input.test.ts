import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeployedRelease } from '../../core/release-record.ts';
import { type NormalizedInput, normalizeInput } from '../../functions/normalize-input/handler.ts';
import { stubAppParameters } from '../helpers/app-parameters.ts';
import { testTools } from '../helpers/handler-tools.ts';

const recorded = (version: string, versionId: string): DeployedRelease => ({
  version,
  bucket: 'artifacts',
  key: `releases/web/web-${version}.tar.gz`,
  versionId,
  etag: `etag-${version}`,
  sha256: version.replaceAll('.', '').padEnd(64, 'a'),
  signer: 'F'.repeat(40),
  signatureKey: null,
  signatureVersionId: null,
  deployedAt: '2026-12-04T09:00:00.000Z',
  execution: 'arn:x',
});

function accepted(result: NormalizedInput) {
  if (!('request' in result)) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result;
}

describe('normalize-input', () => {
  const s3 = mockClient(S3Client);
  const ssm = mockClient(SSMClient);
  const handler = normalizeInput({
    s3: () => new S3Client({ region: 'us-east-1' }),
    ssm: () => new SSMClient({ region: 'us-east-1' }),
    parameterPrefix: () => '/signet',
    artifactBucket: () => 'artifacts',
  });

  beforeEach(() => {
    s3.reset();
    ssm.reset();
    stubAppParameters(ssm, {
      record: {
        app: 'web',
        current: recorded('1.1.0', 'v2'),
        previous: recorded('1.0.0', 'v1'),
        highestVersion: '1.1.0',
      },
    });
    s3.on(HeadObjectCommand).resolves({ VersionId: 'latest-version', ETag: '"latest-etag"' });
  });

  it('pins a manual bucket and key to the version it holds now', async () => {
    const { request } = accepted(
      await handler(
        { input: { bucket: 'artifacts', key: 'releases/web/web-2.0.0.tar.gz' } },
        testTools(),
      ),
    );
    expect(s3.commandCalls(HeadObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'artifacts',
      Key: 'releases/web/web-2.0.0.tar.gz',
    });
    expect(request).toMatchObject({
      version: '2.0.0',
      versionId: 'latest-version',
      intent: 'release',
    });
  });

  it('redeploys a recorded version with its recorded bytes and digest', async () => {
    const { request } = accepted(
      await handler({ input: { app: 'web', version: '1.0.0' } }, testTools()),
    );
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
    expect(request).toMatchObject({
      version: '1.0.0',
      versionId: 'v1',
      intent: 'redeploy',
      expectedSha256: recorded('1.0.0', 'v1').sha256,
    });
  });

  it('rolls back to the recorded previous release', async () => {
    const { request } = accepted(
      await handler(
        { input: { app: 'web', intent: 'rollback', requestedBy: 'alice' } },
        testTools(),
      ),
    );
    expect(request).toMatchObject({
      version: '1.0.0',
      versionId: 'v1',
      intent: 'rollback',
      requestedBy: 'alice',
      // What "back" is from: ResolveTargets refuses the rollback if this changed meanwhile.
      fromVersion: '1.1.0',
    });
  });

  it('refuses a rollback with nothing recorded before', async () => {
    ssm.reset();
    stubAppParameters(ssm, {
      record: {
        app: 'web',
        current: recorded('1.1.0', 'v2'),
        previous: null,
        highestVersion: '1.1.0',
      },
    });
    const result = await handler({ input: { app: 'web', intent: 'rollback' } }, testTools());
    expect(result).toMatchObject({
      rejected: { app: 'web', version: null },
      failure: { Error: 'NothingToRollBackTo' },
    });
  });

  it('refuses a redeploy of a version that was never uploaded', async () => {
    const missing = new Error('Not Found');
    missing.name = 'NotFound';
    s3.on(HeadObjectCommand).rejects(missing);
    const result = await handler({ input: { app: 'web', version: '9.9.9' } }, testTools());
    expect(result).toMatchObject({
      rejected: { app: 'web', version: '9.9.9' },
      failure: { Error: 'InputInvalid', Cause: expect.stringContaining('web-9.9.9.tar.gz') },
    });
  });

  it.each([
    [
      'an object outside the artifact bucket',
      { bucket: 'elsewhere', key: 'releases/web/web-1.3.0.tar.gz' },
      '1.3.0',
      'release',
    ],
    ['an unknown intent for a valid app', { app: 'web', intent: 'release' }, null, 'redeploy'],
    [
      'a valid app with a version that is not one',
      { app: 'web', version: 'latest' },
      null,
      'redeploy',
    ],
  ])('refuses %s, recording it for that app only', async (_label, input, version, intent) => {
    const result = await handler({ input }, testTools());
    expect(result).toMatchObject({
      rejected: { app: 'web', version, intent },
      failure: { Error: 'InputInvalid' },
    });
  });

  it('fails outright, keeping nothing, for input that names no app', async () => {
    await expect(
      handler({ input: { app: 'Web;id', version: '1.0.0' } }, testTools()),
    ).rejects.toMatchObject({
      name: 'InputInvalid',
    });
  });

  it('lets a fault of its own (not the request’s) fail the state for Step Functions to retry', async () => {
    s3.on(HeadObjectCommand).rejects(new Error('socket hang up'));
    await expect(handler({ input: { app: 'web', version: '9.9.9' } }, testTools())).rejects.toThrow(
      'socket hang up',
    );
  });
});
