import {
  optionalNumber,
  optionalString,
  optionalStrings,
  requiredString,
} from '../input-fields.ts';
import { paginate } from '../pagination.ts';
import type { JsonObject, JsonOperation } from '../service-types.ts';
import type { AlarmStateValue, AlarmStore, StoredAlarm } from './alarm-store.ts';
import {
  alarmNotFound,
  invalidFormat,
  invalidNextToken,
  invalidParameterCombination,
  invalidParameterValue,
  validationError,
} from './cloudwatch-errors.ts';

const STATE_VALUES: readonly AlarmStateValue[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const COMPARISON_OPERATORS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
];
// PutMetricAlarm fields kept as given and returned by DescribeAlarms (the MetricAlarm shape).
const CONFIGURATION_FIELDS = [
  'AlarmDescription',
  'ActionsEnabled',
  'OKActions',
  'AlarmActions',
  'InsufficientDataActions',
  'MetricName',
  'Namespace',
  'Statistic',
  'ExtendedStatistic',
  'Dimensions',
  'Period',
  'Unit',
  'EvaluationPeriods',
  'DatapointsToAlarm',
  'Threshold',
  'ComparisonOperator',
  'TreatMissingData',
  'EvaluateLowSampleCountPercentile',
  'Metrics',
  'ThresholdMetricId',
];
const DEFAULT_MAX_RECORDS = 50;

/**
 * DescribeAlarms, SetAlarmState and PutMetricAlarm over the alarm store: enough for a test or an
 * operator to create an alarm by name and set its state, and for Signet to read it.
 */
export function cloudWatchOperations(
  store: AlarmStore,
  where: { readonly region: string; readonly account: string },
  now: () => Date = () => new Date(),
): Record<string, JsonOperation> {
  return {
    async PutMetricAlarm(input) {
      const name = alarmName(input, 'alarmName');
      const evaluationPeriods = optionalNumber(input, 'EvaluationPeriods');
      if (evaluationPeriods === undefined || !Number.isInteger(evaluationPeriods)) {
        throw validationError('evaluationPeriods', 'Member must not be null', evaluationPeriods);
      }
      if (evaluationPeriods < 1) {
        throw validationError(
          'evaluationPeriods',
          'Member must have value greater than or equal to 1',
          evaluationPeriods,
        );
      }
      oneOf(input, 'ComparisonOperator', 'comparisonOperator', COMPARISON_OPERATORS, true);
      const period = optionalNumber(input, 'Period');
      if (period !== undefined && ![10, 20, 30].includes(period) && period % 60 !== 0) {
        throw invalidParameterValue('The parameter Period must be 10, 20, 30 or a multiple of 60.');
      }
      const at = now().toISOString();
      const existing = store.get(name);
      const configuration: JsonObject = { ActionsEnabled: true };
      for (const field of CONFIGURATION_FIELDS) {
        if (input[field] !== undefined) configuration[field] = input[field];
      }
      // An update overwrites the configuration and leaves the state as it is.
      await store.put({
        name,
        arn: `arn:aws:cloudwatch:${where.region}:${where.account}:alarm:${name}`,
        configuration,
        configurationUpdatedAt: at,
        state: existing?.state ?? 'INSUFFICIENT_DATA',
        stateReason: existing?.stateReason ?? 'Unchecked: Initial alarm creation',
        stateReasonData: existing?.stateReasonData ?? null,
        stateUpdatedAt: existing?.stateUpdatedAt ?? at,
        stateTransitionedAt: existing?.stateTransitionedAt ?? at,
      });
      return {};
    },

    async SetAlarmState(input) {
      const name = alarmName(input, 'alarmName');
      const state = oneOf(input, 'StateValue', 'stateValue', STATE_VALUES, true) as AlarmStateValue;
      const reason = requiredString(input, 'StateReason');
      if (reason.length > 1023) {
        throw validationError('stateReason', 'Member must have length less than or equal to 1023');
      }
      const data = optionalString(input, 'StateReasonData');
      if (data !== undefined) requireJson(data);
      const alarm = store.get(name);
      if (alarm === undefined) throw alarmNotFound(name);
      const at = now().toISOString();
      await store.put({
        ...alarm,
        state,
        stateReason: reason,
        stateReasonData: data ?? null,
        stateUpdatedAt: at,
        stateTransitionedAt: state === alarm.state ? alarm.stateTransitionedAt : at,
      });
      return {};
    },

    async DescribeAlarms(input) {
      const names = optionalStrings(input, 'AlarmNames');
      const prefix = optionalString(input, 'AlarmNamePrefix');
      if (names !== undefined && prefix !== undefined) {
        throw invalidParameterCombination('AlarmNamePrefix and AlarmNames cannot both be given.');
      }
      if (names !== undefined && names.length > 100) {
        throw validationError('alarmNames', 'Member must have length less than or equal to 100');
      }
      const state = oneOf(input, 'StateValue', 'stateValue', STATE_VALUES, false);
      const types = optionalStrings(input, 'AlarmTypes') ?? ['MetricAlarm'];
      const actionPrefix = optionalString(input, 'ActionPrefix');
      const maxRecords = optionalNumber(input, 'MaxRecords') ?? DEFAULT_MAX_RECORDS;
      if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > 100) {
        throw validationError('maxRecords', 'Member must have value between 1 and 100', maxRecords);
      }
      const matching = store
        .all()
        .filter((alarm) => names === undefined || names.includes(alarm.name))
        .filter((alarm) => prefix === undefined || alarm.name.startsWith(prefix))
        .filter((alarm) => state === undefined || alarm.state === state)
        .filter((alarm) => actionPrefix === undefined || hasAction(alarm, actionPrefix));
      const metric = types.includes('MetricAlarm') ? matching : [];
      const page = paginate(
        metric,
        maxRecords,
        optionalString(input, 'NextToken'),
        invalidNextToken,
      );
      return {
        ...(types.includes('MetricAlarm') ? { MetricAlarms: page.items.map(toMetricAlarm) } : {}),
        // Composite alarms cannot be made here (PutCompositeAlarm is not served).
        ...(types.includes('CompositeAlarm') ? { CompositeAlarms: [] } : {}),
        ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }),
      };
    },
  };
}

