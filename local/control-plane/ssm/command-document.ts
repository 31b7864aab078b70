import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { ConfigInvalid } from '../../../core/errors.ts';

export type DocumentParameterType = 'String' | 'StringList' | 'Integer' | 'Boolean';

/** A parameter definition, in the document's own field names. */
export interface DocumentParameter {
  readonly type: DocumentParameterType;
  readonly default?: string | readonly string[];
  readonly allowedPattern?: string;
  readonly allowedValues?: readonly string[];
  readonly minChars?: number;
  readonly maxChars?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly interpolationType?: 'ENV_VAR';
  readonly description?: string;
}

/** The one aws:runShellScript step a document runs. */
export interface RunShellScriptStep {
  /** What the API shows as PluginName / CommandPlugins[].Name. */
  readonly pluginName: string;
  /** Directories under orchestration/<commandId>/ (and under awsrunShellScript/ in S3 keys). */
  readonly stepPath: readonly string[];
  /** The step's inputs before interpolation: runCommand, workingDirectory, timeoutSeconds. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

export interface CommandDocument {
  readonly name: string;
  readonly parameters: Readonly<Record<string, DocumentParameter>>;
  readonly step: RunShellScriptStep;
  /** What DescribeDocument shows; absent on built-in documents where noted there. */
  readonly description?: DocumentDescription;
}

/** A document's metadata as DescribeDocument reports it. */
export interface DocumentDescription {
  /** `2.2` for the documents Signet registers, `1.2` for AWS-RunShellScript. */
  readonly schemaVersion: string;
  /** The account that owns it, or `Amazon` for AWS-owned documents. */
  readonly owner?: string;
  /** The document's own `description`. */
  readonly text?: string;
  /** SHA-256 (hex) of the content as registered. */
  readonly sha256?: string;
  readonly createdDate?: Date;
}

const PARAMETER_TYPES = new Set(['String', 'StringList', 'Integer', 'Boolean']);

/**
 * Reads a schemaVersion 2.2 Command document (JSON or YAML) with exactly one
 * aws:runShellScript step: the only shape Signet's documents take.
 */
export async function loadCommandDocument(name: string, file: string): Promise<CommandDocument> {
  let text: string;
  let content: unknown;
  try {
    text = await readFile(file, 'utf8');
    content = parse(text);
  } catch (error) {
    throw new ConfigInvalid(`Command document ${name} (${file}) cannot be read`, { cause: error });
  }
  const document = parseCommandDocument(name, content, file);
  const summary = isRecord(content) ? content['description'] : undefined;
  return {
    ...document,
    description: {
      schemaVersion: '2.2',
      sha256: createHash('sha256').update(text).digest('hex'),
      createdDate: new Date(),
      ...(typeof summary === 'string' ? { text: summary } : {}),
    },
  };
}

export function parseCommandDocument(
  name: string,
  content: unknown,
  where: string,
): CommandDocument {
  const fail = (why: string) => new ConfigInvalid(`Command document ${name} (${where}): ${why}`);
  if (!isRecord(content) || content['schemaVersion'] !== '2.2') {
    throw fail('only schemaVersion "2.2" documents are supported');
  }
  const steps = content['mainSteps'];
  if (!Array.isArray(steps) || steps.length !== 1)
    throw fail('expected exactly one mainSteps entry');
  const step: unknown = steps[0];
  if (!isRecord(step) || step['action'] !== 'aws:runShellScript') {
    throw fail('the step must be an aws:runShellScript action');
  }
  const stepName = step['name'];
  if (typeof stepName !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(stepName)) {
    throw fail('the step needs a name of letters, digits, ".", "_" or "-"');
  }
  const inputs = step['inputs'];
  if (!isRecord(inputs) || inputs['runCommand'] === undefined) {
    throw fail(`step ${stepName} needs inputs.runCommand`);
  }
  return {
    name,
    parameters: parseParameters(content['parameters'] ?? {}, fail),
    step: { pluginName: stepName, stepPath: [stepName], inputs },
  };
}

function parseParameters(
  raw: unknown,
  fail: (why: string) => Error,
): Record<string, DocumentParameter> {
  if (!isRecord(raw)) throw fail('parameters must be an object');
  const parameters: Record<string, DocumentParameter> = {};
  for (const [parameterName, definition] of Object.entries(raw)) {
    if (!isRecord(definition) || !PARAMETER_TYPES.has(String(definition['type']))) {
      throw fail(`parameter ${parameterName} needs a type of ${[...PARAMETER_TYPES].join(', ')}`);
    }
    const pattern = definition['allowedPattern'];
    if (pattern !== undefined) {
      try {
        new RegExp(String(pattern));
      } catch {
        throw fail(`parameter ${parameterName} has an invalid allowedPattern`);
      }
    }
    parameters[parameterName] = definition as unknown as DocumentParameter;
  }
  return parameters;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
