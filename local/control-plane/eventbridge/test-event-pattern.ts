import { compileEventPattern } from '../event-pattern.ts';
import { requiredString } from '../input-fields.ts';
import { AwsServiceError, type JsonOperation } from '../service-types.ts';

// The fields EventBridge requires in TestEventPattern's Event. The API reference lists
// `resources` too, but EventBridge accepts an event without it (localstack #11994, checked
// against AWS).
const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

/**
 * TestEventPattern: whether the event matches the pattern, with the matcher rules use. A
 * pattern that is not JSON or not a valid pattern is InvalidEventPatternException; an event
 * that is not a JSON object with the required fields is ValidationException "Parameter Event
 * is not valid." (the answer quoted in public reports of AWS's behaviour).
 */
export const testEventPatternOperation: JsonOperation = async (input) => {
  const patternText = requiredString(input, 'EventPattern');
  const eventText = requiredString(input, 'Event');
  let pattern: unknown;
  try {
    pattern = JSON.parse(patternText);
  } catch (error) {
    throw new AwsServiceError(
      'InvalidEventPatternException',
      `Event pattern is not valid. Reason: ${(error as Error).message}`,
    );
  }
  const matches = compileEventPattern(pattern);
  let event: unknown;
  try {
    event = JSON.parse(eventText);
  } catch {
    event = undefined;
  }
  if (
    event === null ||
    typeof event !== 'object' ||
    Array.isArray(event) ||
    REQUIRED_EVENT_FIELDS.some((field) => !Object.hasOwn(event as object, field))
  ) {
    throw new AwsServiceError('ValidationException', 'Parameter Event is not valid.');
  }
  return { Result: matches(event) };
};
