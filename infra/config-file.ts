import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigInvalid } from '../core/errors.ts';
import { parseTrustedKeys } from '../core/verification/index.ts';
import type {
  AppConfigInput,
  KmsSigningKeyProps,
  SignetAppProps,
  SignetDeployerProps,
} from './props.ts';

/** What infra/signet.config.json describes: the stack's name and its deployer's props. */
export interface SignetConfig {
  readonly stackName: string;
  readonly deployer: Omit<SignetDeployerProps, 'bundleDir'>;
}

type Fields = Record<string, unknown>;

const STACK_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/**
 * Reads the deployment's config file: the apps (with their trusted keys as files next to it,
 * each parsed as an OpenPGP public key here, before anything is synthesized, and their trusted
 * KMS key ARNs), the KMS release key, alert emails and retention. Unknown keys are refused, as
 * in app configs: a misspelt field must not fall back to a default unnoticed. The construct validates the values once more when it is built.
 */
export async function loadSignetConfig(file: string): Promise<SignetConfig> {
  const raw = await readJson(file);
  const root = fields(raw, file, [
    '$comment',
    'stackName',
    'apps',
    'alertEmails',
    'noncurrentVersionExpiryDays',
    'commandOutputExpiryDays',
    'parameterPrefix',
    'kmsSigningKey',
  ]);
  const stackName = root['stackName'] ?? 'Signet';
  if (typeof stackName !== 'string' || !STACK_NAME_PATTERN.test(stackName)) {
    throw invalid(file, 'stackName must be letters, digits and hyphens, starting with a letter');
  }
  if (!Array.isArray(root['apps'])) throw invalid(file, 'apps must be a list of apps');
  const kmsSigningKey = readSigningKey(root['kmsSigningKey'], file);
  const apps: SignetAppProps[] = [];
  for (const [index, app] of root['apps'].entries()) {
    apps.push(await readApp(app, file, index, kmsSigningKey));
  }
  return {
    stackName,
    deployer: {
      apps,
      ...optional('alertEmails', stringList(root['alertEmails'], file, 'alertEmails')),
      ...optional('noncurrentVersionExpiryDays', num(root, 'noncurrentVersionExpiryDays', file)),
      ...optional('commandOutputExpiryDays', num(root, 'commandOutputExpiryDays', file)),
      ...optional('parameterPrefix', str(root, 'parameterPrefix', file)),
      ...optional('kmsSigningKey', kmsSigningKey),
    },
  };
}

async function readApp(
  raw: unknown,
  file: string,
  index: number,
  signingKey: KmsSigningKeyProps | undefined,
): Promise<SignetAppProps> {
  const where = `${file}: apps[${index}]`;
  const app = fields(raw, where, ['name', 'trustedKeyFiles', 'trustedKmsKeys', 'config']);
  const name = app['name'];
  if (typeof name !== 'string') throw invalid(where, 'name must be a string');
  const keyFiles = fields(app['trustedKeyFiles'] ?? {}, `${where} (${name}): trustedKeyFiles`);
  const trustedKeys: Record<string, string> = {};
  for (const [label, path] of Object.entries(keyFiles)) {
    if (typeof path !== 'string') throw invalid(where, `trusted key ${label} must be a file path`);
    const keyFile = resolve(dirname(file), path);
    try {
      trustedKeys[label] = await readFile(keyFile, 'utf8');
    } catch (error) {
      throw new ConfigInvalid(`${where} (${name}): cannot read trusted key file ${keyFile}`, {
        cause: error,
        details: { file: keyFile, app: name },
      });
    }
  }
  const kmsKeys = fields(app['trustedKmsKeys'] ?? {}, `${where} (${name}): trustedKmsKeys`);
  const trustedKmsKeys: Record<string, string> = {};
  for (const [label, keyArn] of Object.entries(kmsKeys)) {
    if (typeof keyArn !== 'string') throw invalid(where, `trusted KMS key ${label} must be an ARN`);
    trustedKmsKeys[label] = keyArn;
  }
  const signedByDeployerKey =
    signingKey !== undefined && (signingKey.apps ?? [name]).includes(name);
  const ownKeys = Object.keys(trustedKeys).length + Object.keys(trustedKmsKeys).length;
  // The full parse: a file that is not a usable public key, or a value that is not a KMS key
  // ARN, fails here with its label; so does an app that trusts no key at all.
  if (ownKeys > 0 || !signedByDeployerKey) {
    await parseTrustedKeys(
      name,
      Object.entries(trustedKeys).map(([label, armoredPublicKey]) => ({ label, armoredPublicKey })),
      Object.entries(trustedKmsKeys).map(([label, keyArn]) => ({ label, keyArn })),
    );
  }
  const config = app['config'];
  if (config !== undefined && (typeof config !== 'object' || config === null)) {
    throw invalid(where, 'config must be an object (core/app-config.ts)');
  }
  return {
    name,
    trustedKeys,
    trustedKmsKeys,
    ...(config === undefined ? {} : { config: config as AppConfigInput }),
  };
}

/** The `kmsSigningKey` section: the construct checks its values; here only its shape. */
function readSigningKey(raw: unknown, file: string): KmsSigningKeyProps | undefined {
  if (raw === undefined) return undefined;
  const where = `${file}: kmsSigningKey`;
  const section = fields(raw, where, [
    'githubRepository',
    'githubRef',
    'apps',
    'label',
    'existingKeyArn',
    'githubOidcProviderArn',
  ]);
  const repository = str(section, 'githubRepository', where);
  if (repository === undefined) throw invalid(where, 'githubRepository (owner/name) is required');
  return {
    githubRepository: repository,
    ...optional('githubRef', str(section, 'githubRef', where)),
    ...optional('apps', stringList(section['apps'], where, 'apps')),
    ...optional('label', str(section, 'label', where)),
    ...optional('existingKeyArn', str(section, 'existingKeyArn', where)),
    ...optional('githubOidcProviderArn', str(section, 'githubOidcProviderArn', where)),
  };
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigInvalid(`Cannot read the Signet config file ${file}`, {
      cause: error,
      details: { file },
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigInvalid(`${file} is not valid JSON`, { cause: error, details: { file } });
  }
}

function fields(value: unknown, where: string, allowed?: readonly string[]): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(where, 'must be a JSON object');
  }
  const unknown = Object.keys(value).filter(
    (key) => allowed !== undefined && !allowed.includes(key),
  );
  if (unknown.length > 0) {
    throw invalid(where, `unknown key(s) ${unknown.join(', ')}; allowed: ${allowed?.join(', ')}`);
  }
  return value as Fields;
}

function stringList(value: unknown, file: string, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalid(file, `${name} must be a list of strings`);
  }
  return value as string[];
}

function num(root: Fields, name: string, file: string): number | undefined {
  const value = root[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw invalid(file, `${name} must be a number`);
  return value;
}

function str(root: Fields, name: string, file: string): string | undefined {
  const value = root[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(file, `${name} must be a string`);
  return value;
}

/** `{ name: value }`, or nothing when the value is absent (exactOptionalPropertyTypes). */
function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [name]: value } as { [P in K]?: V });
}

function invalid(where: string, message: string): InstanceType<typeof ConfigInvalid> {
  return new ConfigInvalid(`${where}: ${message}`, { details: { where } });
}
