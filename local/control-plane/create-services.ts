import { join } from 'node:path';
import {
  type ControlPlaneBehaviour,
  type ControlPlaneTiming,
  createBehaviour,
} from './behaviour.ts';
import { cloudWatchService } from './cloudwatch/cloudwatch-service.ts';
import { ec2Service } from './ec2/ec2-service.ts';
import {
  createEventBus,
  type EventBridgeEvent,
  type LocalEventBus,
} from './eventbridge/event-bus.ts';
import { eventBridgeService } from './eventbridge/eventbridge-service.ts';
import type { ManagedFleet } from './fleet-port.ts';
import { kmsService } from './kms/kms-service.ts';
import type { JsonService, LocalService, QueryService } from './service-types.ts';
import { AWS_RUN_SHELL_SCRIPT } from './ssm/aws-run-shell-script.ts';
import { type CommandDocument, loadCommandDocument } from './ssm/command-document.ts';
import { instanceInformationOperations } from './ssm/instance-information.ts';
import { awsOutputUrl, type OutputUrl, type UploadOutput } from './ssm/invocation-output.ts';
import { createParameterStore } from './ssm/parameter-store.ts';
import { runCommandOperations } from './ssm/run-command-api.ts';
import { createRunCommandEngine } from './ssm/run-command-engine.ts';
import { ssmService } from './ssm/ssm-service.ts';

export interface ControlPlaneServicesOptions {
  /** Holds parameters.json, events.jsonl, kms-keys.json, cloudwatch-alarms.json, command-output. */
  readonly stateDir: string;
  readonly fleet: ManagedFleet;
  /** Command documents to register, e.g. `{ name: 'SignetDeploy', file: 'documents/x.json' }`. */
  readonly documents: readonly { readonly name: string; readonly file: string }[];
  /** Puts full command output into S3 when a command names OutputS3BucketName. Default: none. */
  readonly uploadOutput?: UploadOutput;
  /** The StandardOutputUrl for an object. Default: `https://s3.<region>.amazonaws.com/...`. */
  readonly outputUrl?: OutputUrl;
  /** Timing numbers; see DEFAULT_TIMING. */
  readonly timing?: Partial<ControlPlaneTiming>;
  /** Replaces single behaviour decisions (the fault-injection seam). */
  readonly behaviour?: Partial<ControlPlaneBehaviour>;
  /** Default us-east-1. */
  readonly region?: string;
  /** Default 123456789012. */
  readonly account?: string;
  /** Event buses PutEvents accepts besides `default`. Default: any name. */
  readonly eventBusNames?: readonly string[];
  /** Told when an event rule's target throws. Default: nothing. */
  readonly onDeliveryFailure?: (rule: string, event: EventBridgeEvent, error: unknown) => void;
}

export interface ControlPlaneServices {
  readonly ssm: JsonService;
  readonly ec2: QueryService;
  /** The AWSEvents service, and the in-process bus behind it. */
  readonly eventBridge: JsonService & LocalEventBus;
  /** KMS signing keys (TrentService), kept in `<stateDir>/kms-keys.json`. */
  readonly kms: JsonService;
  /** CloudWatch alarms (GraniteServiceVersion20100801), in `<stateDir>/cloudwatch-alarms.json`. */
  readonly cloudWatch: JsonService;
  /** All of them, for startControlPlane. */
  readonly services: readonly LocalService[];
  /** Stops Run Command's timers and kills the scripts it started. */
  close(): void;
}

/**
 * Builds the services the local control plane serves, over a local fleet.
 *
 * @example
 * const services = await createControlPlaneServices({ stateDir, fleet, documents: [] });
 * const plane = await startControlPlane({ services: services.services });
 */
export async function createControlPlaneServices(
  options: ControlPlaneServicesOptions,
): Promise<ControlPlaneServices> {
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  const documents = new Map<string, CommandDocument>([
    [AWS_RUN_SHELL_SCRIPT.name, AWS_RUN_SHELL_SCRIPT],
  ]);
  for (const { name, file } of options.documents) {
    documents.set(name, await loadCommandDocument(name, file));
  }
  const engine = createRunCommandEngine({
    fleet: options.fleet,
    documents,
    behaviour: createBehaviour(options.timing, options.behaviour),
    sinks: {
      outputDir: join(options.stateDir, 'command-output'),
      uploadOutput: options.uploadOutput,
      outputUrl: options.outputUrl ?? awsOutputUrl,
    },
    region,
    account,
  });
  const ssm = ssmService(
    await createParameterStore({ stateDir: options.stateDir, region, account }),
    runCommandOperations(engine),
    instanceInformationOperations(options.fleet),
  );
  const ec2 = ec2Service(options.fleet, { account, availabilityZone: `${region}a` });
  const bus = createEventBus({
    stateDir: options.stateDir,
    region,
    account,
    ...(options.onDeliveryFailure === undefined
      ? {}
      : { onDeliveryFailure: options.onDeliveryFailure }),
  });
  const eventBridge = {
    ...eventBridgeService(bus, {
      ...(options.eventBusNames === undefined ? {} : { eventBusNames: options.eventBusNames }),
    }),
    ...bus,
  };
  const kms = await kmsService({ stateDir: options.stateDir, region, account });
  const cloudWatch = await cloudWatchService({ stateDir: options.stateDir, region, account });
  return {
    ssm,
    ec2,
    eventBridge,
    kms,
    cloudWatch,
    services: [ssm, ec2, eventBridge, kms, cloudWatch],
    close: () => engine.close(),
  };
}
