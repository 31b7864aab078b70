import { randomUUID } from 'node:crypto';
import type { ControlPlaneBehaviour } from '../behaviour.ts';
import type { ManagedFleet, ScriptResult } from '../fleet-port.ts';
import { AwsServiceError } from '../service-types.ts';
import type { CommandDocument } from './command-document.ts';
import type { CommandRecord, InvocationRecord } from './command-records.ts';
import { allowedErrors } from './command-status.ts';
import { resolveTargets, type Target } from './command-targets.ts';
import { prepareStep, validateParameters } from './document-parameters.ts';
import { type OutputSinks, recordOutput } from './invocation-output.ts';
import { detailsForExit, type InvocationDetails } from './invocation-status.ts';

export interface SendCommandRequest {
  readonly documentName: string;
  readonly documentVersion?: string;
  readonly instanceIds?: readonly string[];
  readonly targets?: readonly Target[];
  readonly parameters?: Readonly<Record<string, readonly string[]>>;
  readonly timeoutSeconds?: number;
  readonly comment?: string;
  readonly outputS3Region?: string;
  readonly outputS3BucketName?: string;
  readonly outputS3KeyPrefix?: string;
  readonly maxConcurrency?: string;
  readonly maxErrors?: string;
}

export interface RunCommandEngineOptions {
  readonly fleet: ManagedFleet;
  readonly documents: ReadonlyMap<string, CommandDocument>;
  readonly behaviour: ControlPlaneBehaviour;
  readonly sinks: OutputSinks;
  readonly region: string;
  readonly account: string;
}

export interface RunCommandEngine {
  send(request: SendCommandRequest): CommandRecord;
  command(commandId: string): CommandRecord | undefined;
  /** A registered document (DescribeDocument reads it). */
  document(name: string): CommandDocument | undefined;
  /** The account that owns the registered documents. */
  readonly account: string;
  /** Newest first, as ListCommands lists them. */
  commands(): readonly CommandRecord[];
  cancel(commandId: string, instanceIds?: readonly string[]): void;
  /** Stops every timer and kills every running script. */
  close(): void;
}

// SendCommand's defaults: TimeoutSeconds 3600 and MaxConcurrency 50 (SSM API reference).
const DEFAULT_DELIVERY_TIMEOUT_SECONDS = 3600;
const DEFAULT_MAX_CONCURRENCY = '50';

/**
 * Run Command's life cycle. Each invocation waits Pending for delivery, is Delayed while its
 * instance is offline, goes InProgress when the agent starts the script, and ends Success,
 * Failed, TimedOut (DeliveryTimedOut / ExecutionTimedOut), Cancelled or Terminated. Delivery
 * gives up after TimeoutSeconds plus the step's executionTimeout (the user guide's rule for
 * Pending), at most MaxConcurrency invocations run at once, and once errors pass MaxErrors the
 * invocations not yet started are Terminated.
 */
export function createRunCommandEngine(options: RunCommandEngineOptions): RunCommandEngine {
  const { fleet, behaviour } = options;
  // Limitation: commands live in memory only; a restart forgets them (their output files stay).
  const commands = new Map<string, CommandRecord>();
  const timers = new Set<NodeJS.Timeout>();
  const waitingForSlot = new Map<string, Set<InvocationRecord>>();

  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        action();
      },
      Math.max(0, ms),
    );
    timers.add(timer);
  };

  function finish(invocation: InvocationRecord, details: InvocationDetails) {
    invocation.details = details;
    invocation.endedAt ??= new Date();
  }

  function tryDeliver(command: CommandRecord, invocation: InvocationRecord) {
    if (invocation.details !== 'Pending' && invocation.details !== 'Delayed') return;
    const key = { commandId: command.commandId, instanceId: invocation.instanceId };
    const now = Date.now();
    if (now >= invocation.deliveryDeadline) return finish(invocation, 'DeliveryTimedOut');
    if (errorsExceeded(command)) return finish(invocation, 'Terminated');
    const instance = fleet.instances().find((candidate) => candidate.id === invocation.instanceId);
    if (instance === undefined) return finish(invocation, 'Undeliverable');
    if (instance.state !== 'running') {
      invocation.details = 'Delayed';
      const retry = Math.min(
        behaviour.redeliveryIntervalMs(key),
        invocation.deliveryDeadline - now,
      );
      return later(retry, () => tryDeliver(command, invocation));
    }
    if (running(command) >= concurrencyOf(command)) {
      slotQueue(command).add(invocation);
      return;
    }
    start(command, invocation);
  }

  function start(command: CommandRecord, invocation: InvocationRecord) {
    const key = { commandId: command.commandId, instanceId: invocation.instanceId };
    invocation.details = 'InProgress';
    invocation.startedAt = new Date();
    const run = fleet.runScript({
      instanceId: invocation.instanceId,
      commandId: command.commandId,
      stepPath: command.step.stepPath,
      commands: command.step.commands,
      workingDirectory: command.step.workingDirectory,
      env: command.step.env,
      executionTimeoutMs: behaviour.executionTimeoutMs(command.step.timeoutSeconds, key),
    });
    invocation.run = run;
    run.result
      .then(
        (result) => complete(command, invocation, result),
        () => complete(command, invocation, undefined),
      )
      // Nothing past this point should throw; if it does, the invocation must still end.
      .catch(() => finish(invocation, 'Failed'));
  }

  async function complete(
    command: CommandRecord,
    invocation: InvocationRecord,
    result: ScriptResult | undefined,
  ) {
    invocation.run = undefined;
    let details: InvocationDetails = 'Failed';
    if (result !== undefined) {
      details = detailsFor(result, invocation.details === 'Cancelling');
      await recordOutput(command, invocation, result, options.sinks).catch(() => undefined);
      invocation.responseCode = result.exitCode;
      invocation.startedAt = result.startedAt;
      invocation.endedAt = result.endedAt;
    }
    finish(invocation, details);
    if (errorsExceeded(command)) terminateWaiting(command);
    const queue = slotQueue(command);
    for (const waiting of [...queue]) {
      queue.delete(waiting);
      tryDeliver(command, waiting);
    }
  }

  function terminateWaiting(command: CommandRecord) {
    for (const invocation of command.invocations) {
      if (invocation.details === 'Pending' || invocation.details === 'Delayed') {
        finish(invocation, 'Terminated');
      }
    }
  }

  function slotQueue(command: CommandRecord): Set<InvocationRecord> {
    const queue = waitingForSlot.get(command.commandId) ?? new Set<InvocationRecord>();
    waitingForSlot.set(command.commandId, queue);
    return queue;
  }

  return {
    send(request) {
      const command = createCommand(request, options);
      commands.set(command.commandId, command);
      for (const invocation of command.invocations) {
        const key = { commandId: command.commandId, instanceId: invocation.instanceId };
        later(behaviour.deliveryDelayMs(key), () => tryDeliver(command, invocation));
      }
      return command;
    },
    command: (commandId) => commands.get(commandId),
    document: (name) => options.documents.get(name),
    account: options.account,
    commands: () => [...commands.values()].reverse(),
    cancel(commandId, instanceIds) {
      const command = commands.get(commandId);
      if (command === undefined) throw new AwsServiceError('InvalidCommandId', '');
      command.cancelRequested = true;
      for (const invocation of command.invocations) {
        if (instanceIds !== undefined && instanceIds.length > 0) {
          if (!instanceIds.includes(invocation.instanceId)) continue;
        }
        if (invocation.details === 'InProgress') {
          invocation.details = 'Cancelling';
          invocation.run?.cancel();
        } else if (invocation.details === 'Pending' || invocation.details === 'Delayed') {
          finish(invocation, 'Cancelled');
        }
      }
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const command of commands.values()) {
        for (const invocation of command.invocations) invocation.run?.cancel();
      }
    },
  };
}

