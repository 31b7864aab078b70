import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { describe, it } from 'vitest';

/**
 * A contract is written once and run against several targets: Signet's own local endpoints,
 * moto_server (an emulator nobody on this project wrote), and AWS's documented answers replayed
 * through aws-sdk-client-mock. Each case drives the code Signet runs (or the exact request it
 * sends) and asserts what Signet must make of the answer.
 */
export type TargetName = 'local' | 'moto' | 'recorded';

export interface AwsClients {
  readonly s3: S3Client;
  readonly ssm: SSMClient;
  readonly ec2: EC2Client;
  readonly kms: KMSClient;
  readonly dynamodb: DynamoDBClient;
  readonly eventBridge: EventBridgeClient;
  readonly sfn: SFNClient;
}

/** The recorded target's stubs, one per client, reset before every case. */
export type RecordedStubs = { readonly [K in keyof AwsClients]: AwsClientStub<AwsClients[K]> };

/** What a target provides: clients and the resources every live target creates up front. */
export interface ContractWorld {
  readonly target: TargetName;
  readonly clients: AwsClients;
  /** A versioned bucket. */
  readonly bucket: string;
  /** A bucket whose versioning was never enabled. */
  readonly plainBucket: string;
  /** Signet's state table (pk, sk). */
  readonly table: string;
  /** Instances tagged `tagKey=tagValue`: some running, one stopped, one of another app. */
  readonly fleet: {
    readonly tagKey: string;
    readonly tagValue: string;
    readonly running: readonly string[];
    readonly stopped: readonly string[];
    readonly otherApp: readonly string[];
  };
  /** A state machine whose executions stay RUNNING until stopped. */
  readonly stateMachineArn: string;
  /** A name no other case used on this target. */
  unique(prefix: string): string;
}

export interface ContractCase<T> {
  readonly name: string;
  /** Makes the state the case needs on a live target (local, moto). */
  readonly arrange?: (world: ContractWorld) => Promise<void>;
  /** Loads AWS's documented answers for the calls `act` makes (recorded target). */
  readonly recorded: (stubs: RecordedStubs, world: ContractWorld) => void;
  readonly act: (world: ContractWorld) => Promise<T>;
  readonly assess: (result: T, world: ContractWorld) => void;
  /** Targets known to answer differently, with the reason and its source: expected to fail. */
  readonly divergent?: Partial<Record<TargetName, string>>;
  /** Targets that do not implement the API at all: skipped, with the reason. */
  readonly unsupported?: Partial<Record<TargetName, string>>;
}

export interface Contract {
  /** The AWS API, as the docs table names it (`S3`, `SSM Parameter Store`, ...). */
  readonly api: string;
  /** The operations Signet calls that the cases cover. */
  readonly operations: readonly string[];
  readonly cases: readonly ContractCase<never>[];
  /** The whole API is absent on these targets (moto's Run Command is a stub). */
  readonly unsupported?: Partial<Record<TargetName, string>>;
}

/** Keeps each case's result type while the contract holds a list of them. */
export function contractCase<T>(spec: ContractCase<T>): ContractCase<never> {
  return spec as unknown as ContractCase<never>;
}

/**
 * Registers every case of every contract as a vitest test for one target. A case marked
 * divergent there must fail (vitest's `it.fails`), so the divergence list cannot go stale.
 */
export function runContracts(
  target: TargetName,
  contracts: readonly Contract[],
  world: () => ContractWorld,
  stubs?: () => RecordedStubs,
): void {
  for (const contract of contracts) {
    describe(`${contract.api} contract on ${target}`, () => {
      for (const spec of contract.cases) {
        const absent = contract.unsupported?.[target] ?? spec.unsupported?.[target];
        if (absent !== undefined) {
          it.skip(`${spec.name} (not on ${target}: ${absent})`, () => undefined);
          continue;
        }
        const divergence = spec.divergent?.[target];
        const test = divergence === undefined ? it : it.fails;
        const name =
          divergence === undefined ? spec.name : `${spec.name} (diverges: ${divergence})`;
        test(name, async () => {
          const current = world();
          if (target === 'recorded') {
            const recorded = stubs?.();
            if (recorded === undefined) throw new Error('the recorded target needs its stubs');
            for (const stub of Object.values(recorded)) stub.reset();
            spec.recorded(recorded, current);
          } else {
            await spec.arrange?.(current);
          }
          spec.assess(await spec.act(current), current);
        });
      }
    });
  }
}

/** The error a call threw, or a failure when it did not throw. */
export async function thrown(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw, and it answered');
}
