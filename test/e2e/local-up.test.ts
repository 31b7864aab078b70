import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeploymentLock } from '../../core/deployment-lock.ts';
import { probeInstance } from '../../local/demo/instance-probe.ts';
import { EXAMPLE_APP_DIR, trustLocalSigningKey } from '../../local/example-app.ts';
import { startLocalStack } from '../../local/stack/local-stack.ts';
import type { LocalStack } from '../../local/stack/options.ts';
import { signDetached, stopGpgAgent } from '../../release/gpg.ts';
import { packageRelease } from '../../release/package-release.ts';
import { awaitExecution, forKey } from '../helpers/await-execution.ts';
import { runSignet } from '../helpers/run-signet.ts';

const run = promisify(execFile);

async function awsCliAvailable(): Promise<boolean> {
  const found = await run('aws', ['--version']).then(
    () => true,
    () => false,
  );
  if (!found && process.env['SIGNET_REQUIRE_TOOLS'] === '1') {
    throw new Error('the AWS CLI (aws) is required here but not installed');
  }
  return found;
}

const BOTO3_SCRIPT = join(import.meta.dirname, '..', 'helpers', 'boto3-client.py');

async function pythonWithBoto3(): Promise<boolean> {
  const found = await run('python3', ['-c', 'import boto3']).then(
    () => true,
    () => false,
  );
  if (!found && process.env['SIGNET_REQUIRE_TOOLS'] === '1') {
    throw new Error('python3 with boto3 is required here but not installed (pip install boto3)');
  }
  return found;
}

