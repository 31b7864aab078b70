import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendCommandCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { loadAppConfig } from '../../core/app-config-store.ts';
import { awsCall } from '../../core/aws-call-errors.ts';
import {
  type CommandPhase,
  type CommandRelease,
  documentAction,
  documentParameters,
  executionBudgetSeconds,
  instancesForPhase,
} from '../../core/command-phase.ts';
import type { CommandState, SentCommand } from '../../core/command-state.ts';
import { validateDocumentParameters } from '../../core/document-parameters.ts';
import { InputInvalid } from '../../core/errors.ts';
import type { Tolerance, ToleratedFailure } from '../../core/rollout-policy.ts';
import { numericSetting, optionalSetting, setting } from '../../core/settings.ts';
import { parameterPrefix, s3Client, ssmClient } from '../shared/default-deps.ts';
import { type PlainHandler, signetHandler } from '../shared/signet-handler.ts';

export interface StartCommandEvent {
  readonly phase: CommandPhase;
  readonly app: string;
  /** The execution's name: shown on hosts and in SSM's command list. */
  readonly deploymentId: string;
  readonly release: CommandRelease;
  readonly batches: readonly (readonly string[])[];
  readonly batchIndex: number;
  /** The rollout policy's tolerance (install and health only: a rollback tolerates nothing). */
  readonly tolerance?: Tolerance;
  /** Failures absorbed so far; their instances get no health check. */
  readonly tolerated?: readonly ToleratedFailure[];
}

export interface StartCommandDeps {
  readonly ssm: () => SSMClient;
  readonly s3: () => S3Client;
  readonly parameterPrefix: () => string;
  readonly documentName: () => string;
  readonly artifactUrlSeconds: () => number;
  readonly outputBucket: () => { bucket: string; prefix: string } | undefined;
  readonly now?: () => Date;
}

// SSM's limit on instance ids per SendCommand.
const MAX_IDS_PER_COMMAND = 50;
// How long SSM may take to deliver a command to an online instance before giving up.
const DELIVERY_TIMEOUT_SECONDS = 600;

/**
 * Sends one phase's command to its instances. The artifact URL is presigned here, pinned to
 * the verified object version, and never returned: it is a short-lived credential and must not
 * end up in the execution's history.
 */
export function startCommand(
  deps: StartCommandDeps,
): PlainHandler<StartCommandEvent, CommandState> {
  return async (event, { logger }) => {
    const tolerated = event.tolerated ?? [];
    const failed = tolerated.map((failure) => failure.instanceId);
    const instanceIds = instancesForPhase(event.phase, event.batches, event.batchIndex, failed);
    const rollbackPhase = event.phase !== 'install' && event.phase !== 'health';
    const tolerance =
      rollbackPhase || event.tolerance === undefined ? {} : { tolerance: event.tolerance };
    if (instanceIds.length === 0 && event.phase === 'health' && failed.length > 0) {
      // Every instance of this batch failed within tolerance: nothing is left to check.
      logger.info('no instance left to check in this batch', { batch: event.batchIndex });
      return { ...emptyState(event, deps), ...tolerance, tolerated };
    }
    if (instanceIds.length === 0) {
      throw new InputInvalid(
        `No instances for ${event.phase} of ${event.app} (batch ${event.batchIndex})`,
      );
    }
    const config = await loadAppConfig(deps.ssm(), deps.parameterPrefix(), event.app);
    const artifactUrl =
      documentAction(event.phase) === 'health' ? '' : await presign(deps, event.release);
    const parameters = documentParameters({ ...event, config, artifactUrl });
    validateDocumentParameters(parameters);

    const commands: SentCommand[] = [];
    for (let start = 0; start < instanceIds.length; start += MAX_IDS_PER_COMMAND) {
      const ids = instanceIds.slice(start, start + MAX_IDS_PER_COMMAND);
      commands.push({ commandId: await send(deps, event, ids, parameters), instanceIds: ids });
    }

    const now = (deps.now ?? (() => new Date()))();
    const budgetSeconds =
      DELIVERY_TIMEOUT_SECONDS + executionBudgetSeconds(event.phase, config) + 60;
    logger.info('command sent', {
      phase: event.phase,
      version: event.release.version,
      commands: commands.map((c) => c.commandId),
      instances: instanceIds.length,
    });
    return {
      phase: event.phase,
      app: event.app,
      version: event.release.version,
      commands,
      sentAt: now.toISOString(),
      deadline: new Date(now.getTime() + budgetSeconds * 1000).toISOString(),
      waitSeconds: config.polling.initialSeconds,
      maxWaitSeconds: config.polling.maxSeconds,
      polls: 0,
      done: false,
      ...tolerance,
      tolerated,
      ...(event.phase === 'health' && config.health.alarms.length > 0
        ? { alarms: config.health.alarms }
        : {}),
    };
  };
}

function emptyState(event: StartCommandEvent, deps: StartCommandDeps): CommandState {
  const now = (deps.now ?? (() => new Date()))().toISOString();
  return {
    phase: event.phase,
    app: event.app,
    version: event.release.version,
    commands: [],
    sentAt: now,
    deadline: now,
    waitSeconds: 1,
    maxWaitSeconds: 1,
    polls: 0,
    done: true,
  };
}

async function send(
  deps: StartCommandDeps,
  event: StartCommandEvent,
  instanceIds: readonly string[],
  parameters: Record<string, string>,
): Promise<string> {
  const output = deps.outputBucket();
  const where = `SendCommand (${event.phase} of ${event.app} ${event.release.version})`;
  const result = await awsCall(where, () =>
    deps.ssm().send(
      new SendCommandCommand({
        DocumentName: deps.documentName(),
        InstanceIds: [...instanceIds],
        Parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, [v]])),
        TimeoutSeconds: DELIVERY_TIMEOUT_SECONDS,
        Comment: `Signet ${event.phase} ${event.app} ${event.release.version}`.slice(0, 100),
        MaxConcurrency: String(instanceIds.length),
        MaxErrors: String(instanceIds.length),
        ...(output === undefined
          ? {}
          : {
              OutputS3BucketName: output.bucket,
              OutputS3KeyPrefix: `${output.prefix}${event.app}/${event.deploymentId}/${event.phase}`,
            }),
      }),
    ),
  );
  const commandId = result.Command?.CommandId;
  if (commandId === undefined)
    throw new Error(`SendCommand returned no command id for ${event.app}`);
  return commandId;
}

async function presign(deps: StartCommandDeps, release: CommandRelease): Promise<string> {
  const request = new GetObjectCommand({
    Bucket: release.bucket,
    Key: release.key,
    ...(release.versionId === null ? {} : { VersionId: release.versionId }),
  });
  return getSignedUrl(deps.s3(), request, { expiresIn: deps.artifactUrlSeconds() });
}

export const handler = signetHandler(
  'start-command',
  startCommand({
    ssm: ssmClient,
    s3: s3Client,
    parameterPrefix,
    documentName: () => setting('documentName'),
    artifactUrlSeconds: () => numericSetting('artifactUrlSeconds'),
    outputBucket: () => {
      const bucket = optionalSetting('commandOutputBucket');
      return bucket === undefined
        ? undefined
        : { bucket, prefix: optionalSetting('commandOutputPrefix') ?? '' };
    },
  }),
);
