/**
 * Parameters of the Signet Command document (documents/signet-deploy.json). Values reach the
 * host script only as environment variables (interpolationType ENV_VAR), and each passes three
 * gates: validateDocumentParameters before SendCommand, the document's allowedPattern and
 * maxChars in SSM, and the same pattern once more in the host script.
 *
 * Patterns are POSIX extended regular expressions that also read the same in JavaScript: the
 * host script tests them with bash's `[[ =~ ]]`. Long bounded repeats (`{1,4096}`) take glibc
 * seconds to compile, so long values use `+` or `*` with a separate maxChars.
 */
import { InputInvalid } from './errors.ts';
import { APP_NAME_PATTERN, SHA256_HEX_PATTERN, VERSION_PATTERN } from './release-names.ts';

export const DOCUMENT_PARAMETER_NAMES = [
  'Action',
  'App',
  'Version',
  'DeploymentId',
  'ArtifactUrl',
  'ArtifactSha256',
  'KeepReleases',
  'HealthPath',
  'HealthPort',
  'HealthExpectedStatus',
  'HealthRetries',
  'HealthIntervalSeconds',
  'HealthBakeSeconds',
  'HealthTimeoutSeconds',
  'ExecutionTimeout',
] as const;

export type DocumentParameterName = (typeof DOCUMENT_PARAMETER_NAMES)[number];

export type HostAction = 'install' | 'rollback' | 'health' | 'stop';

export interface DocumentParameter {
  readonly name: DocumentParameterName;
  readonly description: string;
  /** Anchored POSIX ERE, also valid JavaScript; the host script holds the same string. */
  readonly allowedPattern: string;
  /** Longest accepted value; omitted where the pattern already bounds the length. */
  readonly maxChars?: number;
  /** Value SSM uses when SendCommand omits the parameter; none means required. */
  readonly default?: string;
}

