import type { SSMClient } from '@aws-sdk/client-ssm';
import type { AppConfig } from '../app-config.ts';
import { loadAppConfig } from '../app-config-store.ts';
import { SignetError } from '../errors.ts';
import { configParameterName } from '../parameter-paths.ts';
import { guarded } from './aws-failure.ts';
import { type CheckResult, failed, passed } from './check-result.ts';

export interface AppConfigCheck {
  readonly results: readonly CheckResult[];
  /** The parsed configuration, when it parses: the targets check needs its tag. */
  readonly config: AppConfig | undefined;
}

/** The app's configuration parameter exists and parses (core/app-config.ts, loadAppConfig). */
export async function checkAppConfig(
  ssm: SSMClient,
  prefix: string,
  app: string,
): Promise<AppConfigCheck> {
  let config: AppConfig | undefined;
  const results = await guarded('app-config', app, ['ssm:GetParameter'], async () => {
    try {
      config = await loadAppConfig(ssm, prefix, app);
      return [passed('app-config', app)];
    } catch (error) {
      if (!(error instanceof SignetError) || error.name !== 'ConfigInvalid') throw error;
      const missing = (error.cause as Error | undefined)?.name === 'ParameterNotFound';
      return [
        failed(
          'app-config',
          app,
          error.message,
          missing
            ? `add app ${app} to infra/signet.config.json and redeploy (\`npx cdk deploy\`)`
            : `correct the config of app ${app} in infra/signet.config.json and redeploy ` +
                `(\`npx cdk deploy\`); the stack writes it to ${configParameterName(prefix, app)}`,
        ),
      ];
    }
  });
  return { results, config };
}
