import { AwsServiceError, type JsonObject } from '../service-types.ts';

export interface CommandFilter {
  readonly key: string;
  readonly value: string;
}

/** What a filter is checked against, for a command or for one invocation. */
export interface FilterSubject {
  readonly status: string;
  readonly statusDetails: string;
  readonly documentName: string;
  readonly requestedAt: Date;
  /** Absent for invocations: ExecutionStage applies to ListCommands only. */
  readonly complete?: boolean;
}

const KEYS = new Set(['InvokedAfter', 'InvokedBefore', 'Status', 'ExecutionStage', 'DocumentName']);

/** Reads ListCommands / ListCommandInvocations Filters: 1 to 5 of `{key, value}`. */
export function readFilters(raw: JsonObject[] | undefined, forCommands: boolean): CommandFilter[] {
  if (raw === undefined) return [];
  if (raw.length < 1 || raw.length > 5) {
    throw new AwsServiceError('ValidationException', 'Filters must hold 1 to 5 filters.');
  }
  return raw.map((filter) => {
    const key = String(filter['key'] ?? '');
    const value = String(filter['value'] ?? '');
    if (!KEYS.has(key) || (key === 'ExecutionStage' && !forCommands)) {
      throw new AwsServiceError('InvalidFilterKey', '');
    }
    if ((key === 'InvokedAfter' || key === 'InvokedBefore') && Number.isNaN(Date.parse(value))) {
      throw new AwsServiceError('InvalidFilterValue', `${value} is not a valid timestamp.`);
    }
    return { key, value };
  });
}

/**
 * Whether a command or invocation passes every filter. Status matches either the Status or
 * the StatusDetails word, and TimedOut covers both kinds of timeout, as the CommandFilter
 * documentation lists them.
 */
export function passesFilters(subject: FilterSubject, filters: readonly CommandFilter[]): boolean {
  return filters.every(({ key, value }) => {
    switch (key) {
      case 'InvokedAfter':
        return subject.requestedAt.getTime() >= Date.parse(value);
      case 'InvokedBefore':
        return subject.requestedAt.getTime() <= Date.parse(value);
      case 'DocumentName':
        return subject.documentName === value;
      case 'ExecutionStage':
        return value === 'Complete' ? subject.complete === true : subject.complete === false;
      default:
        return subject.status === value || subject.statusDetails === value;
    }
  });
}
