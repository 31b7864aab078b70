/**
 * Names of apps, versions and the S3 keys they live under. These patterns are the first of
 * several gates an untrusted string passes before it reaches a host: the same patterns are the
 * SSM document's allowedPatterns, and the host script checks them once more.
 */

/** Lower-case letters, digits and inner hyphens; 1 to 40 characters. */
export const APP_NAME_PATTERN = /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/**
 * Semantic versions without build metadata ('+' is awkward in S3 keys and URLs, and build
 * metadata does not order releases anyway); at most 64 characters.
 */
const NUMBER = '(?:0|[1-9][0-9]{0,8})';
// A prerelease identifier as semver defines it: a number without leading zeros, or letters,
// digits and hyphens with at least one non-digit. "01" is not one: semver (and Signet's
// ordering of releases) would fail on it.
const IDENTIFIER = '(?:0|[1-9][0-9]{0,19}|[0-9]{0,19}[A-Za-z-][0-9A-Za-z-]{0,19})';
const PRERELEASE = `(?:-${IDENTIFIER}(?:\\.${IDENTIFIER}){0,4})?`;
export const VERSION_PATTERN = new RegExp(`^${NUMBER}\\.${NUMBER}\\.${NUMBER}${PRERELEASE}$`);

export const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;

/** Where release artifacts live in the bucket; the EventBridge rule listens under it. */
export const RELEASES_PREFIX = 'releases/';

export const ARTIFACT_SUFFIX = '.tar.gz';

/**
 * Signature objects sit next to the artifact, looked for in this order: an OpenPGP signature,
 * binary then ASCII-armored, then an AWS KMS signature document (docs/VERIFICATION.md).
 */
export const SIGNATURE_SUFFIXES = ['.sig', '.asc', '.kms.json'] as const;

/** The suffix of a KMS signature document; every other signature object is OpenPGP. */
export const KMS_SIGNATURE_SUFFIX = '.kms.json';

/** Which kind of signer a signature object is from: told by its key's suffix. */
export type SignatureFormat = 'openpgp' | 'kms';

export function signatureFormatOf(signatureKey: string): SignatureFormat {
  return signatureKey.endsWith(KMS_SIGNATURE_SUFFIX) ? 'kms' : 'openpgp';
}

export interface ReleaseName {
  readonly app: string;
  readonly version: string;
}

export function isAppName(value: unknown): value is string {
  return typeof value === 'string' && APP_NAME_PATTERN.test(value);
}

export function isVersion(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && VERSION_PATTERN.test(value);
}

/** `releases/web/web-1.4.0.tar.gz` for app `web`, version `1.4.0`. */
export function artifactKey({ app, version }: ReleaseName): string {
  return `${RELEASES_PREFIX}${app}/${app}-${version}${ARTIFACT_SUFFIX}`;
}

/**
 * Reads app and version from an artifact key, or null when the key is not a release artifact
 * (a signature, a README, anything outside the layout). The key only routes: verification
 * later checks that the signed metadata says the same.
 */
export function parseArtifactKey(key: string): ReleaseName | null {
  if (!key.startsWith(RELEASES_PREFIX) || !key.endsWith(ARTIFACT_SUFFIX)) return null;
  const rest = key.slice(RELEASES_PREFIX.length, -ARTIFACT_SUFFIX.length);
  const slash = rest.indexOf('/');
  if (slash < 0) return null;
  const app = rest.slice(0, slash);
  const fileStem = rest.slice(slash + 1);
  if (!isAppName(app) || !fileStem.startsWith(`${app}-`)) return null;
  const version = fileStem.slice(app.length + 1);
  return isVersion(version) ? { app, version } : null;
}
