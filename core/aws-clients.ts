import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';

/**
 * The SDK clients Signet uses, created on first use. Endpoints are never set here: the SDK
 * reads AWS_ENDPOINT_URL_<SERVICE> itself, which is how local mode points the very same code
 * at local servers without the code knowing.
 */
export interface AwsClients {
  readonly s3: S3Client;
  readonly ssm: SSMClient;
  readonly ec2: EC2Client;
  readonly sfn: SFNClient;
  readonly eventBridge: EventBridgeClient;
  readonly dynamodb: DynamoDBClient;
}

// Standard retry mode with a few more attempts than the default 3: throttling on SSM and EC2
// Describe* calls is common on large fleets, and the SDK's backoff is jittered.
const RETRY = { maxAttempts: 5, retryMode: 'standard' } as const;

export function createAwsClients(): AwsClients {
  const cache = new Map<string, unknown>();
  function lazy<T>(name: string, make: () => T): T {
    if (!cache.has(name)) cache.set(name, make());
    return cache.get(name) as T;
  }
  return {
    get s3() {
      return lazy('s3', () => new S3Client(RETRY));
    },
    get ssm() {
      return lazy('ssm', () => new SSMClient(RETRY));
    },
    get ec2() {
      return lazy('ec2', () => new EC2Client(RETRY));
    },
    get sfn() {
      return lazy('sfn', () => new SFNClient(RETRY));
    },
    get eventBridge() {
      return lazy('eventBridge', () => new EventBridgeClient(RETRY));
    },
    get dynamodb() {
      return lazy('dynamodb', () => new DynamoDBClient(RETRY));
    },
  };
}
