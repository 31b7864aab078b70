import type { ControlPlaneTiming, LocalEventBus } from '../control-plane/index.ts';
import type { FaultPlan } from '../faults/fault-plan.ts';
import type { LocalFleet } from '../instances/index.ts';
import type { LocalStepFunctions } from '../stepfunctions/step-functions-service.ts';

export interface LocalStackTiming {
  /** How long every Wait state lasts locally (AWS waits seconds between SSM polls). */
  readonly waitMs: number;
  /** How long a Retry pauses locally. */
  readonly retryMs: number;
  /** How long verification waits between looks for a late signature (12 looks in all). */
  readonly signatureRetryMs: number;
}

export interface LocalStackOptions {
  /** Where all state lives (objects, records, instances, logs). */
  readonly stateDir: string;
  /** Apps and how many local instances each gets. Default: app `web` on 2 instances. */
  readonly apps?: readonly {
    readonly name: string;
    readonly instances: number;
    /** The instances' ids, in order, to match those an external EC2 lists. Default: derived. */
    readonly instanceIds?: readonly string[];
  }[];
  /** Fixed ports; 0 or absent picks free ones. */
  readonly ports?: {
    readonly s3?: number;
    readonly controlPlane?: number;
    readonly dynamodb?: number;
    /** The first instance's app port; the next instances take the ports after it. */
    readonly firstInstanceHttp?: number;
  };
  readonly timing?: Partial<LocalStackTiming>;
  readonly controlPlaneTiming?: Partial<ControlPlaneTiming>;
  /** Services answered by another implementation (an AWS emulator). Default: all local. */
  readonly externalEndpoints?: ExternalEndpoints;
  /** Faults to inject (tests): told per instance, operation or function, changeable mid-run. */
  readonly faults?: FaultPlan;
}

/**
 * Endpoints that take over from Signet's own servers, to run the same deployment against an
 * independent AWS emulator such as moto_server. The caller creates what Signet expects there
 * (the versioned bucket, the state table). With an external S3 the stack sees no uploads, so
 * the caller publishes the Object Created events on `eventBus`. SSM Run Command, instance
 * information and Step Functions always stay local, with the local instances.
 */
export interface ExternalEndpoints {
  readonly s3?: string;
  readonly dynamodb?: string;
  readonly kms?: string;
  /** DescribeInstances; give the apps `instanceIds` matching the instances it lists. */
  readonly ec2?: string;
  /** Parameter Store only: the local control plane forwards those operations here. */
  readonly ssmParameters?: string;
}

/** One local instance, as people and tests need to find it. */
export interface LocalInstanceInfo {
  readonly id: string;
  readonly name: string;
  readonly app: string;
  /** The port its app listens on (SIGNET_HTTP_PORT). */
  readonly httpPort: number;
  /** Its SIGNET_HOME: releases, the current link, the run directory. */
  readonly signetHome: string;
  readonly root: string;
}

export interface LocalStack {
  readonly stateDir: string;
  /** The environment that points the SDK, the AWS CLI and `signet` at this stack. */
  readonly env: Readonly<Record<string, string>>;
  readonly bucket: string;
  readonly stateMachineArn: string;
  readonly endpoints: {
    readonly s3: string;
    readonly controlPlane: string;
    readonly dynamodb: string;
  };
  readonly instances: readonly LocalInstanceInfo[];
  readonly paths: {
    readonly lambdaLogs: string;
    readonly events: string;
    readonly executions: string;
    readonly commandOutput: string;
    readonly instances: string;
    readonly dynamodb: string;
  };
  readonly fleet: LocalFleet;
  readonly stepFunctions: LocalStepFunctions;
  readonly eventBus: LocalEventBus;
  /** Resolves when every event delivered so far has been handled (deployments started). */
  idle(): Promise<void>;
  /** Stops every server and every process the stack started. */
  close(): Promise<void>;
}

export const DEFAULT_TIMING: LocalStackTiming = {
  waitMs: 150,
  retryMs: 100,
  signatureRetryMs: 250,
};

export function resolveOptions(options: LocalStackOptions) {
  return {
    stateDir: options.stateDir,
    apps: options.apps ?? [{ name: 'web', instances: 2 }],
    ports: options.ports ?? {},
    timing: { ...DEFAULT_TIMING, ...options.timing },
    controlPlaneTiming: options.controlPlaneTiming,
    faults: options.faults,
    external: options.externalEndpoints ?? {},
    region: 'us-east-1',
    bucket: 'signet-artifacts',
    stateTable: 'signet-state',
    parameterPrefix: '/signet',
    documentName: 'SignetDeploy',
    stateMachineName: 'signet-deploy',
    tagKey: 'signet:app',
  };
}
