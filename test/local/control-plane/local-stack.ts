import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { ControlPlaneTiming } from '../../../local/control-plane/behaviour.ts';
import {
  type ControlPlaneServices,
  type ControlPlaneServicesOptions,
  createControlPlaneServices,
} from '../../../local/control-plane/create-services.ts';
import { startControlPlane } from '../../../local/control-plane/server.ts';
import {
  createLocalFleet,
  type LocalFleet,
  type LocalInstanceSpec,
} from '../../../local/instances/local-fleet.ts';

/** Timing short enough for tests, every window still non-zero. */
export const TEST_TIMING: ControlPlaneTiming = {
  invocationVisibilityDelayMs: 150,
  deliveryDelayMs: 10,
  redeliveryIntervalMs: 20,
  deliveryTimeoutMsPerSecond: 5,
  executionTimeoutMsPerSecond: 250,
};

export interface LocalStack {
  readonly stateDir: string;
  readonly endpoint: string;
  readonly fleet: LocalFleet;
  readonly services: ControlPlaneServices;
  readonly ssm: SSMClient;
  readonly ec2: EC2Client;
  readonly eventBridge: EventBridgeClient;
  close(): Promise<void>;
}

export const DEFAULT_INSTANCES: readonly LocalInstanceSpec[] = [
  { name: 'web-1', tags: { App: 'web', Env: 'test' } },
  { name: 'web-2', tags: { App: 'web', Env: 'test' } },
  { name: 'db-1', tags: { App: 'db' } },
];

/** A fleet, the control plane's services, the server and real SDK clients pointed at it. */
export async function startLocalStack(
  options: {
    readonly instances?: readonly LocalInstanceSpec[];
    readonly services?: Partial<ControlPlaneServicesOptions>;
  } = {},
): Promise<LocalStack> {
  const stateDir = await mkdtemp(join(tmpdir(), 'signet-control-plane-'));
  const fleet = await createLocalFleet({
    stateDir,
    instances: options.instances ?? DEFAULT_INSTANCES,
    timing: { stopGraceMs: 500, drainMs: 50 },
  });
  const services = await createControlPlaneServices({
    stateDir,
    fleet,
    documents: [],
    timing: TEST_TIMING,
    ...options.services,
  });
  const plane = await startControlPlane({ services: services.services });
  const config = {
    endpoint: plane.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
  };
  const ssm = new SSMClient(config);
  const ec2 = new EC2Client(config);
  const eventBridge = new EventBridgeClient(config);
  return {
    stateDir,
    endpoint: plane.endpoint,
    fleet,
    services,
    ssm,
    ec2,
    eventBridge,
    async close() {
      services.close();
      await fleet.stop();
      await plane.close();
      for (const client of [ssm, ec2, eventBridge]) client.destroy();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** Polls `read` until `done` holds, failing after `timeoutMs`. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch((error: unknown) => error as T);
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms: ${String(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The error a promise rejects with, for asserting on AWS error names. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}
