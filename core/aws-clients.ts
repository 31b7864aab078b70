import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';

/**
 * How every Signet client is configured. Endpoints are never set here: the SDK reads
 * AWS_ENDPOINT_URL_<SERVICE> itself, which is how local mode points the very same code at local
 * servers without the code knowing. Standard retry mode with 5 attempts instead of 3: SSM and
 * EC2 Describe* calls are often throttled on large fleets, and the SDK's backoff is jittered.
 */
export const CLIENT_CONFIG = { maxAttempts: 5, retryMode: 'standard' } as const;

/** A factory that makes its value on first call and returns the same one afterwards. */
export function memoize<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

export interface AwsClients {
  readonly s3: () => S3Client;
  readonly ssm: () => SSMClient;
  readonly ec2: () => EC2Client;
  readonly sfn: () => SFNClient;
  readonly eventBridge: () => EventBridgeClient;
  readonly dynamodb: () => DynamoDBClient;
  readonly kms: () => KMSClient;
}

/**
 * Every client, each made on first use. For the CLI: a Lambda imports only the clients it
 * calls (functions/shared/default-deps.ts) so its bundle carries no other SDK.
 */
export function createAwsClients(): AwsClients {
  return {
    s3: memoize(() => new S3Client(CLIENT_CONFIG)),
    ssm: memoize(() => new SSMClient(CLIENT_CONFIG)),
    ec2: memoize(() => new EC2Client(CLIENT_CONFIG)),
    sfn: memoize(() => new SFNClient(CLIENT_CONFIG)),
    eventBridge: memoize(() => new EventBridgeClient(CLIENT_CONFIG)),
    dynamodb: memoize(() => new DynamoDBClient(CLIENT_CONFIG)),
    kms: memoize(() => new KMSClient(CLIENT_CONFIG)),
  };
}
