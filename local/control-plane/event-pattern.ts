import { AwsServiceError } from './service-types.ts';

/**
 * EventBridge content filtering, the subset Signet uses: exact values (strings, numbers,
 * booleans, null), nested objects, prefix, suffix, equals-ignore-case, wildcard, anything-but,
 * exists and numeric. Rules follow the EventBridge user guide ("Event patterns", "Content
 * filtering"): every field named in the pattern must match; a leaf is an array of
 * alternatives, any one of which may match; an event array matches when any element does; a
 * field missing from the event matches only `{"exists": false}`. A leaf that is not an array
 * makes the pattern invalid, as PutRule refuses it with InvalidEventPatternException.
 */

type Matcher = (value: unknown, present: boolean) => boolean;
interface CompiledObject {
  readonly fields: readonly (readonly [string, CompiledObject | Matcher])[];
}

/** Validates a pattern and returns a function testing events against it. */
export function compileEventPattern(pattern: unknown): (event: unknown) => boolean {
  if (!isPlainObject(pattern)) throw invalid('the pattern must be a JSON object');
  const compiled = compileObject(pattern, '');
  return (event) => matchObject(compiled, event);
}

/** Whether `event` matches `pattern`; throws InvalidEventPatternException for a bad pattern. */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  return compileEventPattern(pattern)(event);
}

function invalid(reason: string): AwsServiceError {
  return new AwsServiceError(
    'InvalidEventPatternException',
    `Event pattern is not valid. Reason: ${reason}`,
  );
}

function compileObject(pattern: Record<string, unknown>, path: string): CompiledObject {
  const keys = Object.keys(pattern);
  if (keys.length === 0) throw invalid(`"${path || '/'}" is an empty object`);
  return {
    fields: keys.map((key) => {
      const value = pattern[key];
      const at = path === '' ? key : `${path}.${key}`;
      if (key === '$or') throw invalid('"$or" is not supported by Signet\'s local matcher');
      if (Array.isArray(value)) return [key, compileAlternatives(value, at)] as const;
      if (isPlainObject(value)) return [key, compileObject(value, at)] as const;
      throw invalid(`"${at}" must be an object or an array`);
    }),
  };
}

function compileAlternatives(alternatives: readonly unknown[], path: string): Matcher {
  if (alternatives.length === 0) throw invalid(`"${path}" is an empty array`);
  const matchers = alternatives.map((alternative) => compileAlternative(alternative, path));
  return (value, present) => matchers.some((matcher) => matcher(value, present));
}

function compileAlternative(alternative: unknown, path: string): Matcher {
  if (alternative === null || ['string', 'number', 'boolean'].includes(typeof alternative)) {
    return leaf((value) => value === alternative);
  }
  if (!isPlainObject(alternative)) throw invalid(`"${path}" holds a nested array`);
  const entries = Object.entries(alternative);
  const [operator, operand] = entries[0] ?? [];
  if (entries.length !== 1 || operator === undefined) {
    throw invalid(`"${path}" has a filter object that is not exactly one operator`);
  }
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw invalid(`"${path}": exists takes true or false`);
      return (value, present) => (present && !isPlainObject(value)) === operand;
    case 'prefix':
      return stringLeaf(operand, path, operator, (value, text) => value.startsWith(text));
    case 'suffix':
      return stringLeaf(operand, path, operator, (value, text) => value.endsWith(text));
    case 'equals-ignore-case':
      return stringLeaf(operand, path, operator, (v, t) => v.toLowerCase() === t.toLowerCase());
    case 'wildcard':
      return stringLeaf(operand, path, operator, (value, text) => wildcard(text).test(value));
    case 'anything-but':
      return anythingBut(operand, path);
    case 'numeric':
      return numeric(operand, path);
    default:
      throw invalid(`"${path}" uses an unrecognised match type ${operator}`);
  }
}

/** A matcher on present leaf values; an event array matches when any element does. */
function leaf(test: (value: unknown) => boolean): Matcher {
  return (value, present) => {
    if (!present) return false;
    if (Array.isArray(value)) return value.some(test);
    return test(value);
  };
}

function stringLeaf(
  operand: unknown,
  path: string,
  operator: string,
  test: (value: string, text: string) => boolean,
): Matcher {
  if (typeof operand !== 'string') throw invalid(`"${path}": ${operator} takes a string`);
  return leaf((value) => typeof value === 'string' && test(value, operand));
}

function anythingBut(operand: unknown, path: string): Matcher {
  if (isPlainObject(operand)) {
    const inner = compileAlternative(operand, path);
    return leaf((value) => typeof value === 'string' && !inner(value, true));
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  if (excluded.some((item) => typeof item !== 'string' && typeof item !== 'number')) {
    throw invalid(`"${path}": anything-but takes strings, numbers or one filter`);
  }
  return leaf((value) => !excluded.includes(value as string | number));
}

const COMPARISONS: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numeric(operand: unknown, path: string): Matcher {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) {
    throw invalid(`"${path}": numeric takes operator and number pairs`);
  }
  const checks: ((value: number) => boolean)[] = [];
  for (let index = 0; index < operand.length; index += 2) {
    const compare = COMPARISONS[String(operand[index])];
    const bound = operand[index + 1];
    if (compare === undefined || typeof bound !== 'number') {
      throw invalid(`"${path}": numeric takes operator and number pairs`);
    }
    checks.push((value) => compare(value, bound));
  }
  return leaf((value) => typeof value === 'number' && checks.every((check) => check(value)));
}

function wildcard(text: string): RegExp {
  const source = text.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${source}$`, 's');
}

function matchObject(pattern: CompiledObject, event: unknown): boolean {
  // An array of objects matches when one element matches the whole sub-pattern.
  if (Array.isArray(event)) return event.some((element) => matchObject(pattern, element));
  const record = isPlainObject(event) ? event : {};
  return pattern.fields.every(([key, expected]) => {
    const present = Object.hasOwn(record, key);
    const value = record[key];
    if (typeof expected === 'function') return expected(value, present);
    return matchObject(expected, present ? value : undefined);
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
