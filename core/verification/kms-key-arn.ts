/**
 * A KMS key ARN, as KMS writes it: `arn:<partition>:kms:<region>:<account>:key/<key id>`, the
 * key id a lower-case UUID or a multi-Region `mrk-` id. Aliases are not key ARNs on purpose:
 * whoever may update an alias could point it at another key, so trust names the key itself.
 */
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const MULTI_REGION_KEY_ID = 'mrk-[0-9a-f]{32}';
const KMS_KEY_ARN_PATTERN = new RegExp(
  '^arn:aws(?:-[a-z]+)*:kms:[a-z]{2,}(?:-[a-z]+)+-[0-9]+:[0-9]{12}:' +
    `key/(?:${MULTI_REGION_KEY_ID}|${UUID})$`,
);

/** Whether `value` is a KMS key ARN (not an alias, a bare key id, or another service's ARN). */
export function isKmsKeyArn(value: unknown): value is string {
  return typeof value === 'string' && KMS_KEY_ARN_PATTERN.test(value);
}

/** What a KMS key ARN looks like, for messages that refuse one. */
export const KMS_KEY_ARN_SHAPE = 'arn:aws:kms:<region>:<account>:key/<key id>';
