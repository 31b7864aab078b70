import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack, waitFor } from './local-stack.ts';

const run = promisify(execFile);

async function findAwsCli(): Promise<boolean> {
  try {
    await run('aws', ['--version'], { timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

const available = await findAwsCli();
if (!available && process.env['SIGNET_REQUIRE_TOOLS'] === '1') {
  throw new Error('The AWS CLI (aws) is not on PATH and SIGNET_REQUIRE_TOOLS=1');
}
if (!available) process.stderr.write('aws-cli.test.ts: the AWS CLI is not on PATH; skipped\n');

// One call of each kind through botocore, to show the control plane speaks to more than the SDK v3.
describe.skipIf(!available)('the AWS CLI against the control plane', () => {
  let stack: LocalStack;
  let instanceId: string;
  beforeAll(async () => {
    stack = await startLocalStack();
    instanceId = stack.fleet.instance('web-1')?.id ?? '';
  });
  afterAll(async () => {
    await stack.close();
  });

  const aws = async (...args: string[]) => {
    const { stdout } = await run(
      'aws',
      [...args, '--endpoint-url', stack.endpoint, '--output', 'json'],
      {
        timeout: 30_000,
        env: {
          PATH: process.env['PATH'] ?? '',
          HOME: process.env['HOME'] ?? '/tmp',
          AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
          AWS_SECRET_ACCESS_KEY: 'local-secret',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      },
    );
    return JSON.parse(stdout) as Record<string, unknown>;
  };

  it('sends a command and reads its invocation', async () => {
    // Act
    const sent = (await aws(
      'ssm',
      'send-command',
      '--document-name',
      'AWS-RunShellScript',
      '--instance-ids',
      instanceId,
      '--parameters',
      'commands=["echo from-cli"]',
    )) as { Command: { CommandId: string; Status: string } };
    const invocation = await waitFor(
      () =>
        aws(
          'ssm',
          'get-command-invocation',
          '--command-id',
          sent.Command.CommandId,
          '--instance-id',
          instanceId,
        ),
      (value) => (value as { Status?: string }).Status === 'Success',
      15_000,
    );

    // Assess
    expect(sent.Command.Status).toBe('Pending');
    expect(invocation).toMatchObject({ StandardOutputContent: 'from-cli\n', ResponseCode: 0 });
  });

  it.each([
    {
      label: 'a failing script',
      commands: 'commands=["echo partial","exit 7"]',
      expected: { Status: 'Failed', StatusDetails: 'Failed', ResponseCode: 7 },
      stdoutLength: 'partial\n'.length,
      tail: 'partial\n',
    },
    {
      label: 'output past 24,000 characters',
      commands: 'commands=["yes z | head -c 30000"]',
      expected: { Status: 'Success', StatusDetails: 'Success', ResponseCode: 0 },
      stdoutLength: 24_000,
      tail: '\n---Output truncated---',
    },
  ])('reports $label as AWS does through the CLI', async (example) => {
    const { commands, expected, stdoutLength, tail } = example;
    // Act
    const sent = (await aws(
      'ssm',
      'send-command',
      '--document-name',
      'AWS-RunShellScript',
      '--instance-ids',
      instanceId,
      '--parameters',
      commands,
    )) as { Command: { CommandId: string } };
    const invocation = (await waitFor(
      () =>
        aws(
          'ssm',
          'get-command-invocation',
          '--command-id',
          sent.Command.CommandId,
          '--instance-id',
          instanceId,
        ),
      (value) => ['Success', 'Failed'].includes((value as { Status?: string }).Status ?? ''),
      15_000,
    )) as Record<string, unknown> & { StandardOutputContent: string };

    // Assess
    expect(invocation).toMatchObject(expected);
    expect(invocation.StandardOutputContent).toHaveLength(stdoutLength);
    expect(invocation.StandardOutputContent.endsWith(tail)).toBe(true);
  });

  it('describes instances by tag', async () => {
    // Act
    const result = (await aws(
      'ec2',
      'describe-instances',
      '--filters',
      'Name=tag:App,Values=web',
    )) as {
      Reservations: { Instances: { InstanceId: string }[] }[];
    };

    // Assess
    expect(result.Reservations.flatMap((r) => r.Instances.map((i) => i.InstanceId))).toContain(
      instanceId,
    );
  });

  it('puts and gets a parameter', async () => {
    // Act
    await aws('ssm', 'put-parameter', '--name', '/cli/check', '--value', 'ok', '--type', 'String');
    const result = await aws('ssm', 'get-parameter', '--name', '/cli/check');

    // Assess
    expect(result).toMatchObject({ Parameter: { Name: '/cli/check', Value: 'ok', Version: 1 } });
  });

  it('creates a KMS signing key, signs a digest and verifies it', async () => {
    // Prepare
    const digestFile = join(stack.stateDir, 'digest.bin');
    await writeFile(digestFile, createHash('sha256').update('release').digest());
    const signing = ['--message', `fileb://${digestFile}`, '--message-type', 'DIGEST'];

    // Act
    const created = (await aws(
      'kms',
      'create-key',
      '--key-spec',
      'ECC_NIST_P256',
      '--key-usage',
      'SIGN_VERIFY',
    )) as { KeyMetadata: { Arn: string } };
    const keyArn = created.KeyMetadata.Arn;
    const signed = (await aws(
      'kms',
      'sign',
      '--key-id',
      keyArn,
      ...signing,
      '--signing-algorithm',
      'ECDSA_SHA_256',
    )) as { Signature: string };
    const signatureFile = join(stack.stateDir, 'signature.der');
    await writeFile(signatureFile, Buffer.from(signed.Signature, 'base64'));
    const verified = await aws(
      'kms',
      'verify',
      '--key-id',
      keyArn,
      ...signing,
      '--signature',
      `fileb://${signatureFile}`,
      '--signing-algorithm',
      'ECDSA_SHA_256',
    );

    // Assess
    expect(verified).toMatchObject({ KeyId: keyArn, SignatureValid: true });
  });
});
