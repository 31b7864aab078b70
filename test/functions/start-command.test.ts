import { S3Client } from '@aws-sdk/client-s3';
import { SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { type StartCommandEvent, startCommand } from '../../functions/start-command/handler.ts';
import { stubAppParameters } from '../helpers/app-parameters.ts';
import { testTools } from '../helpers/handler-tools.ts';

const release = {
  version: '1.4.0',
  bucket: 'artifacts',
  key: 'releases/web/web-1.4.0.tar.gz',
  versionId: 'v7',
  sha256: 'c'.repeat(64),
};
const ids = (count: number, offset = 0) =>
  Array.from({ length: count }, (_, i) => `i-${(i + offset).toString(16).padStart(17, '0')}`);

describe('start-command', () => {
  const ssm = mockClient(SSMClient);
  let sent = 0;
  const handler = startCommand({
    ssm: () => new SSMClient({ region: 'us-east-1' }),
    s3: () =>
      new S3Client({
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      }),
    parameterPrefix: () => '/signet',
    documentName: () => 'SignetDeploy',
    artifactUrlSeconds: () => 600,
    outputBucket: () => ({ bucket: 'artifacts', prefix: 'command-output/' }),
    now: () => new Date('2026-12-04T10:00:00Z'),
  });
  const event = (
    phase: StartCommandEvent['phase'],
    batches: string[][],
    batchIndex = 0,
  ): StartCommandEvent => ({
    phase,
    app: 'web',
    deploymentId: 'web-1_4_0-0123456789abcdef',
    release,
    batches,
    batchIndex,
  });

  beforeEach(() => {
    ssm.reset();
    sent = 0;
    stubAppParameters(ssm, { config: { polling: { initialSeconds: 3, maxSeconds: 20 } } });
    ssm.on(SendCommandCommand).callsFake(() => ({ Command: { CommandId: `command-${++sent}` } }));
  });

  it('sends the install to the current batch with every parameter as a one-string list', async () => {
    // Act
    const state = await handler(event('install', [ids(2), ids(2, 2)], 1), testTools());

    // Assess
    const input = ssm.commandCalls(SendCommandCommand)[0]?.args[0].input;
    expect(input?.DocumentName).toBe('SignetDeploy');
    expect(input?.InstanceIds).toEqual(ids(2, 2));
    expect(input?.Parameters?.['Action']).toEqual(['install']);
    expect(input?.Parameters?.['Version']).toEqual(['1.4.0']);
    expect(input?.Parameters?.['ArtifactSha256']).toEqual(['c'.repeat(64)]);
    expect(Object.values(input?.Parameters ?? {}).every((v) => v.length === 1)).toBe(true);
    expect(input?.OutputS3KeyPrefix).toBe('command-output/web/web-1_4_0-0123456789abcdef/install');
    expect(state).toMatchObject({
      phase: 'install',
      commands: [{ commandId: 'command-1', instanceIds: ids(2, 2) }],
      waitSeconds: 3,
      maxWaitSeconds: 20,
      done: false,
      sentAt: '2026-12-04T10:00:00.000Z',
    });
  });

  it('pins the presigned URL to the object version and never returns it', async () => {
    const state = await handler(event('install', [ids(1)]), testTools());
    const url =
      ssm.commandCalls(SendCommandCommand)[0]?.args[0].input.Parameters?.['ArtifactUrl']?.[0] ?? '';
    expect(url).toContain('versionId=v7');
    expect(url).toContain('X-Amz-Expires=600');
    expect(JSON.stringify(state)).not.toContain('X-Amz-Signature');
  });

  it('turns an execution name the document would refuse into one it accepts', async () => {
    await handler({ ...event('health', [ids(1)]), deploymentId: 'redeploy.web@1' }, testTools());
    const parameters = ssm.commandCalls(SendCommandCommand)[0]?.args[0].input.Parameters;
    expect(parameters?.['DeploymentId']).toEqual(['redeploy_web_1']);
  });

  it('sends no URL or digest with a health check', async () => {
    await handler(event('health', [ids(1)]), testTools());
    const parameters = ssm.commandCalls(SendCommandCommand)[0]?.args[0].input.Parameters;
    expect(parameters?.['Action']).toEqual(['health']);
    expect(parameters?.['ArtifactUrl']).toEqual(['']);
    expect(parameters?.['ArtifactSha256']).toEqual(['']);
  });

  it('rolls back every batch touched so far, 50 instances per command at most', async () => {
    const state = await handler(
      event('rollback', [ids(50), ids(50, 50), ids(20, 100)], 1),
      testTools(),
    );
    const calls = ssm.commandCalls(SendCommandCommand);
    expect(calls.map((c) => c.args[0].input.InstanceIds?.length)).toEqual([50, 50]);
    expect(calls[0]?.args[0].input.Parameters?.['Action']).toEqual(['rollback']);
    expect(state.commands.map((c) => c.commandId)).toEqual(['command-1', 'command-2']);
  });

  it('refuses parameters that break the document patterns before calling SSM', async () => {
    const hostile = {
      ...event('install', [ids(1)]),
      release: { ...release, version: '1.0.0;touch /tmp/x' },
    };
    await expect(handler(hostile, testTools())).rejects.toMatchObject({ name: 'InputInvalid' });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  describe('with tolerated failures', () => {
    const tolerance = { instanceCount: 4, maximumFailed: 2, minimumHealthy: 0 };
    const tolerated = [{ instanceId: 'i-a', phase: 'install', status: 'Failed' }];

    it('health-checks only the batch instances that did not fail, and carries the policy', async () => {
      // Act
      const state = await handler(
        { ...event('health', [['i-a', 'i-b']]), tolerance, tolerated },
        testTools(),
      );

      // Assess
      expect(ssm.commandCalls(SendCommandCommand)[0]?.args[0].input.InstanceIds).toEqual(['i-b']);
      expect(state).toMatchObject({ tolerance, tolerated, done: false });
    });

    it('sends nothing and is done when every instance of the batch failed within tolerance', async () => {
      // Act
      const state = await handler(
        { ...event('health', [['i-a']]), tolerance, tolerated },
        testTools(),
      );

      // Assess
      expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
      expect(state).toMatchObject({ commands: [], done: true, tolerated });
    });

    it('rolls back every touched instance, failed ones included, with no tolerance', async () => {
      // Act
      const state = await handler(
        { ...event('rollback', [['i-a', 'i-b'], ['i-c']], 1), tolerance, tolerated },
        testTools(),
      );

      // Assess
      expect(ssm.commandCalls(SendCommandCommand)[0]?.args[0].input.InstanceIds).toEqual([
        'i-a',
        'i-b',
        'i-c',
      ]);
      expect(state.tolerance).toBeUndefined();
    });
  });

  it.each([
    ['throttling', 'ThrottlingException', 400, 'AwsThrottled'],
    ['access denied', 'AccessDeniedException', 403, 'AwsRequestFailed'],
  ])('turns %s at SendCommand into %s', async (_label, name, code, expected) => {
    // Prepare
    const error = Object.assign(new Error(`${name}: not for you`), {
      name,
      $metadata: { httpStatusCode: code },
      $fault: 'client',
    });
    ssm.on(SendCommandCommand).rejects(error);

    // Act / Assess
    await expect(handler(event('install', [ids(2)]), testTools())).rejects.toMatchObject({
      name: expected,
      message: expect.stringContaining('not for you'),
    });
  });

  it.each([
    ['health', ['web-5xx']],
    ['install', undefined],
    ['rollback-health', undefined],
  ] as const)(
    'carries the app’s alarm gate into a %s phase only where it applies',
    async (phase, alarms) => {
      // Prepare
      ssm.reset();
      stubAppParameters(ssm, { config: { health: { alarms: ['web-5xx'] } } });
      ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'c-1' } });

      // Act
      const state = await handler(event(phase, [ids(2)]), testTools());

      // Assess
      expect(state.alarms).toEqual(alarms);
    },
  );
});
