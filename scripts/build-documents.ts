/**
 * Builds documents/signet-deploy.json, the SSM Command document, from instance/signet-host.sh
 * and core/document-parameters.ts. The script is the source of truth for runCommand: its lines
 * go into the document verbatim, and the SSM agent joins them with "\n" again.
 *
 *   node scripts/build-documents.ts          writes the document
 *   node scripts/build-documents.ts --check  exits 1 if the committed document differs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DOCUMENT_PARAMETERS } from '../core/document-parameters.ts';

export const SCRIPT_PATH = fileURLToPath(new URL('../instance/signet-host.sh', import.meta.url));
export const DOCUMENT_PATH = fileURLToPath(
  new URL('../documents/signet-deploy.json', import.meta.url),
);

/** SSM refuses Command documents past 64 KB. */
const MAX_DOCUMENT_BYTES = 64 * 1024;
const SCRIPT_PARAMETER = /^define_parameter ([A-Za-z0-9]+) '([^']*)'(?: ([0-9]+))?$/;

export interface SsmParameter {
  readonly type: 'String';
  readonly description: string;
  readonly allowedPattern: string;
  readonly interpolationType: 'ENV_VAR';
  readonly maxChars?: number;
  readonly default?: string;
}

/** The Command document for a given host script text; throws if the two disagree. */
export function buildDeployDocument(script: string) {
  const runCommand = (script.endsWith('\n') ? script.slice(0, -1) : script).split('\n');
  // With ENV_VAR, values must never be pasted into the script text by the agent; keeping
  // closing braces apart too means no line can ever read as a template.
  const templated = runCommand.findIndex((line) => line.includes('{{') || line.includes('}}'));
  if (templated >= 0) {
    throw new Error(`host script line ${templated + 1} contains '{{' or '}}', SSM template marks`);
  }
  checkScriptPatterns(runCommand);
  const parameters: Record<string, SsmParameter> = {};
  for (const p of DOCUMENT_PARAMETERS) {
    parameters[p.name] = {
      type: 'String',
      description: p.description,
      allowedPattern: p.allowedPattern,
      interpolationType: 'ENV_VAR',
      ...(p.maxChars === undefined ? {} : { maxChars: p.maxChars }),
      ...(p.default === undefined ? {} : { default: p.default }),
    };
  }
  return {
    schemaVersion: '2.2',
    description:
      'Signet: install, roll back or health-check one release of an app on this instance. ' +
      'Generated from instance/signet-host.sh by scripts/build-documents.ts; see ' +
      'docs/INSTANCE.md for parameters and exit codes.',
    parameters,
    mainSteps: [
      {
        action: 'aws:runShellScript',
        name: 'SignetDeploy',
        precondition: { StringEquals: ['platformType', 'Linux'] },
        // The one template mark in the document: the agent reads the step's timeout before
        // the script runs, so it cannot come from the environment.
        inputs: { timeoutSeconds: '{{ ExecutionTimeout }}', runCommand },
      },
    ],
  };
}

/** The document as committed: two-space JSON and a final newline. */
export function renderDeployDocument(script: string): string {
  const text = `${JSON.stringify(buildDeployDocument(script), null, 2)}\n`;
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_DOCUMENT_BYTES) {
    throw new Error(`the document is ${bytes} bytes; SSM accepts at most ${MAX_DOCUMENT_BYTES}`);
  }
  return text;
}

/** The script's `define_parameter` lines must list the document's parameters, in order. */
function checkScriptPatterns(lines: readonly string[]): void {
  const inScript = lines.flatMap((line) => {
    const match = SCRIPT_PARAMETER.exec(line);
    return match === null ? [] : [`${match[1]} ${match[2]} ${match[3] ?? '-'}`];
  });
  const inDocument = DOCUMENT_PARAMETERS.map(
    (p) => `${p.name} ${p.allowedPattern} ${p.maxChars ?? '-'}`,
  );
  const differing = inDocument.findIndex((entry, index) => inScript[index] !== entry);
  if (differing >= 0 || inScript.length !== inDocument.length) {
    const index = differing >= 0 ? differing : inDocument.length;
    throw new Error(
      `host script parameter ${index + 1} is ${JSON.stringify(inScript[index] ?? 'missing')}, ` +
        `the document says ${JSON.stringify(inDocument[index] ?? 'nothing')}`,
    );
  }
}

function main(argv: readonly string[]): number {
  const expected = renderDeployDocument(readFileSync(SCRIPT_PATH, 'utf8'));
  if (argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(DOCUMENT_PATH, 'utf8');
    } catch {
      // A missing document is reported as out of date below.
    }
    if (committed === expected) return 0;
    console.error(`${DOCUMENT_PATH} is out of date: run node scripts/build-documents.ts`);
    return 1;
  }
  writeFileSync(DOCUMENT_PATH, expected);
  console.log(`wrote ${DOCUMENT_PATH} (${Buffer.byteLength(expected)} bytes)`);
  return 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
