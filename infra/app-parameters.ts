import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, type IConstruct } from 'constructs';
import {
  configParameterName,
  releaseRecordParameterName,
  trustedKeysPath,
  trustedKmsKeysPath,
} from '../core/parameter-paths.ts';
import type { ValidatedApp } from './validate-props.ts';

// Standard parameters hold 4 KB; larger values (big RSA keys) need the Advanced tier.
const STANDARD_TIER_MAX_CHARS = 4096;

/**
 * One app's configuration and trusted signing keys (OpenPGP and KMS) in Parameter Store, written by the stack
 * alone: the Lambdas can read them but no Signet role may change them. The release record next
 * to them is written by record-release at run time, not here.
 */
export class AppParameters extends Construct {
  constructor(scope: Construct, id: string, app: ValidatedApp, prefix: string) {
    super(scope, id);
    const { app: _name, ...document } = app.config;
    stringParameter(this, 'Config', {
      name: configParameterName(prefix, app.name),
      value: JSON.stringify(document),
      description: `Signet configuration of ${app.name} (core/app-config.ts)`,
    });
    for (const key of app.trustedKeys) {
      stringParameter(this, `TrustedKey-${key.label}`, {
        name: `${trustedKeysPath(prefix, app.name)}/${key.label}`,
        value: key.armoredPublicKey,
        description: `OpenPGP public key "${key.label}" trusted to sign releases of ${app.name}`,
      });
    }
    for (const key of app.trustedKmsKeys) {
      stringParameter(this, `TrustedKmsKey-${key.label}`, {
        name: `${trustedKmsKeysPath(prefix, app.name)}/${key.label}`,
        value: key.keyArn,
        description: `KMS key "${key.label}" trusted to sign releases of ${app.name}`,
      });
    }
  }
}

function stringParameter(
  scope: Construct,
  id: string,
  options: { name: string; value: string; description: string },
): ssm.StringParameter {
  return new ssm.StringParameter(scope, id, {
    parameterName: options.name,
    stringValue: options.value,
    description: options.description,
    tier:
      options.value.length > STANDARD_TIER_MAX_CHARS
        ? ssm.ParameterTier.ADVANCED
        : ssm.ParameterTier.STANDARD,
  });
}

/** ARNs of an app's parameters, for IAM statements that name each one. */
export interface AppParameterArns {
  readonly config: string;
  readonly releaseRecord: string;
  /** The trusted-keys path itself: GetParametersByPath is authorized on the path. */
  readonly trustedKeysPath: string;
  /** The keys under that path. */
  readonly trustedKeys: string;
  /** The trusted KMS keys' path, for GetParametersByPath. */
  readonly trustedKmsKeysPath: string;
}

export function appParameterArns(scope: IConstruct, prefix: string, app: string): AppParameterArns {
  const arn = (name: string) =>
    Stack.of(scope).formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: name.replace(/^\//, ''),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  return {
    config: arn(configParameterName(prefix, app)),
    releaseRecord: arn(releaseRecordParameterName(prefix, app)),
    trustedKeysPath: arn(trustedKeysPath(prefix, app)),
    trustedKeys: arn(`${trustedKeysPath(prefix, app)}/*`),
    trustedKmsKeysPath: arn(trustedKmsKeysPath(prefix, app)),
  };
}
