import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { parseExecutionInput, requestForObject } from '../../core/deployment-request.ts';
import { NotARelease } from '../../core/errors.ts';
import { executionNameForObject } from '../../core/execution-name.ts';
import { setting } from '../../core/settings.ts';
import { sfnClient } from '../shared/default-deps.ts';
import { type PlainHandler, signetHandler } from '../shared/signet-handler.ts';

export type StartDeploymentResult =
  | { readonly started: true; readonly executionArn: string; readonly name: string }
  | {
      readonly started: false;
      readonly reason: 'not-a-release' | 'duplicate';
      readonly name?: string;
    };

export interface StartDeploymentDeps {
  readonly sfn: () => SFNClient;
  readonly stateMachineArn: () => string;
}

/**
 * The EventBridge rule's target: turns an S3 "Object Created" event into a deployment with a
 * name derived from the object version, so S3's duplicate deliveries start one execution.
 * Objects that are not release artifacts (the signature, a README) start nothing, quietly.
 */
export function startDeployment(
  deps: StartDeploymentDeps,
): PlainHandler<unknown, StartDeploymentResult> {
  return async (event, { logger }) => {
    let name: string;
    try {
      const parsed = parseExecutionInput(event);
      if (parsed.kind !== 'object') throw new NotARelease('Only S3 events start deployments here');
      const request = requestForObject(parsed);
      name = executionNameForObject(request, {
        bucket: request.bucket,
        key: request.key,
        versionId: request.versionId,
        etag: request.etag ?? '',
      });
    } catch (error) {
      if (!(error instanceof NotARelease)) throw error;
      logger.info('not a release, nothing started', { reason: error.message });
      return { started: false, reason: 'not-a-release' };
    }

    try {
      const result = await deps.sfn().send(
        new StartExecutionCommand({
          stateMachineArn: deps.stateMachineArn(),
          name,
          input: JSON.stringify(event),
        }),
      );
      logger.info('deployment started', { name, executionArn: result.executionArn });
      return { started: true, executionArn: result.executionArn ?? '', name };
    } catch (error) {
      if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
      logger.info('duplicate delivery, deployment already started', { name });
      return { started: false, reason: 'duplicate', name };
    }
  };
}

export const handler = signetHandler(
  'start-deployment',
  startDeployment({ sfn: sfnClient, stateMachineArn: () => setting('stateMachineArn') }),
);
