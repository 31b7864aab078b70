import {
  maxResults,
  optionalBoolean,
  optionalNumber,
  optionalObjects,
  optionalString,
  optionalStrings,
  requiredString,
  validationError,
} from '../input-fields.ts';
import { paginate } from '../pagination.ts';
import { AwsServiceError, type JsonObject, type JsonOperation } from '../service-types.ts';
import { passesFilters, readFilters } from './command-filters.ts';
import type { CommandRecord, InvocationRecord } from './command-records.ts';
import type { Target } from './command-targets.ts';
import { documentOperations } from './document-api.ts';
import { statusOf } from './invocation-status.ts';
import type { RunCommandEngine } from './run-command-engine.ts';
import { commandInvocationShape, commandShape, invocationShape } from './run-command-shapes.ts';

const COMMAND_ID_LENGTH = 36;
const INSTANCE_ID = /^(i-(\w{8}|\w{17}))$|^(mi-\w{17})$/;
const invalidNextToken = () => new AwsServiceError('InvalidNextToken', 'The token is not valid.');

/** Run Command's operations of the AmazonSSM JSON API over the engine, and DescribeDocument. */
export function runCommandOperations(engine: RunCommandEngine): Record<string, JsonOperation> {
  const visible = (invocation: InvocationRecord) => Date.now() >= invocation.visibleAt;

  return {
    ...documentOperations({ account: engine.account, document: engine.document }),

    async SendCommand(input) {
      const command = engine.send(readSendCommand(input));
      return { Command: commandShape(command) };
    },

    async GetCommandInvocation(input) {
      const commandId = readCommandId(input, true) as string;
      const instanceId = readInstanceId(input, true) as string;
      const pluginName = optionalString(input, 'PluginName');
      const command = engine.command(commandId);
      const invocation = command?.invocations.find((i) => i.instanceId === instanceId);
      if (command === undefined || invocation === undefined || !visible(invocation)) {
        throw new AwsServiceError('InvocationDoesNotExist', '');
      }
      if (pluginName !== undefined && pluginName !== command.step.pluginName) {
        throw new AwsServiceError('InvalidPluginName', '');
      }
      return commandInvocationShape(command, invocation);
    },

    async ListCommandInvocations(input) {
      const commandId = readCommandId(input, false);
      const instanceId = readInstanceId(input, false);
      const filters = readFilters(optionalObjects(input, 'Filters'), false);
      const details = optionalBoolean(input, 'Details') ?? false;
      const limit = maxResults(input, { min: 1, max: 50, fallback: 50 });
      const commands = commandId === undefined ? engine.commands() : [engine.command(commandId)];
      const rows: JsonObject[] = [];
      for (const command of commands) {
        if (command === undefined) continue;
        for (const invocation of command.invocations) {
          if (!visible(invocation)) continue;
          if (instanceId !== undefined && invocation.instanceId !== instanceId) continue;
          const subject = {
            status: statusOf(invocation.details),
            statusDetails: invocation.details,
            documentName: command.documentName,
            requestedAt: invocation.requestedAt,
          };
          if (passesFilters(subject, filters))
            rows.push(invocationShape(command, invocation, details));
        }
      }
      const page = paginate(rows, limit, optionalString(input, 'NextToken'), invalidNextToken);
      return { CommandInvocations: page.items, ...nextTokenOf(page.nextToken) };
    },

    async ListCommands(input) {
      const commandId = readCommandId(input, false);
      const instanceId = readInstanceId(input, false);
      const filters = readFilters(optionalObjects(input, 'Filters'), true);
      const limit = maxResults(input, { min: 1, max: 50, fallback: 50 });
      if (commandId !== undefined && engine.command(commandId) === undefined) {
        throw new AwsServiceError('InvalidCommandId', '');
      }
      const rows = engine
        .commands()
        .filter((command) => commandId === undefined || command.commandId === commandId)
        .filter((command) => instanceId === undefined || targetsInstance(command, instanceId))
        .map(commandShape)
        .filter((shape) =>
          passesFilters(
            {
              status: String(shape['Status']),
              statusDetails: String(shape['StatusDetails']),
              documentName: String(shape['DocumentName']),
              requestedAt: shape['RequestedDateTime'] as Date,
              complete: shape['CompletedCount'] === shape['TargetCount'],
            },
            filters,
          ),
        );
      const page = paginate(rows, limit, optionalString(input, 'NextToken'), invalidNextToken);
      return { Commands: page.items, ...nextTokenOf(page.nextToken) };
    },

    async CancelCommand(input) {
      const commandId = readCommandId(input, true) as string;
      engine.cancel(commandId, optionalStrings(input, 'InstanceIds'));
      return {};
    },
  };
}

