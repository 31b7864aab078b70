import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigInvalid } from '../../../core/errors.ts';
import { serialWriter, writeFileAtomic } from '../atomic-file.ts';
import {
  maxResults,
  optionalBoolean,
  optionalObjects,
  optionalString,
  optionalStrings,
  requiredString,
  validationError,
} from '../input-fields.ts';
import { paginate } from '../pagination.ts';
import { AwsServiceError, type JsonObject, type JsonOperation } from '../service-types.ts';
import { checkParameterName, isUnderPath } from './parameter-names.ts';

/** One version of a parameter, as kept in parameters.json. */
interface StoredVersion {
  readonly Name: string;
  readonly Type: string;
  readonly Value: string;
  readonly Version: number;
  readonly LastModifiedDate: string;
  readonly Description: string;
  readonly AllowedPattern: string;
  readonly Tier: string;
  readonly DataType: string;
}

export interface ParameterStoreOptions {
  readonly stateDir: string;
  readonly region: string;
  readonly account: string;
}

const TYPES = new Set(['String', 'StringList', 'SecureString']);
const TIERS = new Set(['Standard', 'Advanced', 'Intelligent-Tiering']);
// Parameter Store keeps the 100 latest versions of a parameter (ParameterMaxVersionLimitExceeded).
const KEPT_VERSIONS = 100;
const STANDARD_LIMIT = 4096;
const ADVANCED_LIMIT = 8192;
const STANDARD_TOO_LARGE =
  'Standard tier parameters support a maximum parameter value of 4096 characters. To create a ' +
  'larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more ' +
  'information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/' +
  'parameter-store-advanced-parameters.html';

const notFound = () => new AwsServiceError('ParameterNotFound', '');

/**
 * Parameter Store's operations, persisted to `<stateDir>/parameters.json` (each change written
 * to a temporary file and renamed over it).
 */
