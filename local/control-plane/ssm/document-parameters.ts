import { AwsServiceError } from '../service-types.ts';
import type { CommandDocument, DocumentParameter } from './command-document.ts';

/** Parameter values after validation: every defined parameter, defaults filled in. */
export type ParameterValues = Readonly<Record<string, readonly string[]>>;

/** The step as the agent receives it, parameters interpolated. */
export interface PreparedStep {
  readonly pluginName: string;
  readonly stepPath: readonly string[];
  readonly commands: readonly string[];
  readonly workingDirectory: string;
  readonly timeoutSeconds: number;
  /** SSM_<Name> for each ENV_VAR parameter. */
  readonly env: Readonly<Record<string, string>>;
}

// The agent falls back to this when a step gives no usable timeoutSeconds.
const DEFAULT_EXECUTION_TIMEOUT_SECONDS = 3600;
const REFERENCE = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

const invalid = (message: string) => new AwsServiceError('InvalidParameters', message);

/**
 * Validates SendCommand's Parameters against the document server-side, as SSM does before
 * anything reaches an instance: unknown names, missing required values, more than one value
 * for a String, and values outside allowedPattern / allowedValues / length bounds are refused
 * with InvalidParameters.
 */
export function validateParameters(document: CommandDocument, given: unknown): ParameterValues {
  const supplied = given ?? {};
  if (typeof supplied !== 'object' || Array.isArray(supplied)) {
    throw invalid('Parameters must be a map of names to lists of values');
  }
  const values: Record<string, readonly string[]> = {};
  for (const name of Object.keys(supplied)) {
    if (document.parameters[name] === undefined) {
      throw invalid(`Parameter ${name} is not defined in document ${document.name}`);
    }
  }
  for (const [name, definition] of Object.entries(document.parameters)) {
    const raw = (supplied as Record<string, unknown>)[name];
    const list = raw === undefined ? defaultOf(definition) : raw;
    if (list === undefined) {
      throw invalid(`Parameter ${name} is required by document ${document.name}`);
    }
    if (!Array.isArray(list) || list.some((value) => typeof value !== 'string')) {
      throw invalid(`Parameter ${name} must be a list of strings`);
    }
    checkValues(name, definition, list as string[]);
    values[name] = list as string[];
  }
  return values;
}

function defaultOf(definition: DocumentParameter): readonly string[] | undefined {
  if (definition.default === undefined) return undefined;
  return typeof definition.default === 'string' ? [definition.default] : definition.default;
}

function checkValues(name: string, definition: DocumentParameter, values: readonly string[]) {
  if (definition.type !== 'StringList' && values.length !== 1) {
    throw invalid(`Parameter ${name} of type ${definition.type} takes exactly one value`);
  }
  if (definition.minItems !== undefined && values.length < definition.minItems) {
    throw invalid(`Parameter ${name} needs at least ${definition.minItems} values`);
  }
  if (definition.maxItems !== undefined && values.length > definition.maxItems) {
    throw invalid(`Parameter ${name} takes at most ${definition.maxItems} values`);
  }
  for (const value of values) {
    if (
      definition.allowedPattern !== undefined &&
      !new RegExp(definition.allowedPattern).test(value)
    ) {
      throw invalid(
        `Parameter "${name}" value "${value}" fails to match allowedPattern ` +
          definition.allowedPattern,
      );
    }
    if (definition.allowedValues !== undefined && !definition.allowedValues.includes(value)) {
      throw invalid(`Parameter "${name}" value "${value}" is not one of its allowedValues`);
    }
    if (definition.minChars !== undefined && value.length < definition.minChars) {
      throw invalid(`Parameter ${name} needs at least ${definition.minChars} characters`);
    }
    if (definition.maxChars !== undefined && value.length > definition.maxChars) {
      throw invalid(`Parameter ${name} takes at most ${definition.maxChars} characters`);
    }
    if (definition.type === 'Integer' && !/^-?[0-9]+$/.test(value)) {
      throw invalid(`Parameter ${name} must be an Integer`);
    }
    if (definition.type === 'Boolean' && value !== 'true' && value !== 'false') {
      throw invalid(`Parameter ${name} must be true or false`);
    }
  }
}

/**
 * Interpolates the step's inputs the way the agent does: `{{ Name }}` is replaced by the value
 * as text, for every parameter, ENV_VAR ones included (the AWS guide notes that a document
 * using `{{ }}` still needs allowedPattern even with ENV_VAR). A whole input that is one
 * reference to a StringList becomes the list. ENV_VAR parameters are also given to the script
 * as SSM_<Name>, which is the only safe way for a script to read them.
 */
export function prepareStep(document: CommandDocument, values: ParameterValues): PreparedStep {
  const { inputs } = document.step;
  const env: Record<string, string> = {};
  for (const [name, definition] of Object.entries(document.parameters)) {
    if (definition.interpolationType === 'ENV_VAR') env[`SSM_${name}`] = joined(values[name]);
  }
  const timeout = Number.parseInt(interpolateText(inputs['timeoutSeconds'] ?? '', values), 10);
  return {
    pluginName: document.step.pluginName,
    stepPath: document.step.stepPath,
    commands: interpolateList(inputs['runCommand'], values),
    workingDirectory: interpolateText(inputs['workingDirectory'] ?? '', values),
    timeoutSeconds: timeout > 0 ? timeout : DEFAULT_EXECUTION_TIMEOUT_SECONDS,
    env,
  };
}

function interpolateList(input: unknown, values: ParameterValues): string[] {
  if (typeof input === 'string') {
    const whole = /^\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}$/.exec(input.trim());
    const list = whole?.[1] === undefined ? undefined : values[whole[1]];
    return list === undefined ? [interpolateText(input, values)] : [...list];
  }
  if (Array.isArray(input)) return input.map((line) => interpolateText(line, values));
  return [];
}

function interpolateText(input: unknown, values: ParameterValues): string {
  return String(input).replace(REFERENCE, (reference, name: string) => {
    const value = values[name];
    return value === undefined ? reference : joined(value);
  });
}

// Limitation: a StringList referenced inside a longer string is joined with commas; the agent's
// exact rendering of that case was not verified.
function joined(value: readonly string[] | undefined): string {
  return (value ?? []).join(',');
}
