/**
 * Where each app's state lives in Parameter Store. One prefix per Signet deployment, so the
 * IAM policy can name `<prefix>/apps/*` and nothing else.
 */
export function appParameterPath(prefix: string, app: string): string {
  return `${prefix.replace(/\/+$/, '')}/apps/${app}`;
}

export function configParameterName(prefix: string, app: string): string {
  return `${appParameterPath(prefix, app)}/config`;
}

/** Each trusted key is its own parameter, so keys can be added without rewriting the config. */
export function trustedKeysPath(prefix: string, app: string): string {
  return `${appParameterPath(prefix, app)}/trusted-keys`;
}

/** Each trusted AWS KMS key is its own parameter too, holding the key's ARN. */
export function trustedKmsKeysPath(prefix: string, app: string): string {
  return `${appParameterPath(prefix, app)}/trusted-kms-keys`;
}

export function releaseRecordParameterName(prefix: string, app: string): string {
  return `${appParameterPath(prefix, app)}/release`;
}
