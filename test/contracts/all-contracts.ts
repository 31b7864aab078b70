import type { Contract } from './contract.ts';
import { dynamoDbContract } from './dynamodb.contract.ts';
import { ec2Contract } from './ec2.contract.ts';
import { eventBridgeContract } from './eventbridge.contract.ts';
import { kmsContract } from './kms.contract.ts';
import { s3Contract } from './s3.contract.ts';
import { ssmParametersContract } from './ssm-parameters.contract.ts';
import { ssmRunCommandContract } from './ssm-run-command.contract.ts';
import { stepFunctionsContract } from './stepfunctions.contract.ts';

/** Every AWS API Signet calls, one contract each. */
export const ALL_CONTRACTS: readonly Contract[] = [
  s3Contract,
  ssmParametersContract,
  ssmRunCommandContract,
  ec2Contract,
  kmsContract,
  dynamoDbContract,
  eventBridgeContract,
  stepFunctionsContract,
];
