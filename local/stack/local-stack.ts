import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { executionStoppedPattern, releaseUploadedPattern } from '../../core/event-patterns.ts';
import { setLogSink } from '../../core/logger.ts';
import { SettingNames } from '../../core/settings.ts';
import {
  forwardOperations,
  PARAMETER_STORE_OPERATIONS,
} from '../control-plane/forward-operations.ts';
import { createControlPlaneServices, startControlPlane } from '../control-plane/index.ts';
import { withSsmFaults } from '../control-plane/ssm/faulty-ssm.ts';
import { withLambdaFaults } from '../faults/faulty-lambdas.ts';
import { withFleetFaults } from '../instances/faulty-fleet.ts';
import { createLocalFleet, type LocalFleet, localInstanceId } from '../instances/index.ts';
import { startLocalS3 } from '../s3/server.ts';
import { loadDefinition, localSubstitutions } from '../stepfunctions/definition.ts';
import { LOCAL_ACCOUNT_ID, localFunctionArn } from '../stepfunctions/local-lambda.ts';
import { LocalStepFunctions } from '../stepfunctions/step-functions-service.ts';
import { freePort } from './free-port.ts';
import { startLocalDynamoDb } from './local-dynamodb.ts';
import { loadLocalLambdas } from './local-lambdas.ts';
import { appendLines } from './log-file.ts';
import {
  type LocalInstanceInfo,
  type LocalStack,
  type LocalStackOptions,
  resolveOptions,
} from './options.ts';
import { publishExecutionStatus } from './status-events.ts';

const DOCUMENT_FILE = join(import.meta.dirname, '..', '..', 'documents', 'signet-deploy.json');

/**
 * Starts Signet on one machine: a local S3, DynamoDB (dynalite), the local control plane (SSM,
 * EC2, EventBridge, Step Functions), local instances, and the state machine file run by a local
 * ASL interpreter whose Task states call the same handler code Lambda runs. Everything binds
 * 127.0.0.1 and keeps its state under `stateDir`. One stack per process: the handlers' SDK
 * clients read their endpoints from this process's environment.
 *
 * @example
 * const stack = await startLocalStack({ stateDir: '.signet' });
 * // ... upload a release to stack.bucket with any S3 client pointed at stack.env
 * await stack.close();
 */