function targetsInstance(command: CommandRecord, instanceId: string): boolean {
  return command.invocations.some((invocation) => invocation.instanceId === instanceId);
}

function nextTokenOf(token: string | undefined): JsonObject {
  return token === undefined ? {} : { NextToken: token };
}

function readCommandId(input: JsonObject, required: boolean): string | undefined {
  const value = required ? requiredString(input, 'CommandId') : optionalString(input, 'CommandId');
  if (value !== undefined && value.length !== COMMAND_ID_LENGTH) {
    throw validationError('commandId', `Member must have length ${COMMAND_ID_LENGTH}`);
  }
  return value;
}

function readInstanceId(input: JsonObject, required: boolean): string | undefined {
  const value = required
    ? requiredString(input, 'InstanceId')
    : optionalString(input, 'InstanceId');
  if (value !== undefined && !INSTANCE_ID.test(value)) {
    throw validationError(
      'instanceId',
      `Member must satisfy regular expression pattern: ${INSTANCE_ID.source}`,
    );
  }
  return value;
}

function readSendCommand(input: JsonObject) {
  const documentName = requiredString(input, 'DocumentName');
  const timeoutSeconds = optionalNumber(input, 'TimeoutSeconds');
  if (timeoutSeconds !== undefined && (timeoutSeconds < 30 || timeoutSeconds > 2_592_000)) {
    throw validationError('timeoutSeconds', 'Member must have value between 30 and 2592000');
  }
  const comment = optionalString(input, 'Comment');
  if (comment !== undefined && comment.length > 100) {
    throw validationError('comment', 'Member must have length less than or equal to 100');
  }
  const maxConcurrency = optionalString(input, 'MaxConcurrency');
  if (
    maxConcurrency !== undefined &&
    !/^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/.test(maxConcurrency)
  ) {
    throw validationError('maxConcurrency', 'Member must satisfy the MaxConcurrency pattern');
  }
  const maxErrors = optionalString(input, 'MaxErrors');
  if (maxErrors !== undefined && !/^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$/.test(maxErrors)) {
    throw validationError('maxErrors', 'Member must satisfy the MaxErrors pattern');
  }
  const instanceIds = optionalStrings(input, 'InstanceIds');
  if (instanceIds !== undefined && instanceIds.length > 50) {
    throw validationError('instanceIds', 'Member must have length less than or equal to 50');
  }
  const targets = optionalObjects(input, 'Targets')?.map(
    (target): Target => ({
      Key: String(target['Key'] ?? ''),
      Values: Array.isArray(target['Values']) ? target['Values'].map(String) : [],
    }),
  );
  return {
    documentName,
    ...defined('documentVersion', optionalString(input, 'DocumentVersion')),
    ...defined('instanceIds', instanceIds),
    ...defined('targets', targets),
    ...defined('parameters', input['Parameters'] as Record<string, string[]> | undefined),
    ...defined('timeoutSeconds', timeoutSeconds),
    ...defined('comment', comment),
    ...defined('outputS3Region', optionalString(input, 'OutputS3Region')),
    ...defined('outputS3BucketName', optionalString(input, 'OutputS3BucketName')),
    ...defined('outputS3KeyPrefix', optionalString(input, 'OutputS3KeyPrefix')),
    ...defined('maxConcurrency', maxConcurrency),
    ...defined('maxErrors', maxErrors),
  };
}

// exactOptionalPropertyTypes: leave a field out rather than set it to undefined.
function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
