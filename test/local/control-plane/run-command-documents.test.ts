import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommandInvocationCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalStack, rejection, startLocalStack, waitFor } from './local-stack.ts';

// A document shaped like Signet's: schemaVersion 2.2, one aws:runShellScript step, String
// parameters read only through SSM_<Name> (interpolationType ENV_VAR) with anchored patterns.
const deployDocument = {
  schemaVersion: '2.2',
  description: 'Test deploy document',
  parameters: {
    Version: {
      type: 'String',
      allowedPattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$',
      interpolationType: 'ENV_VAR',
    },
    Note: {
      type: 'String',
      default: 'none',
      allowedPattern: '^[^\\n]*$',
      maxChars: 60,
      interpolationType: 'ENV_VAR',
    },
  },
  mainSteps: [
    {
      action: 'aws:runShellScript',
      name: 'deploy',
      inputs: {
        runCommand: [
          'set -eu',
          'printf "version=%s\\n" "$SSM_Version"',
          'printf "note=%s\\n" "$SSM_Note"',
          'printf "home=%s port=%s\\n" "$SIGNET_HOME" "$SIGNET_HTTP_PORT"',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
          'printf "leak=%s\\n" "${CONTROL_PLANE_TEST_LEAK:-absent}"',
        ],
        timeoutSeconds: '60',
      },
    },
  ],
};

// The same parameters, but the step uses the {{ }} reference AWS interpolates as text.
const textualDocument = {
  ...deployDocument,
  mainSteps: [
    {
      action: 'aws:runShellScript',
      name: 'unsafe',
      inputs: { runCommand: ['echo "note={{ Note }}"'] },
    },
  ],
};

describe('Command documents', () => {
  let documentsDir: string;
  let stack: LocalStack;
  let instanceId: string;

  beforeAll(async () => {
    documentsDir = await mkdtemp(join(tmpdir(), 'signet-documents-'));
    await writeFile(join(documentsDir, 'deploy.json'), JSON.stringify(deployDocument));
    await writeFile(join(documentsDir, 'textual.json'), JSON.stringify(textualDocument));
  });
  afterAll(async () => {
    await rm(documentsDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    process.env['CONTROL_PLANE_TEST_LEAK'] = 'leaked';
    stack = await startLocalStack({
      instances: [
        {
          name: 'web-1',
          tags: { App: 'web' },
          env: { SIGNET_HOME: '/srv/signet', SIGNET_HTTP_PORT: '18081' },
        },
      ],
      services: {
        documents: [
          { name: 'TestDeploy', file: join(documentsDir, 'deploy.json') },
          { name: 'TestTextual', file: join(documentsDir, 'textual.json') },
        ],
        uploadOutput: async () => undefined,
      },
    });
    instanceId = stack.fleet.instance('web-1')?.id ?? '';
  });
  afterEach(async () => {
    delete process.env['CONTROL_PLANE_TEST_LEAK'];
    await stack.close();
  });

  async function run(
    documentName: string,
    parameters: Record<string, string[]>,
    extra: object = {},
  ) {
    const { Command } = await stack.ssm.send(
      new SendCommandCommand({
        DocumentName: documentName,
        InstanceIds: [instanceId],
        Parameters: parameters,
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
    const stepDir = join(
      stack.fleet.instance('web-1')?.root ?? '',
      'var/lib/amazon/ssm',
      instanceId,
      'document/orchestration',
      commandId,
      finished.PluginName ?? '',
    );
    return { commandId, finished, stepDir };
  }

  it('gives ENV_VAR parameters as SSM_<Name>, with the instance env and nothing else', async () => {
    // Act
    const { finished } = await run('TestDeploy', { Version: ['1.4.0'] });

    // Assess
    expect(finished).toMatchObject({ Status: 'Success', PluginName: 'deploy' });
    expect(finished.StandardOutputContent).toBe(
      'version=1.4.0\nnote=none\nhome=/srv/signet port=18081\nleak=absent\n',
    );
  });

  it.each([
    { label: 'command substitution', note: '$(touch CANARY)' },
    { label: 'backticks', note: '`touch CANARY`' },
    { label: 'a command separator', note: '"; touch CANARY; echo "' },
  ])('never executes $label passed through an ENV_VAR parameter', async ({ note }) => {
    // Act
    const { finished, stepDir } = await run('TestDeploy', { Version: ['1.4.0'], Note: [note] });
    const canary = await access(join(stepDir, 'CANARY')).then(
      () => true,
      () => false,
    );

    // Assess
    expect(finished.StandardOutputContent).toContain(`note=${note}\n`);
    expect(canary).toBe(false);
  });

  it('interpolates {{ Name }} as text even for ENV_VAR parameters, as AWS does', async () => {
    // Act
    const { finished, stepDir } = await run('TestTextual', {
      Version: ['1.4.0'],
      Note: ['$(touch CANARY)'],
    });
    const canary = await access(join(stepDir, 'CANARY')).then(
      () => true,
      () => false,
    );

    // Assess
    expect(finished.StandardOutputContent).toBe('note=\n');
    expect(canary).toBe(true);
  });

  it.each([
    { label: 'a version outside its pattern', parameters: { Version: ['1.4.0; reboot'] } },
    { label: 'a note over maxChars', parameters: { Version: ['1.4.0'], Note: ['x'.repeat(61)] } },
    { label: 'two values for a String', parameters: { Version: ['1.4.0', '1.5.0'] } },
  ])('refuses $label with InvalidParameters before anything runs', async ({ parameters }) => {
    // Act
    const error = await rejection(
      stack.ssm.send(
        new SendCommandCommand({
          DocumentName: 'TestDeploy',
          InstanceIds: [instanceId],
          Parameters: parameters,
        }),
      ),
    );

    // Assess
    expect(error.name).toBe('InvalidParameters');
  });

  it('names the step in S3 keys as the agent does for schema 2.2 documents', async () => {
    // Act
    const { commandId, finished } = await run(
      'TestDeploy',
      { Version: ['1.4.0'] },
      {
        OutputS3BucketName: 'out',
        OutputS3KeyPrefix: 'signet',
      },
    );

    // Assess
    expect(finished.StandardOutputUrl).toBe(
      'https://s3.us-east-1.amazonaws.com/out/signet/' +
        `${commandId}/${instanceId}/awsrunShellScript/deploy/stdout`,
    );
  });
});
