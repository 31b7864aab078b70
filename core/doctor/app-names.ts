import { GetParametersByPathCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { appParameterPath } from '../parameter-paths.ts';

/**
 * Every app with at least one parameter under `<prefix>/apps/`, sorted: its config, trusted
 * keys or release record. Values are not read (nor decrypted).
 */
export async function listConfiguredApps(ssm: SSMClient, prefix: string): Promise<string[]> {
  // appParameterPath(prefix, '') is `<prefix>/apps/`: the one place that spells the layout.
  const appsPath = appParameterPath(prefix, '');
  const apps = new Set<string>();
  let nextToken: string | undefined;
  do {
    const page = await ssm.send(
      new GetParametersByPathCommand({
        Path: appsPath.slice(0, -1),
        Recursive: true,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }),
    );
    for (const parameter of page.Parameters ?? []) {
      const app = parameter.Name?.startsWith(appsPath)
        ? parameter.Name.slice(appsPath.length).split('/')[0]
        : undefined;
      if (app !== undefined && app !== '') apps.add(app);
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return [...apps].sort();
}
