import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LAMBDA_FUNCTIONS } from '../../functions/manifest.ts';
import { localFunctionArn } from './local-lambda.ts';

/** The one state machine file, used unchanged here and (through CDK) in AWS. */
export const DEFINITION_FILE = join(
  import.meta.dirname,
  '..',
  '..',
  'statemachine',
  'deploy.asl.json',
);

export interface StateMachineDefinition {
  readonly StartAt: string;
  readonly States: Record<string, Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/**
 * Reads the definition and fills in its `${...}` substitutions, as CloudFormation does with
 * DefinitionSubstitutions. An unknown placeholder is an error, not a silent leftover.
 */
export async function loadDefinition(
  substitutions: Readonly<Record<string, string>>,
  file = DEFINITION_FILE,
): Promise<StateMachineDefinition> {
  const text = await readFile(file, 'utf8');
  const filled = text.replace(/\$\{([A-Za-z0-9]+)\}/g, (_, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`${file}: no value for substitution \${${name}}`);
    return value;
  });
  return JSON.parse(filled) as StateMachineDefinition;
}

/** Local ARNs for every function the definition refers to. */
export function localSubstitutions(region: string): Record<string, string> {
  const substitutions: Record<string, string> = {};
  for (const spec of LAMBDA_FUNCTIONS) {
    if (spec.arnSubstitution !== null) {
      substitutions[spec.arnSubstitution] = localFunctionArn(spec.id, region);
    }
  }
  return substitutions;
}

/** Every state of a given type, including those nested in Map and Parallel states. */
export function statesOfType(
  definition: { readonly States: Record<string, Record<string, unknown>> },
  type: string,
): [string, Record<string, unknown>][] {
  const found: [string, Record<string, unknown>][] = [];
  for (const [name, state] of Object.entries(definition.States)) {
    if (state['Type'] === type) found.push([name, state]);
    const nested = [
      ...((state['Branches'] as (typeof definition)[] | undefined) ?? []),
      ...(['Iterator', 'ItemProcessor']
        .map((key) => state[key] as typeof definition | undefined)
        .filter((value) => value !== undefined) as (typeof definition)[]),
    ];
    for (const child of nested) found.push(...statesOfType(child, type));
  }
  return found;
}