export async function createParameterStore(
  options: ParameterStoreOptions,
): Promise<Record<string, JsonOperation>> {
  // Limitation: SecureString values are stored as given, not encrypted, and returned in clear
  // whatever WithDecryption says; labels, policies and tags are not implemented.
  const file = join(options.stateDir, 'parameters.json');
  const parameters = await load(file);
  const queueWrite = serialWriter();
  const save = () =>
    queueWrite(() => writeFileAtomic(file, `${JSON.stringify({ parameters }, null, 2)}\n`));
  const arnOf = (name: string) =>
    `arn:aws:ssm:${options.region}:${options.account}:parameter` +
    `${name.startsWith('/') ? '' : '/'}${name}`;

  const shape = (stored: StoredVersion, selector?: string): JsonObject => ({
    Name: stored.Name,
    Type: stored.Type,
    Value: stored.Value,
    Version: stored.Version,
    ...(selector === undefined ? {} : { Selector: selector }),
    LastModifiedDate: new Date(stored.LastModifiedDate),
    ARN: arnOf(stored.Name),
    DataType: stored.DataType,
  });

  const lookup = (reference: string): JsonObject | undefined => {
    const selected = /^(.+):([0-9]+)$/.exec(reference);
    const name = selected?.[1] ?? reference;
    const versions = parameters[name];
    if (versions === undefined) return undefined;
    if (selected?.[2] === undefined) return shape(versions[versions.length - 1] as StoredVersion);
    const wanted = Number(selected[2]);
    const version = versions.find((v) => v.Version === wanted);
    if (version === undefined) {
      throw new AwsServiceError(
        'ParameterVersionNotFound',
        `Version ${wanted} of ${name} not found.`,
      );
    }
    return shape(version, `:${wanted}`);
  };

  return {
    async PutParameter(input) {
      const name = requiredString(input, 'Name');
      checkParameterName(name);
      const value = requiredString(input, 'Value');
      const type = optionalString(input, 'Type');
      const tier = optionalString(input, 'Tier') ?? 'Standard';
      if (type !== undefined && !TYPES.has(type)) {
        throw validationError(
          'type',
          'Member must satisfy enum value set: [SecureString, StringList, String]',
        );
      }
      if (!TIERS.has(tier)) {
        throw validationError(
          'tier',
          'Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard]',
        );
      }
      if (value.length < 1)
        throw validationError('value', 'Member must have length greater than or equal to 1');
      const history = parameters[name] ?? [];
      const current = history[history.length - 1];
      if (current !== undefined && optionalBoolean(input, 'Overwrite') !== true) {
        throw new AwsServiceError(
          'ParameterAlreadyExists',
          'The parameter already exists. To overwrite this value, set the overwrite option in ' +
            'the request to true.',
        );
      }
      if (current === undefined && type === undefined) {
        throw new AwsServiceError(
          'ValidationException',
          'A parameter type is required when you create a parameter.',
        );
      }
      const effectiveTier = tierFor(tier, value, current?.Tier);
      checkSize(value, effectiveTier);
      const pattern = optionalString(input, 'AllowedPattern') ?? current?.AllowedPattern ?? '';
      if (pattern !== '' && !new RegExp(pattern).test(value)) {
        throw new AwsServiceError(
          'ParameterPatternMismatchException',
          `Parameter value, cannot be validated against allowedPattern: ${pattern}`,
        );
      }
      const stored: StoredVersion = {
        Name: name,
        Type: type ?? (current?.Type as string),
        Value: value,
        Version: (current?.Version ?? 0) + 1,
        LastModifiedDate: new Date().toISOString(),
        Description: optionalString(input, 'Description') ?? current?.Description ?? '',
        AllowedPattern: pattern,
        Tier: effectiveTier,
        DataType: optionalString(input, 'DataType') ?? current?.DataType ?? 'text',
      };
      parameters[name] = [...history, stored].slice(-KEPT_VERSIONS);
      await save();
      return { Version: stored.Version, Tier: stored.Tier };
    },

    async GetParameter(input) {
      const parameter = lookup(requiredString(input, 'Name'));
      if (parameter === undefined) throw notFound();
      return { Parameter: parameter };
    },

    async GetParameters(input) {
      const names = optionalStrings(input, 'Names') ?? [];
      if (names.length < 1 || names.length > 10) {
        throw validationError('names', 'Member must have length between 1 and 10');
      }
      const found: JsonObject[] = [];
      const invalid: string[] = [];
      for (const name of names) {
        const parameter = lookup(name);
        if (parameter === undefined) invalid.push(name);
        else found.push(parameter);
      }
      return { Parameters: found, InvalidParameters: invalid };
    },

    async GetParametersByPath(input) {
      const path = requiredString(input, 'Path');
      if (!path.startsWith('/')) {
        throw new AwsServiceError(
          'ValidationException',
          'The path must begin with a forward slash "/".',
        );
      }
      const recursive = optionalBoolean(input, 'Recursive') ?? false;
      const typeFilter = readTypeFilter(optionalObjects(input, 'ParameterFilters'));
      const limit = maxResults(input, { min: 1, max: 10, fallback: 10 });
      const matching = Object.keys(parameters)
        .filter((name) => isUnderPath(name, path, recursive))
        .sort()
        .map((name) => parameters[name]?.at(-1) as StoredVersion)
        .filter((stored) => typeFilter === undefined || typeFilter.includes(stored.Type))
        .map((stored) => shape(stored));
      const page = paginate(
        matching,
        limit,
        optionalString(input, 'NextToken'),
        () => new AwsServiceError('InvalidNextToken', 'The token is not valid.'),
      );
      return { Parameters: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
    },

    async DeleteParameter(input) {
      const name = requiredString(input, 'Name');
      if (parameters[name] === undefined) throw notFound();
      delete parameters[name];
      await save();
      return {};
    },

    async GetParameterHistory(input) {
      const name = requiredString(input, 'Name');
      const versions = parameters[name];
      if (versions === undefined) throw notFound();
      const limit = maxResults(input, { min: 1, max: 50, fallback: 50 });
      const rows = versions.map((stored) => ({
        ...stored,
        LastModifiedDate: new Date(stored.LastModifiedDate),
        LastModifiedUser: `arn:aws:iam::${options.account}:user/signet-local`,
        ...(stored.Type === 'SecureString' ? { KeyId: 'alias/aws/ssm' } : {}),
        Labels: [],
        Policies: [],
      }));
      const page = paginate(
        rows,
        limit,
        optionalString(input, 'NextToken'),
        () => new AwsServiceError('InvalidNextToken', 'The token is not valid.'),
      );
      return { Parameters: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
    },
  };
}

function tierFor(requested: string, value: string, currentTier: string | undefined): string {
  // An Advanced parameter cannot go back to Standard; Intelligent-Tiering picks the cheapest fit.
  if (currentTier === 'Advanced' || requested === 'Advanced') return 'Advanced';
  if (requested === 'Intelligent-Tiering')
    return value.length > STANDARD_LIMIT ? 'Advanced' : 'Standard';
  return 'Standard';
}

function checkSize(value: string, tier: string): void {
  if (tier === 'Standard' && value.length > STANDARD_LIMIT) {
    throw new AwsServiceError('ValidationException', STANDARD_TOO_LARGE);
  }
  if (value.length > ADVANCED_LIMIT) {
    throw validationError(
      'value',
      `Member must have length less than or equal to ${ADVANCED_LIMIT}`,
    );
  }
}

function readTypeFilter(filters: JsonObject[] | undefined): string[] | undefined {
  if (filters === undefined) return undefined;
  let types: string[] | undefined;
  for (const filter of filters) {
    if (filter['Key'] !== 'Type') throw new AwsServiceError('InvalidFilterKey', '');
    if (filter['Option'] !== undefined && filter['Option'] !== 'Equals') {
      throw new AwsServiceError('InvalidFilterOption', 'The Type filter supports only Equals.');
    }
    types = Array.isArray(filter['Values']) ? filter['Values'].map(String) : [];
  }
  return types;
}

async function load(file: string): Promise<Record<string, StoredVersion[]>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as { parameters?: Record<string, StoredVersion[]> };
    return parsed.parameters ?? {};
  } catch (error) {
    throw new ConfigInvalid(`Parameter Store file ${file} is not valid JSON`, { cause: error });
  }
}
