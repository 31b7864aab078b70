import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serialWriter, writeFileAtomic } from '../atomic-file.ts';
import type { JsonObject } from '../service-types.ts';

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** One metric alarm as stored: timestamps as ISO strings, its configuration as given. */
export interface StoredAlarm {
  readonly name: string;
  readonly arn: string;
  /** What PutMetricAlarm was given besides the name (metric, threshold, actions, ...). */
  readonly configuration: JsonObject;
  readonly configurationUpdatedAt: string;
  readonly state: AlarmStateValue;
  readonly stateReason: string;
  readonly stateReasonData: string | null;
  readonly stateUpdatedAt: string;
  readonly stateTransitionedAt: string;
}

/** The alarms of one local account and Region, kept in `<stateDir>/cloudwatch-alarms.json`. */
export interface AlarmStore {
  get(name: string): StoredAlarm | undefined;
  /** Every alarm, sorted by name as DescribeAlarms lists them. */
  all(): StoredAlarm[];
  put(alarm: StoredAlarm): Promise<void>;
}

const FILE_NAME = 'cloudwatch-alarms.json';

export async function createAlarmStore(stateDir: string): Promise<AlarmStore> {
  const file = join(stateDir, FILE_NAME);
  const alarms = new Map<string, StoredAlarm>();
  for (const alarm of await readAlarms(file)) alarms.set(alarm.name, alarm);
  const queue = serialWriter();
  return {
    get: (name) => alarms.get(name),
    all: () => [...alarms.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
    async put(alarm) {
      alarms.set(alarm.name, alarm);
      const content = `${JSON.stringify([...alarms.values()], null, 2)}\n`;
      await queue(() => writeFileAtomic(file, content));
    },
  };
}

async function readAlarms(file: string): Promise<StoredAlarm[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error(`${file} does not hold a list of alarms`);
  return parsed as StoredAlarm[];
}
