import { ReleaseMetadataInvalid } from '../errors.ts';
import { isAppName, isVersion } from '../release-names.ts';
import { RELEASE_METADATA_FILE } from './constants.ts';
import { hasControlCharacter } from './messages.ts';
import type { RootFileContent } from './root-files.ts';
import type { ReleaseMetadata } from './types.ts';

const OPTIONAL_TEXT_FIELDS = ['createdAt', 'createdBy', 'source'] as const;
const MAX_TEXT_LENGTH = 1024;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads `signet-release.json`: a JSON object with `app` and `version` (required, in the same
 * patterns as S3 keys) and optional `createdAt` (ISO 8601), `createdBy` and `source` strings.
 * Unknown keys are ignored so later versions of `signet release` can add fields.
 *
 * @example
 * { "app": "web", "version": "1.4.0", "createdAt": "2026-12-04T16:00:00Z" }
 */
export function parseReleaseMetadata(app: string, content: RootFileContent): ReleaseMetadata {
  const refuse = (reason: string, cause?: unknown) =>
    new ReleaseMetadataInvalid(`app ${app}: ${RELEASE_METADATA_FILE} ${reason}`, {
      details: { app, file: RELEASE_METADATA_FILE },
      ...(cause === undefined ? {} : { cause }),
    });
  if ('problem' in content) throw refuse(content.problem);
  let value: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content.bytes);
    value = JSON.parse(text);
  } catch (error) {
    throw refuse('is not valid UTF-8 JSON', error);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw refuse('is not a JSON object');
  }
  const fields = value as { readonly [K in keyof ReleaseMetadata]?: unknown };
  if (!isAppName(fields.app)) {
    throw refuse(`has no valid "app" (lower-case letters, digits and hyphens; 1 to 40)`);
  }
  if (!isVersion(fields.version)) {
    throw refuse('has no valid "version" (a semantic version without build metadata)');
  }
  const metadata: { -readonly [K in keyof ReleaseMetadata]: ReleaseMetadata[K] } = {
    app: fields.app,
    version: fields.version,
  };
  for (const field of OPTIONAL_TEXT_FIELDS) {
    const text = fields[field];
    if (text === undefined) continue;
    if (typeof text !== 'string' || text.length > MAX_TEXT_LENGTH || hasControlCharacter(text)) {
      throw refuse(`has a "${field}" that is not a single-line string of at most 1024 characters`);
    }
    if (field === 'createdAt' && !(ISO_TIMESTAMP.test(text) && Number.isFinite(Date.parse(text)))) {
      throw refuse(`has a "createdAt" that is not an ISO 8601 timestamp`);
    }
    metadata[field] = text;
  }
  return metadata;
}
