import { ConfigInvalid } from '../core/errors.ts';
import { setting } from '../core/settings.ts';

/** The names and places of a Signet deployment, from the environment `signet local up` prints. */
export interface CliSettings {
  readonly stateMachineArn: () => string;
  readonly artifactBucket: () => string;
  readonly stateTable: () => string;
  readonly parameterPrefix: () => string;
  readonly documentName: () => string;
  readonly releaseRuleName: () => string;
}

export function cliSettings(env: NodeJS.ProcessEnv = process.env): CliSettings {
  const required = (name: Parameters<typeof setting>[0]) => () => {
    try {
      return setting(name, env);
    } catch (error) {
      throw new ConfigInvalid(
        `${(error as Error).message}. Set it (\`signet local up\` prints the values for the local stack)`,
        { cause: error },
      );
    }
  };
  return {
    stateMachineArn: required('stateMachineArn'),
    artifactBucket: required('artifactBucket'),
    stateTable: required('stateTable'),
    parameterPrefix: required('parameterPrefix'),
    documentName: required('documentName'),
    releaseRuleName: required('releaseRuleName'),
  };
}
