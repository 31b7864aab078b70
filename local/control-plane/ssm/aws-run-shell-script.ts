import type { CommandDocument } from './command-document.ts';

/**
 * The AWS-owned AWS-RunShellScript document, so `aws ssm send-command --document-name
 * AWS-RunShellScript --parameters commands=...` works locally. It is a schemaVersion 1.2
 * document: its one plugin is named `aws:runShellScript` and its step id is
 * `0.aws:runShellScript`, which is why its S3 keys end in
 * `awsrunShellScript/0.awsrunShellScript/stdout` (the agent strips colons from path parts).
 */
export const AWS_RUN_SHELL_SCRIPT: CommandDocument = {
  name: 'AWS-RunShellScript',
  parameters: {
    commands: { type: 'StringList' },
    workingDirectory: { type: 'String', default: '' },
    executionTimeout: {
      type: 'String',
      default: '3600',
      allowedPattern:
        '([1-9][0-9]{0,4})|(1[0-6][0-9]{4})|(17[0-1][0-9]{3})|(172[0-7][0-9]{2})|(172800)',
    },
  },
  description: {
    schemaVersion: '1.2',
    owner: 'Amazon',
    text: 'Run a shell script or specify the commands to run.',
  },
  step: {
    pluginName: 'aws:runShellScript',
    stepPath: ['awsrunShellScript', '0.awsrunShellScript'],
    inputs: {
      runCommand: '{{ commands }}',
      workingDirectory: '{{ workingDirectory }}',
      timeoutSeconds: '{{ executionTimeout }}',
    },
  },
};