function detailsFor(result: ScriptResult, cancelling: boolean): InvocationDetails {
  if (result.outcome === 'timed-out') return 'ExecutionTimedOut';
  if (result.outcome === 'cancelled') return 'Cancelled';
  if (result.outcome === 'failed-to-start') return 'Failed';
  return detailsForExit(result.exitCode, cancelling);
}

function running(command: CommandRecord): number {
  return command.invocations.filter((i) => i.details === 'InProgress' || i.details === 'Cancelling')
    .length;
}

function concurrencyOf(command: CommandRecord): number {
  const value = command.maxConcurrency;
  const targets = command.invocations.length;
  if (value.endsWith('%'))
    return Math.max(1, Math.floor((Number(value.slice(0, -1)) * targets) / 100));
  return Number(value);
}

function errorsExceeded(command: CommandRecord): boolean {
  const errors = command.invocations.filter(
    (i) => i.details === 'Failed' || i.details === 'ExecutionTimedOut',
  ).length;
  return errors > allowedErrors(command.maxErrors, command.invocations.length);
}

function createCommand(
  request: SendCommandRequest,
  options: RunCommandEngineOptions,
): CommandRecord {
  const document = options.documents.get(request.documentName);
  if (document === undefined) {
    throw new AwsServiceError(
      'InvalidDocument',
      `Document ${request.documentName} does not exist.`,
    );
  }
  const version = request.documentVersion;
  if (version !== undefined && !['$DEFAULT', '$LATEST', '1'].includes(version)) {
    throw new AwsServiceError(
      'InvalidDocumentVersion',
      `Document version ${version} does not exist.`,
    );
  }
  const step = prepareStep(document, validateParameters(document, request.parameters));
  const instances = resolveTargets(
    options.fleet.instances(),
    request.instanceIds,
    request.targets,
    options.account,
  );
  const commandId = randomUUID();
  const requestedAt = new Date();
  const timeoutSeconds = request.timeoutSeconds ?? DEFAULT_DELIVERY_TIMEOUT_SECONDS;
  const totalSeconds = timeoutSeconds + step.timeoutSeconds;
  const invocations = instances.map((instance): InvocationRecord => {
    const key = { commandId, instanceId: instance.id };
    return {
      commandId,
      instanceId: instance.id,
      instanceName: '',
      requestedAt,
      visibleAt: requestedAt.getTime() + options.behaviour.invocationVisibleAfterMs(key),
      deliveryDeadline:
        requestedAt.getTime() + options.behaviour.deliveryTimeoutMs(totalSeconds, key),
      details: 'Pending',
      responseCode: -1,
      startedAt: undefined,
      endedAt: undefined,
      standardOutput: '',
      standardError: '',
      pluginOutput: '',
      standardOutputUrl: '',
      standardErrorUrl: '',
      run: undefined,
    };
  });
  return {
    commandId,
    documentName: document.name,
    documentVersion: version ?? '',
    comment: request.comment ?? '',
    parameters: request.parameters ?? {},
    instanceIds: request.instanceIds ?? [],
    targets: request.targets ?? [],
    requestedAt,
    expiresAfter: new Date(requestedAt.getTime() + totalSeconds * 1000),
    timeoutSeconds,
    outputS3Region: request.outputS3Region ?? options.region,
    outputS3BucketName: request.outputS3BucketName ?? '',
    outputS3KeyPrefix: request.outputS3KeyPrefix ?? '',
    maxConcurrency: request.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
    maxErrors: request.maxErrors ?? '0',
    step,
    invocations,
    cancelRequested: false,
  };
}
