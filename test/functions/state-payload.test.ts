import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { S3Client } from '@aws-sdk/client-s3';
import {
  type CommandInvocation,
  DescribeInstanceInformationCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import type { CommandState } from '../../core/command-state.ts';
import type { DeploymentState } from '../../core/deployment-state.ts';
import { decideOutcome } from '../../core/outcome.ts';
import { checkCommand } from '../../functions/check-command/handler.ts';
import { resolveTargets } from '../../functions/resolve-targets/handler.ts';
import { startCommand } from '../../functions/start-command/handler.ts';
import { stubAppParameters } from '../helpers/app-parameters.ts';
import { testTools } from '../helpers/handler-tools.ts';

// Step Functions' limit on an execution's state and on a Task's input or output.
const STATE_LIMIT_BYTES = 256 * 1024;
// "Far under": a quarter of the limit, so a fleet four times larger would still fit.
const BUDGET_BYTES = STATE_LIMIT_BYTES / 4;
const FLEET = 200;
const OUTPUT_BYTES = 6 * 1024;

const ids = Array.from({ length: FLEET }, (_, i) => `i-${i.toString(16).padStart(17, '0')}`);
const previous = {
  version: '1.1.0',
  bucket: 'artifacts',
  key: 'releases/web/web-1.1.0.tar.gz',
  versionId: 'v2'.repeat(16),
  etag: 'e2'.repeat(16),
  sha256: 'b'.repeat(64),
  signer: 'F'.repeat(40),
  signatureKey: 'releases/web/web-1.1.0.tar.gz.sig',
  signatureVersionId: 'sv'.repeat(16),
  deployedAt: '2026-12-04T09:00:00.000Z',
  execution: `arn:aws:states:us-east-1:123456789012:execution:signet-deploy:${'x'.repeat(80)}`,
};
const request = {
  app: 'web',
  version: '1.2.0',
  bucket: 'artifacts',
  key: 'releases/web/web-1.2.0.tar.gz',
  versionId: 'v3'.repeat(16),
  etag: 'e3'.repeat(16),
  intent: 'release' as const,
  requestedBy: 'arn:aws:sts::123456789012:assumed-role/ci-release/session',
  source: 'eventbridge' as const,
  expectedSha256: null,
  signature: null,
};
const artifact = {
  app: request.app,
  version: request.version,
  bucket: request.bucket,
  key: request.key,
  versionId: request.versionId,
  etag: request.etag,
  sha256: 'c'.repeat(64),
  size: 1024 ** 3,
  signer: {
    type: 'openpgp' as const,
    label: 'ci',
    fingerprint: 'A'.repeat(40),
    keyId: 'A'.repeat(16),
    userIds: ['CI <ci@example.test>'],
    signedAt: '2026-12-04T09:00:00.000Z',
  },
  signatureKey: 'releases/web/web-1.2.0.tar.gz.sig',
  signatureVersionId: 'sv'.repeat(16),
};

/** What the local runner (and Lambda's Node.js runtime) puts into `Cause` for a thrown error. */
function caught(error: unknown): { Error: string; Cause: string } {
  const thrown = error as Error;
  const cause = {
    errorType: thrown.name,
    errorMessage: thrown.message,
    trace: thrown.stack?.split('\n'),
  };
  return { Error: thrown.name, Cause: JSON.stringify(cause) };
}

const failedWithOutput = (commandId: string) => (input: { CommandId?: string }) => ({
  CommandInvocations: ids.map(
    (id): CommandInvocation => ({
      CommandId: input.CommandId ?? commandId,
      InstanceId: id,
      Status: 'Failed',
      StatusDetails: 'Failed',
      CommandPlugins: [
        {
          ResponseCode: 69,
          Output: `${'signet: a long line of install output '.repeat(OUTPUT_BYTES / 40)}\nfailed`,
        },
      ],
    }),
  ),
});

describe('the execution state at 200 instances', () => {
  it('stays far under 256 KB when each instance fails with 6 KB of output, rollback too', async () => {
    // Prepare: the handlers, fed by SDK mocks as large as SSM's answers get.
    const ec2 = mockClient(EC2Client);
    const ssm = mockClient(SSMClient);
    stubAppParameters(ssm, {
      config: { rollout: { batchSize: 50, maximumFailed: '5%' } },
      record: { app: 'web', current: previous, previous: null, highestVersion: '1.1.0' },
    });
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        { Instances: ids.map((id) => ({ InstanceId: id, State: { Name: 'running' } })) },
      ],
    });
    ssm.on(DescribeInstanceInformationCommand).callsFake((input) => ({
      InstanceInformationList: input.Filters[0].Values.map((id: string) => ({
        InstanceId: id,
        PingStatus: 'Online',
      })),
    }));
    let sent = 0;
    ssm
      .on(SendCommandCommand)
      .callsFake(() => ({ Command: { CommandId: `${++sent}`.padStart(36, 'c') } }));
    ssm.on(ListCommandInvocationsCommand).callsFake(failedWithOutput('c'));
    const resolve = resolveTargets({
      ec2: () => new EC2Client({ region: 'us-east-1' }),
      ssm: () => new SSMClient({ region: 'us-east-1' }),
      parameterPrefix: () => '/signet',
    });
    const start = startCommand({
      ssm: () => new SSMClient({ region: 'us-east-1' }),
      s3: () =>
        new S3Client({
          region: 'us-east-1',
          credentials: { accessKeyId: 'A', secretAccessKey: 'S' },
        }),
      parameterPrefix: () => '/signet',
      documentName: () => 'SignetDeploy',
      artifactUrlSeconds: () => 600,
      outputBucket: () => ({ bucket: 'artifacts', prefix: 'command-output/' }),
    });
    const check = checkCommand({ ssm: () => new SSMClient({ region: 'us-east-1' }) });
    const sizes: number[] = [];
    const measure = (state: DeploymentState) => {
      sizes.push(Buffer.byteLength(JSON.stringify(state)));
      return state;
    };

    // Act: the last batch's install fails everywhere; the rollback of all 200 fails too.
    const lock = {
      app: 'web',
      owner: previous.execution,
      acquiredAt: '2026-12-04T10:00:00.000Z',
      expiresAt: '2026-12-04T12:00:00.000Z',
    };
    const plan = await resolve({ app: 'web', request }, testTools());
    const batchIndex = plan.batchCount - 1;
    const base = { deploymentId: 'web-1_2_0-0123456789abcdef', app: 'web', batches: plan.batches };
    let state = measure({
      request,
      artifact,
      lock,
      plan,
      rollout: { batchIndex },
    } as DeploymentState);
    const install = await start(
      {
        ...base,
        phase: 'install',
        release: artifact,
        batchIndex,
        tolerance: plan.tolerance,
        tolerated: [],
      },
      testTools(),
    );
    state = measure({ ...state, command: install });
    const failure = await check({ command: install }, testTools()).then(() => null, caught);
    state = measure({ ...state, failure: failure ?? { Error: 'none' } });
    const rollback: CommandState = await start(
      { ...base, phase: 'rollback', release: previous, batchIndex },
      testTools(),
    );
    state = measure({ ...state, rollbackCommand: rollback });
    const rollbackFailure = await check({ command: rollback }, testTools()).then(
      () => null,
      caught,
    );
    state = measure({ ...state, rollbackFailure: rollbackFailure ?? { Error: 'none' } });
    measure({ ...state, outcome: decideOutcome(state) } as DeploymentState);

    // Assess
    const largest = Math.max(...sizes);
    process.stdout.write(`largest state at ${FLEET} instances: ${largest} bytes\n`);
    expect(failure?.Error).toBe('InstallFailed');
    expect(rollbackFailure?.Error).toBe('RollbackFailed');
    expect(rollbackFailure?.Cause).toContain(ids[FLEET - 1]);
    expect(sizes).toHaveLength(6);
    expect(largest).toBeLessThan(BUDGET_BYTES);
  });
});
