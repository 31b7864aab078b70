import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { startDeployment } from '../../functions/start-deployment/handler.ts';
import { testTools } from '../helpers/handler-tools.ts';

const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:signet-deploy';

function uploaded(key: string, versionId = '3sL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY') {
  return {
    version: '0',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    detail: {
      bucket: { name: 'artifacts' },
      object: { key, size: 10, etag: 'abc', 'version-id': versionId },
      requester: '123456789012',
    },
  };
}

describe('start-deployment', () => {
  const sfn = mockClient(SFNClient);
  const handler = startDeployment({
    sfn: () => new SFNClient({ region: 'us-east-1' }),
    stateMachineArn: () => STATE_MACHINE,
  });

  beforeEach(() => {
    sfn.reset();
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: 'arn:execution', startDate: new Date() });
  });

  it('starts one execution named after the object version, with the event as input', async () => {
    // Act
    const result = await handler(uploaded('releases/web/web-1.4.0.tar.gz'), testTools());

    // Assess
    const calls = sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.stateMachineArn).toBe(STATE_MACHINE);
    expect(input?.name).toMatch(/^web-1_4_0-[0-9a-f]{16}$/);
    expect(JSON.parse(input?.input ?? '')).toEqual(uploaded('releases/web/web-1.4.0.tar.gz'));
    expect(result).toEqual({ started: true, executionArn: 'arn:execution', name: input?.name });
  });

  it('names the same object version the same way, and another version differently', async () => {
    await handler(uploaded('releases/web/web-1.4.0.tar.gz', 'v1'), testTools());
    await handler(uploaded('releases/web/web-1.4.0.tar.gz', 'v1'), testTools());
    await handler(uploaded('releases/web/web-1.4.0.tar.gz', 'v2'), testTools());
    const names = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.name);
    expect(names[0]).toBe(names[1]);
    expect(names[2]).not.toBe(names[0]);
    expect(names.every((name) => (name ?? '').length <= 80)).toBe(true);
  });

  it('treats a duplicate delivery as done, not as an error', async () => {
    const duplicate = new Error('Execution Already Exists');
    duplicate.name = 'ExecutionAlreadyExists';
    sfn.on(StartExecutionCommand).rejects(duplicate);
    await expect(
      handler(uploaded('releases/web/web-1.4.0.tar.gz'), testTools()),
    ).resolves.toMatchObject({
      started: false,
      reason: 'duplicate',
    });
  });

  it.each([
    'releases/web/web-1.4.0.tar.gz.sig',
    'releases/web/notes.txt',
    'releases/web/web-1.4.tar.gz',
  ])('starts nothing for %s', async (key) => {
    const result = await handler(uploaded(key), testTools());
    expect(result).toEqual({ started: false, reason: 'not-a-release' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('keeps the longest names within 80 characters of letters, digits, - and _', async () => {
    const app = `a${'b'.repeat(38)}c`;
    await handler(
      uploaded(`releases/${app}/${app}-123456789.123456789.123456789-rc.1.tar.gz`),
      testTools(),
    );
    const name = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.name ?? '';
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