/** `(?:` is not ERE; a capturing group matches the same strings in every engine. */
function portable(pattern: RegExp): string {
  const source = pattern.source.replaceAll('(?:', '(');
  if (/\(\?|\\[dwsbDWSB]/.test(source)) {
    throw new Error(`pattern ${pattern.source} uses syntax outside POSIX ERE`);
  }
  return source;
}

/** `^X$` becomes `^(X)?$`: the same value or nothing. */
function emptyOr(pattern: string): string {
  return `^(${pattern.slice(1, -1)})?$`;
}

const URL_CHARACTERS = '[A-Za-z0-9._~:/?&=%+-]';
const SECONDS_FRACTION = '(\\.[0-9]{1,3})?';

export const DOCUMENT_PARAMETERS: readonly DocumentParameter[] = [
  {
    name: 'Action',
    description:
      'What to do: install a release, roll back to one, health-check the current one, or ' +
      'stop the current one and flag the app failed (a failed first deployment).',
    allowedPattern: '^(install|rollback|health|stop)$',
  },
  {
    name: 'App',
    description: 'App name; releases live under $SIGNET_HOME/<App>.',
    allowedPattern: portable(APP_NAME_PATTERN),
  },
  {
    name: 'Version',
    description: 'Release version to install, roll back to, or expect as current (health).',
    allowedPattern: portable(VERSION_PATTERN),
    maxChars: 64,
  },
  {
    name: 'DeploymentId',
    description: 'Deployment (execution) id, passed to hooks as SIGNET_DEPLOYMENT_ID.',
    allowedPattern: '^[A-Za-z0-9_-]{1,80}$',
  },
  {
    name: 'ArtifactUrl',
    description: 'HTTP(S) URL of the release tarball (a presigned S3 GET URL); empty for health.',
    allowedPattern: `^(https?://${URL_CHARACTERS}+)?$`,
    maxChars: 4096,
    default: '',
  },
  {
    name: 'ArtifactSha256',
    description: 'Lower-case hex SHA-256 of the tarball; the host checks it before extracting.',
    allowedPattern: emptyOr(portable(SHA256_HEX_PATTERN)),
    default: '',
  },
  {
    name: 'KeepReleases',
    description: 'How many releases to keep on the host, the current one included (2 to 99).',
    allowedPattern: '^([2-9]|[1-9][0-9])$',
    default: '3',
  },
  {
    name: 'HealthPath',
    description: 'Path (with query) probed on 127.0.0.1 by the health action.',
    allowedPattern: `^/${URL_CHARACTERS}*$`,
    maxChars: 1024,
    default: '/health',
  },
  {
    name: 'HealthPort',
    description: 'Port the app listens on; the host setting SIGNET_HTTP_PORT overrides it.',
    allowedPattern:
      '^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$',
    default: '8080',
  },
  {
    name: 'HealthExpectedStatus',
    description: 'HTTP status a healthy app answers with.',
    allowedPattern: '^[1-5][0-9]{2}$',
    default: '200',
  },
  {
    name: 'HealthRetries',
    description: 'Probes (1 to 100) allowed before the first expected answer.',
    allowedPattern: '^([1-9]|[1-9][0-9]|100)$',
    default: '10',
  },
  {
    name: 'HealthIntervalSeconds',
    description: 'Seconds between probes, 0.1 to 999.999.',
    allowedPattern: `^([1-9][0-9]{0,2}${SECONDS_FRACTION}|0\\.[1-9][0-9]{0,2})$`,
    default: '2',
  },
  {
    name: 'HealthBakeSeconds',
    description: 'Seconds after the first healthy answer during which every probe must pass.',
    allowedPattern: `^(0|[1-9][0-9]{0,3})${SECONDS_FRACTION}$`,
    default: '10',
  },
  {
    name: 'HealthTimeoutSeconds',
    description: 'Timeout of one probe in whole seconds (1 to 60).',
    allowedPattern: '^([1-9]|[1-5][0-9]|60)$',
    default: '5',
  },
  {
    name: 'ExecutionTimeout',
    description:
      'Seconds the agent lets the script run before killing it (30 to 172800): the bound on a ' +
      'hung install or health check.',
    allowedPattern:
      '^([3-9][0-9]|[1-9][0-9]{2,4}|1[0-6][0-9]{4}|17[0-1][0-9]{3}|172[0-7][0-9]{2}|172800)$',
    default: '3600',
  },
];

const definitions = new Map(DOCUMENT_PARAMETERS.map((p) => [p.name as string, p]));

/**
 * Throws InputInvalid naming the first parameter that SSM or the host script would refuse, so a
 * bad value fails in the Lambda instead of on every instance.
 *
 * @example validateDocumentParameters({ Action: 'health', App: 'web', Version: '1.4.0',
 *   DeploymentId: 'exec-1' });
 */
export function validateDocumentParameters(params: Readonly<Record<string, string>>): void {
  for (const name of Object.keys(params)) {
    if (!definitions.has(name)) {
      throw new InputInvalid(`unknown Signet document parameter ${JSON.stringify(name)}`, {
        details: { parameter: name },
      });
    }
  }
  const values = new Map<string, string>();
  for (const parameter of DOCUMENT_PARAMETERS) {
    const value = params[parameter.name] ?? parameter.default;
    if (value === undefined) {
      throw new InputInvalid(`Signet document parameter ${parameter.name} is required`, {
        details: { parameter: parameter.name },
      });
    }
    checkValue(parameter, value);
    values.set(parameter.name, value);
  }
  checkActionNeeds(values);
}

function checkValue(parameter: DocumentParameter, value: string): void {
  const tooLong = parameter.maxChars !== undefined && value.length > parameter.maxChars;
  if (tooLong || !new RegExp(parameter.allowedPattern).test(value)) {
    // A presigned URL is a credential for its lifetime: never put it in an error.
    const shown = parameter.name === 'ArtifactUrl' ? `${value.length} characters` : value;
    throw new InputInvalid(
      `Signet document parameter ${parameter.name} must match ${parameter.allowedPattern}` +
        `${parameter.maxChars === undefined ? '' : ` (at most ${parameter.maxChars} characters)`}` +
        `; got ${JSON.stringify(shown.slice(0, 100))}`,
      { details: { parameter: parameter.name } },
    );
  }
}

/** install needs an artifact; rollback needs at least the digest to recognise a kept release. */
function checkActionNeeds(values: ReadonlyMap<string, string>): void {
  const action = values.get('Action') as HostAction;
  const needs: readonly DocumentParameterName[] =
    action === 'install'
      ? ['ArtifactUrl', 'ArtifactSha256']
      : action === 'rollback'
        ? ['ArtifactSha256']
        : [];
  for (const name of needs) {
    if (values.get(name) === '') {
      throw new InputInvalid(`Signet document parameter ${name} is required for ${action}`, {
        details: { parameter: name, action },
      });
    }
  }
}
