import { posix } from 'node:path';
import type { JsonObject } from '../service-types.ts';
import type { CommandRecord, InvocationRecord } from './command-records.ts';
import { rollUpCommand } from './command-status.ts';
import { pluginStatusOf, statusOf } from './invocation-status.ts';

/**
 * The Run Command records in the API's shapes. Fields AWS fills with empty strings or empty
 * structures when unused (Comment, ServiceRole, NotificationConfig, CloudWatchOutputConfig)
 * are filled the same way, as in the AWS CLI's documented sample outputs.
 */

const NOTIFICATION_CONFIG = { NotificationArn: '', NotificationEvents: [], NotificationType: '' };
const CLOUDWATCH_OUTPUT = { CloudWatchLogGroupName: '', CloudWatchOutputEnabled: false };

export function commandShape(command: CommandRecord): JsonObject {
  const rollup = rollUpCommand(
    command.invocations.map((invocation) => invocation.details),
    {
      cancelRequested: command.cancelRequested,
      maxErrors: command.maxErrors,
      noTargets: command.invocations.length === 0,
    },
  );
  return {
    CommandId: command.commandId,
    DocumentName: command.documentName,
    DocumentVersion: command.documentVersion,
    Comment: command.comment,
    ExpiresAfter: command.expiresAfter,
    Parameters: command.parameters,
    InstanceIds: command.instanceIds,
    Targets: command.targets,
    RequestedDateTime: command.requestedAt,
    Status: rollup.status,
    StatusDetails: rollup.statusDetails,
    OutputS3Region: command.outputS3Region,
    OutputS3BucketName: command.outputS3BucketName,
    OutputS3KeyPrefix: command.outputS3KeyPrefix,
    MaxConcurrency: command.maxConcurrency,
    MaxErrors: command.maxErrors,
    TargetCount: command.invocations.length,
    CompletedCount: rollup.completedCount,
    ErrorCount: rollup.errorCount,
    DeliveryTimedOutCount: rollup.deliveryTimedOutCount,
    ServiceRole: '',
    NotificationConfig: NOTIFICATION_CONFIG,
    CloudWatchOutputConfig: CLOUDWATCH_OUTPUT,
    TimeoutSeconds: command.timeoutSeconds,
  };
}

export function invocationShape(
  command: CommandRecord,
  invocation: InvocationRecord,
  details: boolean,
): JsonObject {
  return {
    CommandId: command.commandId,
    InstanceId: invocation.instanceId,
    InstanceName: invocation.instanceName,
    Comment: command.comment,
    DocumentName: command.documentName,
    DocumentVersion: command.documentVersion,
    RequestedDateTime: invocation.requestedAt,
    Status: statusOf(invocation.details),
    StatusDetails: invocation.details,
    TraceOutput: '',
    StandardOutputUrl: invocation.standardOutputUrl,
    StandardErrorUrl: invocation.standardErrorUrl,
    CommandPlugins: details ? [pluginShape(command, invocation)] : [],
    ServiceRole: '',
    NotificationConfig: NOTIFICATION_CONFIG,
    CloudWatchOutputConfig: CLOUDWATCH_OUTPUT,
  };
}

function pluginShape(command: CommandRecord, invocation: InvocationRecord): JsonObject {
  const hasBucket = command.outputS3BucketName !== '';
  return {
    Name: command.step.pluginName,
    Status: pluginStatusOf(invocation.details),
    StatusDetails: invocation.details,
    ResponseCode: invocation.responseCode,
    ...(invocation.startedAt === undefined ? {} : { ResponseStartDateTime: invocation.startedAt }),
    ...(invocation.endedAt === undefined ? {} : { ResponseFinishDateTime: invocation.endedAt }),
    Output: invocation.pluginOutput,
    StandardOutputUrl: invocation.standardOutputUrl,
    StandardErrorUrl: invocation.standardErrorUrl,
    OutputS3Region: command.outputS3Region,
    OutputS3BucketName: command.outputS3BucketName,
    OutputS3KeyPrefix: hasBucket
      ? posix.join(
          command.outputS3KeyPrefix,
          command.commandId,
          invocation.instanceId,
          'awsrunShellScript',
        )
      : '',
  };
}

/** GetCommandInvocation's answer; execution times are ISO 8601 strings there, not epochs. */
export function commandInvocationShape(
  command: CommandRecord,
  invocation: InvocationRecord,
): JsonObject {
  const started = invocation.startedAt;
  const ended = invocation.endedAt;
  const elapsedMs = started === undefined ? 0 : (ended ?? new Date()).getTime() - started.getTime();
  return {
    CommandId: command.commandId,
    InstanceId: invocation.instanceId,
    Comment: command.comment,
    DocumentName: command.documentName,
    DocumentVersion: command.documentVersion,
    PluginName: command.step.pluginName,
    ResponseCode: invocation.responseCode,
    ExecutionStartDateTime: started?.toISOString() ?? '',
    ExecutionElapsedTime: started === undefined ? '' : `PT${(elapsedMs / 1000).toFixed(3)}S`,
    ExecutionEndDateTime: started === undefined ? '' : (ended?.toISOString() ?? ''),
    Status: statusOf(invocation.details),
    StatusDetails: invocation.details,
    StandardOutputContent: invocation.standardOutput,
    StandardOutputUrl: invocation.standardOutputUrl,
    StandardErrorContent: invocation.standardError,
    StandardErrorUrl: invocation.standardErrorUrl,
    CloudWatchOutputConfig: CLOUDWATCH_OUTPUT,
  };
}
