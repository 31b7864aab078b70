import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledgements of cdk-nag findings, each on the one construct it is about and with the
 * reason a reviewer reads. cdk-nag 3 matches an acknowledgement by the finding's exact id, so
 * a wildcard resource is acknowledged by its own flattened ARN and nothing broader.
 */

/** Acknowledges a rule that has no per-finding id (AwsSolutions-S1, say) on one construct. */
export function acknowledgeRule(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${rule}`, reason });
}

/**
 * Acknowledges AwsSolutions-IAM5 for each wildcard resource of a policy attached to `scope`,
 * so a statement granted on `releases/web/*` is acknowledged for that ARN alone.
 */
export function acknowledgeWildcardResources(
  scope: IConstruct,
  resources: readonly string[],
  reason: string,
): void {
  for (const resource of resources) {
    const flat = flattenReference(Stack.of(scope).resolve(resource));
    if (flat.includes('*')) {
      Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
    }
  }
}

/** Acknowledges AwsSolutions-IAM5 for a wildcard action (kms:GenerateDataKey*, say). */
export function acknowledgeWildcardAction(scope: IConstruct, action: string, reason: string) {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
}

/**
 * A resolved CloudFormation value as cdk-nag names it in a finding id: joins joined, `Ref` as
 * `<Name>` and `Fn::GetAtt` as `<Name.Attribute>` (cdk-nag's flattenCfnReference, which its
 * package does not export).
 */
export function flattenReference(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const node = value as Record<string, unknown>;
  const join = node['Fn::Join'] as [string, unknown[]] | undefined;
  if (join !== undefined) return join[1].map(flattenReference).join(join[0]);
  if (node['Fn::Sub'] !== undefined) return flattenReference(node['Fn::Sub']);
  const getAtt = node['Fn::GetAtt'] as [unknown, unknown] | undefined;
  if (getAtt !== undefined) {
    return `<${flattenReference(getAtt[0])}.${flattenReference(getAtt[1])}>`;
  }
  if (node['Ref'] !== undefined) return `<${flattenReference(node['Ref'])}>`;
  return JSON.stringify(value);
}
