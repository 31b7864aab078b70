import {
  GetParameterCommand,
  GetParametersByPathCommand,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  type SSMClientResolvedConfig,
} from '@aws-sdk/client-ssm';
import type { AwsStub } from 'aws-sdk-client-mock';
import type { ReleaseRecord } from '../../core/release-record.ts';

export type SsmStub = AwsStub<ServiceInputTypes, ServiceOutputTypes, SSMClientResolvedConfig>;

/** Answers Signet's Parameter Store reads for an app from the given values; others are missing. */
export function stubAppParameters(
  ssm: SsmStub,
  values: {
    readonly config?: unknown;
    readonly record?: ReleaseRecord;
    /** OpenPGP keys by label, under `trusted-keys/`. */
    readonly keys?: Readonly<Record<string, string>>;
    /** KMS key ARNs by label, under `trusted-kms-keys/`. */
    readonly kmsKeys?: Readonly<Record<string, string>>;
  },
): void {
  ssm.on(GetParameterCommand).callsFake((input: { Name: string }) => {
    if (input.Name.endsWith('/config') && values.config !== undefined) {
      return { Parameter: { Name: input.Name, Value: JSON.stringify(values.config) } };
    }
    if (input.Name.endsWith('/release') && values.record !== undefined) {
      return { Parameter: { Name: input.Name, Value: JSON.stringify(values.record) } };
    }
    const missing = new Error(`Parameter ${input.Name} not found`);
    missing.name = 'ParameterNotFound';
    throw missing;
  });
  ssm.on(GetParametersByPathCommand).callsFake((input: { Path: string }) => {
    const byLabel = input.Path.endsWith('/trusted-kms-keys') ? values.kmsKeys : values.keys;
    return {
      Parameters: Object.entries(byLabel ?? {}).map(([label, value]) => ({
        Name: `${input.Path}/${label}`,
        Value: value,
      })),
    };
  });
}
