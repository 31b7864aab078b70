import { readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
} from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack, waitFor } from './local-stack.ts';

const OUTPUT_MARKER = '\n---Output truncated---';
const ERROR_MARKER = '\n---Error truncated----';

describe('Run Command output', () => {
  let stack: LocalStack;
  afterEach(async () => {
    await stack.close();
  });

  async function run(commands: string[], extra: object = {}) {
    const instanceId = stack.fleet.instance('web-1')?.id ?? '';
    const { Command } = await stack.ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: [instanceId],
        Parameters: { commands },
        ...extra,
      }),
    );
    const commandId = Command?.CommandId ?? '';
    const finished = await waitFor(
      () =>
        stack.ssm.send(
          new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }),
        ),
      (value) => value.Status === 'Success' || value.Status === 'Failed',
    );
    return { commandId, instanceId, finished };
  }

  it('shows at most 24,000 / 8,000 characters with markers, keeps all in files', async () => {
    // Prepare
    stack = await startLocalStack();

    // Act
    const { commandId, instanceId, finished } = await run([
      "head -c 24001 /dev/zero | tr '\\0' a",
      "head -c 8001 /dev/zero | tr '\\0' b >&2",
    ]);
    const kept = join(
      stack.stateDir,
      'command-output',
      commandId,
      instanceId,
      '0.awsrunShellScript',
    );
    const fullStdout = await readFile(join(kept, 'stdout'), 'utf8');
    const fullStderr = await readFile(join(kept, 'stderr'), 'utf8');

    // Assess
    expect(finished.StandardOutputContent).toBe(
      'a'.repeat(24_000 - OUTPUT_MARKER.length) + OUTPUT_MARKER,
    );
    expect(finished.StandardErrorContent).toBe(
      'b'.repeat(8_000 - ERROR_MARKER.length) + ERROR_MARKER,
    );
    expect(fullStdout).toBe('a'.repeat(24_001));
    expect(fullStderr).toBe('b'.repeat(8_001));
  });

  it('shows output of exactly 24,000 and 8,000 characters whole', async () => {
    // Prepare
    stack = await startLocalStack();

    // Act
    const { finished } = await run([
      "head -c 24000 /dev/zero | tr '\\0' a",
      "head -c 8000 /dev/zero | tr '\\0' b >&2",
    ]);

    // Assess
    expect(finished.StandardOutputContent).toBe('a'.repeat(24_000));
    expect(finished.StandardErrorContent).toBe('b'.repeat(8_000));
  });

  it('lists the combined 2,500-character form as the plugin Output', async () => {
    // Prepare
    stack = await startLocalStack();

    // Act
    const { commandId } = await run(["head -c 5000 /dev/zero | tr '\\0' a", 'echo oops >&2']);
    const listed = await stack.ssm.send(
      new ListCommandInvocationsCommand({ CommandId: commandId, Details: true }),
    );
    const output = listed.CommandInvocations?.[0]?.CommandPlugins?.[0]?.Output ?? '';

    // Assess
    expect(output.length).toBeLessThanOrEqual(2500);
    expect(output).toMatch(/^a+\n---Output truncated---\n----------ERROR-------\noops\n$/);
  });

  it("uploads full output at the agent's S3 keys and shows their URLs", async () => {
    // Prepare
    const uploads = new Map<string, string>();
    stack = await startLocalStack({
      services: {
        uploadOutput: async (bucket, key, body) => {
          uploads.set(`${bucket}/${key}`, body.toString('utf8'));
        },
        outputUrl: (_region, bucket, key) => `http://127.0.0.1:9/${bucket}/${key}`,
      },
    });

    // Act
    const { commandId, instanceId, finished } = await run(['echo out', 'echo err >&2'], {
      OutputS3BucketName: 'output-bucket',
      OutputS3KeyPrefix: 'runs',
    });
    const key = `runs/${commandId}/${instanceId}/awsrunShellScript/0.awsrunShellScript`;

    // Assess
    expect(Object.fromEntries(uploads)).toEqual({
      [`output-bucket/${key}/stdout`]: 'out\n',
      [`output-bucket/${key}/stderr`]: 'err\n',
    });
    expect(finished.StandardOutputUrl).toBe(`http://127.0.0.1:9/output-bucket/${key}/stdout`);
    expect(finished.StandardErrorUrl).toBe(`http://127.0.0.1:9/output-bucket/${key}/stderr`);
  });

  it('runs the script with sh, as the agent does, not bash', async () => {
    // Prepare
    stack = await startLocalStack();
    const sh = await realpath('/bin/sh');

    // Act
    const { finished } = await run([
      'readlink /proc/$$/exe',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
      'echo "bash=${BASH_VERSION:-none}"',
    ]);

    // Assess
    expect(finished.StandardOutputContent).toBe(`${sh}\nbash=none\n`);
  });

  it('writes _script.sh, commands joined by newlines, in the orchestration directory', async () => {
    // Prepare
    stack = await startLocalStack();

    // Act
    const { commandId, instanceId, finished } = await run(['echo one', 'pwd']);
    const root = stack.fleet.instance('web-1')?.root ?? '';
    const stepDir = join(
      root,
      'var/lib/amazon/ssm',
      instanceId,
      'document/orchestration',
      commandId,
      'awsrunShellScript/0.awsrunShellScript',
    );

    // Assess
    expect(await readFile(join(stepDir, '_script.sh'), 'utf8')).toBe('echo one\npwd\n');
    expect(finished.StandardOutputContent).toBe(`one\n${stepDir}\n`);
  });

  it('returns when the script exits though a daemon it started holds the output pipe', async () => {
    // Prepare
    stack = await startLocalStack();
    const started = Date.now();

    // Act
    const { finished } = await run(['sleep 30 &', 'echo started']);

    // Assess
    expect(finished.Status).toBe('Success');
    expect(finished.StandardOutputContent).toBe('started\n');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('uses an absolute workingDirectory as the current directory', async () => {
    // Prepare
    stack = await startLocalStack();
    const root = stack.fleet.instance('web-1')?.root ?? '';
    await writeFile(join(root, 'marker.txt'), 'here');

    // Act
    const { finished } = await run(['cat marker.txt'], {
      Parameters: { commands: ['cat marker.txt'], workingDirectory: [root] },
    });

    // Assess
    expect(finished.StandardOutputContent).toBe('here');
  });
});
