import { optionalObjects } from '../input-fields.ts';
import { AwsServiceError, type JsonObject, type JsonOperation } from '../service-types.ts';
import type { LocalEventBus } from './event-bus.ts';

// PutEvents limits (EventBridge API reference, PutEvents; user guide "Calculating PutEvents
// event entry size"): 1 to 10 entries, and a total under 256 KB.
const MAX_ENTRIES = 10;
const MAX_TOTAL_BYTES = 256 * 1024;
// An entry's Time counts as 14 bytes whatever its value (same user guide page).
const TIME_BYTES = 14;

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsOptions {
  /** Buses PutEvents accepts besides `default`; absent: any name. */
  readonly eventBusNames?: readonly string[];
}

/**
 * PutEvents: the request as a whole is refused for more than 10 entries or 256 KB or more;
 * otherwise each entry succeeds or fails on its own (FailedEntryCount, ErrorCode and
 * ErrorMessage per entry) with the codes EventBridge uses: InvalidArgument for a missing
 * Source, DetailType or Detail, MalformedDetail when Detail is not a JSON object, and
 * NotAuthorizedForSourceException for the reserved `aws.` sources.
 */
export function putEventsOperation(bus: LocalEventBus, options: PutEventsOptions): JsonOperation {
  return async (input) => {
    const entries = optionalObjects(input, 'Entries') ?? [];
    if (entries.length < 1 || entries.length > MAX_ENTRIES) {
      throw new AwsServiceError(
        'ValidationException',
        "1 validation error detected: Value at 'entries' failed to satisfy constraint: " +
          `Member must have length between 1 and ${MAX_ENTRIES}`,
      );
    }
    if (entries.reduce((total, entry) => total + entrySize(entry), 0) >= MAX_TOTAL_BYTES) {
      throw new AwsServiceError(
        'ValidationException',
        'Total size of the entries in the request is over the limit.',
      );
    }
    const results: EntryResult[] = [];
    for (const entry of entries) results.push(await putEntry(bus, entry, options));
    return {
      FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
      Entries: results,
    };
  };
}

async function putEntry(
  bus: LocalEventBus,
  entry: JsonObject,
  options: PutEventsOptions,
): Promise<EntryResult> {
  for (const field of ['Source', 'DetailType', 'Detail']) {
    const value = entry[field];
    if (typeof value !== 'string' || value === '') {
      return failure(
        'InvalidArgument',
        `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
      );
    }
  }
  const source = entry['Source'] as string;
  if (source.startsWith('aws.')) {
    return failure('NotAuthorizedForSourceException', 'Not authorized for the source.');
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry['Detail'] as string);
  } catch {
    detail = undefined;
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    return failure('MalformedDetail', 'Detail is malformed.');
  }
  const busName = busNameOf(entry['EventBusName']);
  const known = options.eventBusNames;
  if (busName !== 'default' && known !== undefined && !known.includes(busName)) {
    return failure('ResourceNotFoundException', `Event bus ${busName} does not exist.`);
  }
  const time = timeOf(entry['Time']);
  const resources = Array.isArray(entry['Resources']) ? entry['Resources'].map(String) : [];
  const event = await bus.publish({
    source,
    detailType: entry['DetailType'] as string,
    detail,
    resources,
    eventBusName: busName,
    ...(time === undefined ? {} : { time }),
  });
  return { EventId: event.id };
}

function failure(code: string, message: string): EntryResult {
  return { ErrorCode: code, ErrorMessage: message };
}

/** A bus name, or the name out of an event bus ARN. */
function busNameOf(raw: unknown): string {
  if (typeof raw !== 'string' || raw === '') return 'default';
  const arn = /:event-bus\/(.+)$/.exec(raw);
  return arn?.[1] ?? raw;
}

/** JSON-protocol timestamps are epoch seconds; ISO strings are accepted too. */
function timeOf(raw: unknown): Date | undefined {
  if (typeof raw === 'number') return new Date(raw * 1000);
  if (typeof raw === 'string' && !Number.isNaN(Date.parse(raw))) return new Date(raw);
  return undefined;
}

function entrySize(entry: JsonObject): number {
  const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  const resources = Array.isArray(entry['Resources']) ? entry['Resources'] : [];
  return (
    (entry['Time'] === undefined ? 0 : TIME_BYTES) +
    bytes(entry['Source']) +
    bytes(entry['DetailType']) +
    bytes(entry['Detail']) +
    resources.reduce((total: number, resource: unknown) => total + bytes(resource), 0)
  );
}