// `signet local up`'s stack used by hand: the CLI's release and the AWS CLI's uploads both
// start deployments, and the operator commands work against it.
describe('the local stack, used by hand', () => {
  let stack: LocalStack;
  let work: string;
  let gnupgHome: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'signet-up-'));
    gnupgHome = join(work, 'gnupg');
    // The AWS CLI takes seconds to start: give a late signature as long as `local up` does.
    stack = await startLocalStack({
      stateDir: join(work, 'state'),
      timing: { signatureRetryMs: 5000 },
    });
    await trustLocalSigningKey({
      gnupgHome,
      userId: 'Local Test <t@signet.invalid>',
      label: 'local',
    });
  }, 60_000);

  afterAll(async () => {
    await stopGpgAgent({ home: gnupgHome });
    await stack.close();
    await rm(work, { recursive: true, force: true });
  });

  it('deploys a release made by `signet release --wait`', async () => {
    const result = await runSignet([
      'release',
      EXAMPLE_APP_DIR,
      '--app',
      'web',
      '--version',
      '1.0.0',
      '--gnupghome',
      gnupgHome,
      '--wait',
    ]);
    expect(result.err).toBe('');
    expect(result.out).toContain('released web 1.0.0');
    expect(result.out).toMatch(/web-1_0_0-[0-9a-f]{16}: SUCCEEDED/);
    expect(result.code).toBe(0);
    const served = await Promise.all(stack.instances.map(probeInstance));
    expect(served.map((i) => i.version)).toEqual(['1.0.0', '1.0.0']);
  });

  it('deploys an upload made with tar, gpg --detach-sign and aws s3 cp, artifact first', async (context) => {
    if (!(await awsCliAvailable())) {
      context.skip('the AWS CLI is not installed: the aws s3 cp route was not run');
    }
    const artifact = await packageRelease({
      sourceDir: EXAMPLE_APP_DIR,
      app: 'web',
      version: '1.1.0',
      outFile: join(work, 'web-1.1.0.tar.gz'),
    });
    const signature = await signDetached(artifact.file, { home: gnupgHome, armor: true });
    const key = 'releases/web/web-1.1.0.tar.gz';
    const env = { ...process.env, ...stack.env };
    const cp = (from: string, to: string) =>
      run(
        'aws',
        ['s3', 'cp', from, `s3://${stack.bucket}/${to}`, '--endpoint-url', stack.endpoints.s3],
        { env },
      );

    // The signature arrives after the artifact: verification waits for it.
    await cp(artifact.file, key);
    await cp(signature, `${key}.asc`);

    const execution = await awaitExecution(stack, forKey(key));
    expect(execution.error ?? null).toBeNull();
    expect(execution.status).toBe('SUCCEEDED');
    const served = await Promise.all(stack.instances.map(probeInstance));
    expect(served.map((i) => i.version)).toEqual(['1.1.0', '1.1.0']);
  });

  it('reads the record, lists the fleet and commands an instance with the AWS CLI', async (context) => {
    if (!(await awsCliAvailable())) context.skip('the AWS CLI is not installed: not run');
    // Prepare
    const env = { ...process.env, ...stack.env };
    const aws = async (...args: string[]) =>
      JSON.parse((await run('aws', [...args, '--output', 'json'], { env })).stdout) as unknown;

    // Act
    const parameter = (await aws('ssm', 'get-parameter', '--name', '/signet/apps/web/release')) as {
      Parameter: { Value: string; Type: string };
    };
    const described = (await aws(
      'ec2',
      'describe-instances',
      '--filters',
      'Name=tag:signet:app,Values=web',
      'Name=instance-state-name,Values=running',
    )) as { Reservations: { Instances: { InstanceId: string; State: { Name: string } }[] }[] };
    const instance = stack.instances[0] ?? fail();
    const sent = (await aws(
      'ssm',
      'send-command',
      '--document-name',
      'AWS-RunShellScript',
      '--instance-ids',
      instance.id,
      '--parameters',
      'commands=["echo \\"$SIGNET_HTTP_PORT\\""]',
    )) as { Command: { CommandId: string; Status: string } };
    const invocation = await commandResult(aws, sent.Command.CommandId, instance.id);

    // Assess
    expect(sent.Command.Status).toBe('Pending');
    expect(invocation).toMatchObject({
      Status: 'Success',
      StatusDetails: 'Success',
      ResponseCode: 0,
      StandardOutputContent: `${instance.httpPort}\n`,
    });
    expect(parameter.Parameter.Type).toBe('String');
    expect(JSON.parse(parameter.Parameter.Value)).toMatchObject({
      app: 'web',
      current: { version: '1.1.0', key: 'releases/web/web-1.1.0.tar.gz', bucket: stack.bucket },
      previous: { version: '1.0.0' },
    });
    const found = described.Reservations.flatMap((r) => r.Instances);
    expect(found.map((i) => i.InstanceId).sort()).toEqual(stack.instances.map((i) => i.id).sort());
    expect(found.every((i) => i.State.Name === 'running')).toBe(true);
  });

  it('shows status and history, and redeploys and rolls back on request', async () => {
    const before = await runSignet(['status', 'web']);
    expect(before.code).toBe(0);
    expect(before.out).toMatch(/current\s+1\.1\.0/);

    // A refused re-release of 1.0.0 replaces its signature object with one over other bytes;
    // the redeploy must still verify the recorded bytes with the recorded signature.
    const again = await runSignet([
      'release',
      EXAMPLE_APP_DIR,
      '--app',
      'web',
      '--version',
      '1.0.0',
      '--gnupghome',
      gnupgHome,
      '--wait',
    ]);
    expect(again.out).toContain('VersionNotNewer');
    expect(again.code).toBe(1);

    const redeploy = await runSignet(['redeploy', 'web', '1.0.0']);
    expect(redeploy.out).toContain('SUCCEEDED');
    expect(redeploy.code).toBe(0);
    expect((await probeInstance(stack.instances[0] ?? fail())).version).toBe('1.0.0');

    const rollback = await runSignet(['rollback', 'web']);
    expect(rollback.out).toContain('SUCCEEDED');
    expect((await probeInstance(stack.instances[1] ?? fail())).version).toBe('1.1.0');

    const history = await runSignet(['history', 'web', '--json']);
    const entries = JSON.parse(history.out) as { record: { intent: string; outcome: string } }[];
    expect(entries.map((e) => `${e.record.intent} ${e.record.outcome}`)).toEqual(
      expect.arrayContaining(['redeploy Succeeded', 'rollback Succeeded', 'release Succeeded']),
    );
    const refused = await runSignet(['redeploy', 'web', '9.9.9']);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('InputInvalid');
    const latest = JSON.parse(
      (await runSignet(['history', 'web', '--limit', '1', '--json'])).out,
    ) as {
      record: { intent: string; outcome: string; artifact: { version: string } };
    }[];
    expect(latest[0]?.record).toMatchObject({
      intent: 'redeploy',
      outcome: 'Refused',
      artifact: { version: '9.9.9' },
    });
    expect((await runSignet(['audit', 'verify', 'web'])).code).toBe(0);
  });

  it('deploys a genuine release while an unsigned upload still waits for its signature', async () => {
    // Prepare: anyone with bucket write access, but no key, uploads junk with no signature.
    const s3 = new S3Client({});
    await s3.send(
      new PutObjectCommand({
        Bucket: stack.bucket,
        Key: 'releases/web/web-9.0.0.tar.gz',
        Body: 'junk',
      }),
    );

    // Act
    const genuine = await runSignet([
      'release',
      EXAMPLE_APP_DIR,
      '--app',
      'web',
      '--version',
      '1.2.0',
      '--gnupghome',
      gnupgHome,
      '--wait',
    ]);

    // Assess: the junk is still being verified (it holds no lock), the release went through.
    expect(genuine.out).toContain('SUCCEEDED');
    const junk = stack.stepFunctions.executions().find((e) => e.name.startsWith('web-9_0_0-'));
    expect(junk?.status).toBe('RUNNING');
    s3.destroy();
  });

  it('keeps nothing of an input it cannot read: a forged lock in it is not released', async () => {
    // Prepare: some deployment holds web's lock.
    const dynamodb = new DynamoDBClient({});
    const sfn = new SFNClient({});
    const lock = new DeploymentLock({ dynamodb, sfn, table: 'signet-state', leaseSeconds: 600 });
    const holder = `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:holder`;
    await lock.acquire('web', holder);

    // Act: an input that fails to parse but carries keys later states read.
    const forged = {
      app: 'web',
      intent: 'destroy',
      lock: { app: 'web', owner: holder },
      rollback: { status: 'RolledBack' },
    };
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: stack.stateMachineArn,
        name: 'forged-input',
        input: JSON.stringify(forged),
      }),
    );
    const execution = await stack.stepFunctions.waitFor(started.executionArn ?? '');

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InputInvalid');
    expect((await lock.holder('web'))?.owner).toBe(holder);
    await lock.release('web', holder);
    dynamodb.destroy();
    sfn.destroy();
  });

  it('deploys, reads the record, runs a command and lists instances with boto3', async (context) => {
    if (!(await pythonWithBoto3())) context.skip('python3 with boto3 is not installed: not run');
    // Prepare
    const artifact = await packageRelease({
      sourceDir: EXAMPLE_APP_DIR,
      app: 'web',
      version: '1.3.0',
      outFile: join(work, 'web-1.3.0.tar.gz'),
    });
    const signature = await signDetached(artifact.file, { home: gnupgHome });
    const key = 'releases/web/web-1.3.0.tar.gz';
    const request = {
      bucket: stack.bucket,
      app: 'web',
      version: '1.3.0',
      artifact: [artifact.file, key],
      signature: [signature, `${key}.sig`],
      instanceId: stack.instances[0]?.id,
      tagKey: 'signet:app',
    };

    // Act
    const { stdout } = await run('python3', [BOTO3_SCRIPT, JSON.stringify(request)], {
      env: { ...process.env, ...stack.env },
      timeout: 150_000,
    });
    const result = JSON.parse(stdout) as {
      record: { current: { version: string; versionId: string } };
      sentStatus: string;
      invocation: Record<string, unknown>;
      instances: string[];
    };

    // Assess
    expect(result.record.current.version).toBe('1.3.0');
    expect(result.record.current.versionId).toEqual(expect.any(String));
    expect(result.sentStatus).toBe('Pending');
    expect(result.invocation).toEqual({
      Status: 'Success',
      StatusDetails: 'Success',
      ResponseCode: 0,
      StandardOutputContent: 'from-boto3\n',
    });
    expect(result.instances).toEqual(stack.instances.map((i) => i.id).sort());
    const served = await Promise.all(stack.instances.map(probeInstance));
    expect(served.map((i) => i.version)).toEqual(['1.3.0', '1.3.0']);
  }, 180_000);

  it('answers a wrong command line with exit code 2 and missing settings with 3', async () => {
    expect((await runSignet(['deploy', 'web'])).code).toBe(2);
    expect((await runSignet(['status'])).code).toBe(2);
    const saved = process.env['SIGNET_STATE_MACHINE_ARN'];
    delete process.env['SIGNET_STATE_MACHINE_ARN'];
    try {
      const result = await runSignet(['rollback', 'web']);
      expect(result.code).toBe(3);
      expect(result.err).toContain('SIGNET_STATE_MACHINE_ARN');
    } finally {
      process.env['SIGNET_STATE_MACHINE_ARN'] = saved;
    }
  });
});

/** Polls `aws ssm get-command-invocation` until the invocation ended (at most 20 s). */
async function commandResult(
  aws: (...args: string[]) => Promise<unknown>,
  commandId: string,
  instanceId: string,
): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const answer = (await aws(
      'ssm',
      'get-command-invocation',
      '--command-id',
      commandId,
      '--instance-id',
      instanceId,
    ).catch(() => ({ Status: 'InvocationDoesNotExist' }))) as Record<string, unknown>;
    if (['Success', 'Failed', 'TimedOut', 'Cancelled'].includes(String(answer['Status']))) {
      return answer;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`command ${commandId} on ${instanceId} did not end within 20 s`);
}

function fail(): never {
  throw new Error('the stack has fewer instances than expected');
}
