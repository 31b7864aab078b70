import {
  GetParameterCommand,
  GetParametersByPathCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { type AppConfig, parseAppConfig } from './app-config.ts';
import { ConfigInvalid } from './errors.ts';
import { configParameterName, trustedKeysPath, trustedKmsKeysPath } from './parameter-paths.ts';

/** A public key trusted to sign an app's releases, as stored: its label and armored text. */
export interface StoredTrustedKey {
  readonly label: string;
  readonly armoredPublicKey: string;
}

/** An AWS KMS key trusted to sign an app's releases, as stored: its label and key ARN. */
export interface StoredKmsKey {
  readonly label: string;
  readonly keyArn: string;
}

/** Reads and validates an app's configuration; a missing one is ConfigInvalid, not a default. */
export async function loadAppConfig(
  ssm: SSMClient,
  prefix: string,
  app: string,
): Promise<AppConfig> {
  const name = configParameterName(prefix, app);
  let text: string;
  try {
    const result = await ssm.send(new GetParameterCommand({ Name: name }));
    text = result.Parameter?.Value ?? '';
  } catch (error) {
    if ((error as Error).name === 'ParameterNotFound') {
      throw new ConfigInvalid(`App ${app} has no configuration at ${name}`, {
        cause: error,
        details: { app, parameter: name },
      });
    }
    throw error;
  }
  try {
    return parseAppConfig(app, JSON.parse(text));
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new ConfigInvalid(`The configuration ${name} of app ${app} is not valid JSON`, {
        cause: error,
        details: { app, parameter: name },
      });
    }
    throw error;
  }
}

/**
 * The app's trusted OpenPGP keys, one parameter each under `<prefix>/apps/<app>/trusted-keys/`.
 * Returned as stored; parsing them (and refusing an app that trusts no key) is verification's.
 */
export async function loadTrustedKeys(
  ssm: SSMClient,
  prefix: string,
  app: string,
): Promise<StoredTrustedKey[]> {
  const found = await parametersUnder(ssm, trustedKeysPath(prefix, app));
  return found.map(({ label, value }) => ({ label, armoredPublicKey: value }));
}

/**
 * The app's trusted AWS KMS keys, one parameter each under
 * `<prefix>/apps/<app>/trusted-kms-keys/<label>`, holding the key's ARN. Returned as stored;
 * verification refuses a value that is not a KMS key ARN.
 */
export async function loadTrustedKmsKeys(
  ssm: SSMClient,
  prefix: string,
  app: string,
): Promise<StoredKmsKey[]> {
  const found = await parametersUnder(ssm, trustedKmsKeysPath(prefix, app));
  return found.map(({ label, value }) => ({ label, keyArn: value.trim() }));
}

/** Every parameter directly under `path`, by label (the name's last part), sorted by label. */
async function parametersUnder(
  ssm: SSMClient,
  path: string,
): Promise<{ label: string; value: string }[]> {
  const found: { label: string; value: string }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ssm.send(
      new GetParametersByPathCommand({
        Path: path,
        Recursive: false,
        WithDecryption: true,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }),
    );
    for (const parameter of page.Parameters ?? []) {
      if (parameter.Name === undefined || parameter.Value === undefined) continue;
      found.push({ label: parameter.Name.slice(path.length + 1), value: parameter.Value });
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return found.sort((a, b) => a.label.localeCompare(b.label));
}
