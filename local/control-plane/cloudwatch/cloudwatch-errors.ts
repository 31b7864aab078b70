import { AwsServiceError } from '../service-types.ts';

/**
 * CloudWatch's errors as its query-compatible JSON protocol sends them: the model's shape name
 * as the type, the awsQuery code (what the AWS CLI prints) in `x-amzn-query-error`, and the
 * status the model gives each (client-cloudwatch's schemas).
 */

export function validationError(field: string, constraint: string, value?: unknown): Error {
  const shown = value === undefined ? 'null' : `'${String(value)}'`;
  return new AwsServiceError(
    'ValidationException',
    `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ` +
      constraint,
    400,
    'ValidationError',
  );
}

export function invalidParameterValue(message: string): Error {
  return new AwsServiceError(
    'InvalidParameterValueException',
    message,
    400,
    'InvalidParameterValue',
  );
}

export function invalidParameterCombination(message: string): Error {
  return new AwsServiceError(
    'InvalidParameterCombinationException',
    message,
    400,
    'InvalidParameterCombination',
  );
}

export function invalidFormat(message: string): Error {
  return new AwsServiceError('InvalidFormatFault', message, 400, 'InvalidFormat');
}

export function invalidNextToken(): AwsServiceError {
  return new AwsServiceError(
    'InvalidNextToken',
    'The service returned an invalid NextToken.',
    400,
    'InvalidNextToken',
  );
}

export function alarmNotFound(name: string): Error {
  return new AwsServiceError(
    'ResourceNotFound',
    `Alarm ${name} not found`,
    404,
    'ResourceNotFound',
  );
}