export async function startLocalStack(input: LocalStackOptions): Promise<LocalStack> {
  const options = resolveOptions(input);
  const stateDir = resolve(options.stateDir);
  await mkdir(join(stateDir, 'logs'), { recursive: true });
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await Promise.resolve(closer()).catch(() => undefined);
  };

  try {
    const logs = join(stateDir, 'logs', 'lambda.jsonl');
    const restoreSink = setLogSink(appendLines(logs));
    closers.push(() => void setLogSink(restoreSink));

    const instances = await planInstances(stateDir, options);
    const fleet = await createLocalFleet({
      stateDir,
      instances: instances.map((i) => ({
        id: i.id,
        name: i.name,
        tags: { [options.tagKey]: i.app },
        env: { SIGNET_HOME: i.signetHome, SIGNET_HTTP_PORT: String(i.httpPort) },
      })),
    });
    // Processes a previous run left behind under this state directory end now.
    await fleet.stop();
    closers.push(() => fleet.stop());

    const dynamodb = options.external.dynamodb
      ? { endpoint: options.external.dynamodb }
      : await startLocalDynamoDb({
          dir: join(stateDir, 'dynamodb'),
          table: options.stateTable,
          region: options.region,
          ...(options.ports.dynamodb === undefined ? {} : { port: options.ports.dynamodb }),
        });
    if ('close' in dynamodb) closers.push(() => dynamodb.close());

    let publishS3Event: (event: {
      source: string;
      'detail-type': string;
      detail: unknown;
      resources: readonly string[];
    }) => Promise<void> = async () => undefined;
    const s3 = options.external.s3
      ? { endpoint: options.external.s3 }
      : await startLocalS3({
          stateDir: join(stateDir, 's3'),
          buckets: [{ name: options.bucket, versioning: true }],
          region: options.region,
          accountId: LOCAL_ACCOUNT_ID,
          onEvent: (event) => publishS3Event(event),
          ...(options.ports.s3 === undefined ? {} : { port: options.ports.s3 }),
        });
    if ('close' in s3) closers.push(() => s3.close());
    const outputClient = new S3Client({
      endpoint: s3.endpoint,
      forcePathStyle: true,
      region: options.region,
      credentials: { accessKeyId: 'signet-local', secretAccessKey: 'signet-local' },
    });
    closers.push(() => outputClient.destroy());

    const faults = options.faults;
    const services = await createControlPlaneServices({
      stateDir,
      fleet: faults === undefined ? fleet : withFleetFaults(fleet, faults),
      documents: [{ name: options.documentName, file: DOCUMENT_FILE }],
      uploadOutput: async (bucket, key, body) => {
        await outputClient.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      },
      outputUrl: (_region, bucket, key) => `${s3.endpoint}/${bucket}/${encodeURI(key)}`,
      region: options.region,
      account: LOCAL_ACCOUNT_ID,
      ...(options.controlPlaneTiming === undefined ? {} : { timing: options.controlPlaneTiming }),
    });
    closers.push(() => services.close());

    const lambdas = await loadLocalLambdas(options.region);
    const stepFunctions = new LocalStepFunctions({
      stateDir,
      region: options.region,
      stateMachineName: options.stateMachineName,
      definition: await loadDefinition(localSubstitutions(options.region)),
      taskHandlers:
        faults === undefined
          ? lambdas.byArn
          : withLambdaFaults(lambdas.byArn, faults, (arn) =>
              arn.replace(/^.*:function:signet-/, ''),
            ),
      waitMs: options.timing.waitMs,
      retryMs: (_state, errors) =>
        errors.includes('SignatureMissing')
          ? options.timing.signatureRetryMs
          : options.timing.retryMs,
      onStatusChange: (execution) => publishExecutionStatus(services.eventBridge, execution),
    });
    closers.push(() => stepFunctions.stopAll());

    const external = options.external.ssmParameters;
    const ssmServed =
      external === undefined
        ? services.ssm
        : forwardOperations(services.ssm, PARAMETER_STORE_OPERATIONS, external, {
            region: options.region,
            signingName: 'ssm',
          });
    const plane = await startControlPlane({
      services: [
        ...services.services.map((service) =>
          service !== services.ssm
            ? service
            : faults === undefined
              ? ssmServed
              : withSsmFaults(ssmServed, faults),
        ),
        stepFunctions.service,
      ],
      ...(options.ports.controlPlane === undefined ? {} : { port: options.ports.controlPlane }),
    });
    closers.push(() => plane.close());

    const env = stackEnvironment(options, {
      s3: s3.endpoint,
      controlPlane: plane.endpoint,
      dynamodb: dynamodb.endpoint,
      stateMachineArn: stepFunctions.stateMachineArn,
    });
    Object.assign(process.env, env);

    publishS3Event = async (event) => {
      await services.eventBridge.publish({
        source: event.source,
        detailType: event['detail-type'],
        detail: event.detail,
        resources: event.resources,
      });
    };
    services.eventBridge.addRule({
      name: 'signet-release-uploaded',
      pattern: releaseUploadedPattern(options.bucket),
      targetArn: localFunctionArn('start-deployment', options.region),
      target: async (event) => {
        await lambdas.startDeployment(event);
      },
    });
    // As in AWS (infra/execution-stopped-rule.ts): stopped and timed-out executions, which
    // never reach RecordOutcome, are audited by record-outcome from their status event.
    const recordOutcomeArn = localFunctionArn('record-outcome', options.region);
    services.eventBridge.addRule({
      name: 'signet-execution-stopped',
      pattern: executionStoppedPattern(stepFunctions.stateMachineArn),
      targetArn: recordOutcomeArn,
      target: async (event) => {
        await lambdas.byArn.get(recordOutcomeArn)?.(event);
      },
    });

    return {
      stateDir,
      env,
      bucket: options.bucket,
      stateMachineArn: stepFunctions.stateMachineArn,
      endpoints: { s3: s3.endpoint, controlPlane: plane.endpoint, dynamodb: dynamodb.endpoint },
      instances: instances.map((i) => ({ ...i, root: fleet.instance(i.id)?.root ?? '' })),
      paths: {
        lambdaLogs: logs,
        events: join(stateDir, 'events.jsonl'),
        executions: join(stateDir, 'executions'),
        commandOutput: join(stateDir, 'command-output'),
        instances: join(stateDir, 'instances'),
        dynamodb: join(stateDir, 'dynamodb'),
      },
      fleet,
      stepFunctions,
      eventBus: services.eventBridge,
      idle: () => services.eventBridge.idle(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function planInstances(
  stateDir: string,
  options: ReturnType<typeof resolveOptions>,
): Promise<Omit<LocalInstanceInfo, 'root'>[]> {
  const planned: Omit<LocalInstanceInfo, 'root'>[] = [];
  let fixedPort = options.ports.firstInstanceHttp;
  for (const app of options.apps) {
    for (let n = 1; n <= app.instances; n += 1) {
      const name = `${app.name}-${n}`;
      const id = app.instanceIds?.[n - 1] ?? localInstanceId(name);
      const httpPort = fixedPort === undefined ? await freePort() : fixedPort++;
      const signetHome = join(stateDir, 'instances', id, 'root', 'opt', 'signet');
      planned.push({ id, name, app: app.name, httpPort, signetHome });
    }
  }
  return planned;
}

function stackEnvironment(
  options: ReturnType<typeof resolveOptions>,
  endpoints: { s3: string; controlPlane: string; dynamodb: string; stateMachineArn: string },
): Record<string, string> {
  return {
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_ACCESS_KEY_ID: 'signet-local',
    AWS_SECRET_ACCESS_KEY: 'signet-local',
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SSM: endpoints.controlPlane,
    AWS_ENDPOINT_URL_EC2: options.external.ec2 ?? endpoints.controlPlane,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.controlPlane,
    AWS_ENDPOINT_URL_SFN: endpoints.controlPlane,
    AWS_ENDPOINT_URL_KMS: options.external.kms ?? endpoints.controlPlane,
    AWS_ENDPOINT_URL_CLOUDWATCH: endpoints.controlPlane,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    [SettingNames.artifactBucket]: options.bucket,
    [SettingNames.stateTable]: options.stateTable,
    [SettingNames.parameterPrefix]: options.parameterPrefix,
    [SettingNames.documentName]: options.documentName,
    [SettingNames.stateMachineArn]: endpoints.stateMachineArn,
    [SettingNames.commandOutputBucket]: options.bucket,
    [SettingNames.commandOutputPrefix]: 'command-output/',
    [SettingNames.releaseRuleName]: 'signet-release-uploaded',
  };
}

export type { LocalFleet };
