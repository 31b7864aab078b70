import type { EventPattern } from 'aws-cdk-lib/aws-events';

// EventBridge's top-level field names and the names CDK's EventPattern gives them.
const CDK_NAMES: Readonly<Record<string, keyof EventPattern>> = {
  version: 'version',
  id: 'id',
  'detail-type': 'detailType',
  source: 'source',
  account: 'account',
  time: 'time',
  region: 'region',
  resources: 'resources',
  detail: 'detail',
};

/**
 * A pattern from core/event-patterns.ts, written in EventBridge's JSON, as CDK's EventPattern,
 * which renders it back to the same JSON. Local mode uses the JSON as it is, so both run one
 * pattern object. A field EventBridge does not know fails synthesis here rather than never
 * matching in AWS.
 */
export function toEventPattern(pattern: Readonly<Record<string, unknown>>): EventPattern {
  const converted: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(pattern)) {
    const name = CDK_NAMES[field];
    if (name === undefined) throw new Error(`Event pattern field "${field}" is not EventBridge's`);
    converted[name] = value;
  }
  return converted as EventPattern;
}
