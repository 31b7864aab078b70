import {
  GetParameterCommand,
  GetParametersByPathCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { type AppConfig, parseAppConfig } from './app-config.ts';
import { ConfigInvalid } from './errors.ts';
import { configParameterName, trustedKeysPath } from './parameter-paths.ts';

/** A public key trusted to sign an app's releases, as stored: its label and armored text. */
export interface StoredTrustedKey {
  readonly label: string;
  readonly armoredPublicKey: string;
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
 * The app's trusted signing keys, one parameter each under `<prefix>/apps/<app>/trusted-keys/`.
 * Returned as stored; parsing them (and refusing an empty list) is verification's job.
 */
export async function loadTrustedKeys(
  ssm: SSMClient,
  prefix: string,
  app: string,
): Promise<StoredTrustedKey[]> {
  const path = trustedKeysPath(prefix, app);
  const keys: StoredTrustedKey[] = [];
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
      keys.push({
        label: parameter.Name.slice(path.length + 1),
        armoredPublicKey: parameter.Value,
      });
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return keys.sort((a, b) => a.label.localeCompare(b.label));
}
