import { AwsServiceError, type JsonObject } from './service-types.ts';

/**
 * Reading request fields with the errors AWS gives for a wrong type (SerializationException,
 * as the service fails to read the field) or a constraint (ValidationException).
 */

const wrongType = (field: string, expected: string) =>
  new AwsServiceError('SerializationException', `${field} must be ${expected}`);

export function validationError(field: string, constraint: string): AwsServiceError {
  return new AwsServiceError(
    'ValidationException',
    `1 validation error detected: Value at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

export function optionalString(input: JsonObject, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(field, 'a string');
  return value;
}

export function requiredString(input: JsonObject, field: string): string {
  const value = optionalString(input, field);
  if (value === undefined) throw validationError(field, 'Member must not be null');
  return value;
}

export function optionalNumber(input: JsonObject, field: string): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongType(field, 'a number');
  return value;
}

export function optionalBoolean(input: JsonObject, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw wrongType(field, 'a boolean');
  return value;
}

export function optionalStrings(input: JsonObject, field: string): string[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw wrongType(field, 'a list of strings');
  }
  return value as string[];
}

export function optionalObjects(input: JsonObject, field: string): JsonObject[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => item === null || typeof item !== 'object')) {
    throw wrongType(field, 'a list of objects');
  }
  return value as JsonObject[];
}

/** A page size within the operation's bounds, or its default when absent. */
export function maxResults(
  input: JsonObject,
  bounds: { min: number; max: number; fallback: number },
) {
  const value = optionalNumber(input, 'MaxResults');
  if (value === undefined) return bounds.fallback;
  if (value < bounds.min || value > bounds.max || !Number.isInteger(value)) {
    throw validationError(
      'maxResults',
      `Member must have value between ${bounds.min} and ${bounds.max}`,
    );
  }
  return value;
}
