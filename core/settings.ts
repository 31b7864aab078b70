import { ConfigInvalid } from './errors.ts';

/**
 * Deployment-wide settings, read from the environment the stack gives each Lambda (CDK sets
 * them in AWS; local mode sets them in its own process). Each has one meaning everywhere.
 */
export const SettingNames = {
  /** The bucket releases are uploaded to (for redeploys named by app and version). */
  artifactBucket: 'SIGNET_ARTIFACT_BUCKET',
  /** Parameter Store path under which every app's config, keys and record live. */
  parameterPrefix: 'SIGNET_PARAMETER_PREFIX',
  /** DynamoDB table holding deployment locks and the audit chain. */
  stateTable: 'SIGNET_STATE_TABLE',
  /** Name of Signet's SSM Command document. */
  documentName: 'SIGNET_DOCUMENT_NAME',
  /** Event bus for Signet's own events. */
  eventBusName: 'SIGNET_EVENT_BUS',
  /** The deployment state machine (for the trigger and for lock-holder checks). */
  stateMachineArn: 'SIGNET_STATE_MACHINE_ARN',
  /** Bucket (and prefix) that receive full command output from the SSM agent. */
  commandOutputBucket: 'SIGNET_COMMAND_OUTPUT_BUCKET',
  commandOutputPrefix: 'SIGNET_COMMAND_OUTPUT_PREFIX',
  /** How long a deployment lock lasts if its holder never releases it. */
  lockLeaseSeconds: 'SIGNET_LOCK_LEASE_SECONDS',
  /** How long a presigned artifact URL handed to instances stays valid. */
  artifactUrlSeconds: 'SIGNET_ARTIFACT_URL_SECONDS',
  /** The EventBridge rule whose matches start deployments (`signet doctor` inspects it). */
  releaseRuleName: 'SIGNET_RELEASE_RULE_NAME',
} as const;

export type SettingName = keyof typeof SettingNames;

const DEFAULTS: Partial<Record<SettingName, string>> = {
  parameterPrefix: '/signet',
  documentName: 'SignetDeploy',
  eventBusName: 'default',
  commandOutputPrefix: 'command-output/',
  // Two hours of state machine timeout plus margin: a lock must outlive any live holder.
  lockLeaseSeconds: '7500',
  artifactUrlSeconds: '900',
};

/** The setting's value, its default, or ConfigInvalid naming the missing variable. */
export function setting(name: SettingName, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[SettingNames[name]] ?? DEFAULTS[name];
  if (value === undefined || value === '') {
    throw new ConfigInvalid(`Setting ${SettingNames[name]} is not set`, {
      details: { setting: SettingNames[name] },
    });
  }
  return value;
}

/** Like setting(), for values that must be positive whole numbers. */
export function numericSetting(name: SettingName, env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(setting(name, env));
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigInvalid(`Setting ${SettingNames[name]} must be a positive whole number`, {
      details: { setting: SettingNames[name] },
    });
  }
  return value;
}

/** Like setting(), but absent is a valid answer. */
export function optionalSetting(
  name: SettingName,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const value = env[SettingNames[name]] ?? DEFAULTS[name];
  return value === '' ? undefined : value;
}