function alarmName(input: JsonObject, field: string): string {
  const name = optionalString(input, 'AlarmName');
  if (name === undefined) throw validationError(field, 'Member must not be null');
  if (name.length < 1 || name.length > 255) {
    throw validationError(field, 'Member must have length between 1 and 255', name);
  }
  return name;
}

function oneOf(
  input: JsonObject,
  field: string,
  wireName: string,
  values: readonly string[],
  required: boolean,
): string | undefined {
  const value = optionalString(input, field);
  if (value === undefined) {
    if (required) throw validationError(wireName, 'Member must not be null');
    return undefined;
  }
  if (!values.includes(value)) {
    throw validationError(wireName, `Member must satisfy enum value set: [${values}]`, value);
  }
  return value;
}

function requireJson(data: string): void {
  if (data.length > 4000) {
    throw validationError('stateReasonData', 'Member must have length less than or equal to 4000');
  }
  try {
    JSON.parse(data);
  } catch {
    throw invalidFormat('Data was not syntactically valid JSON');
  }
}

function hasAction(alarm: StoredAlarm, prefix: string): boolean {
  const { OKActions, AlarmActions, InsufficientDataActions } = alarm.configuration;
  return [OKActions, AlarmActions, InsufficientDataActions]
    .flatMap((actions) => (Array.isArray(actions) ? actions : []))
    .some((action) => typeof action === 'string' && action.startsWith(prefix));
}

function toMetricAlarm(alarm: StoredAlarm): JsonObject {
  return {
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    ...alarm.configuration,
    AlarmConfigurationUpdatedTimestamp: new Date(alarm.configurationUpdatedAt),
    StateValue: alarm.state,
    StateReason: alarm.stateReason,
    ...(alarm.stateReasonData === null ? {} : { StateReasonData: alarm.stateReasonData }),
    StateUpdatedTimestamp: new Date(alarm.stateUpdatedAt),
    StateTransitionedTimestamp: new Date(alarm.stateTransitionedAt),
  };
}
