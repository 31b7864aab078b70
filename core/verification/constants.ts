import type { ArchiveLimits } from './types.ts';

/** The release metadata file at the archive root; `signet release` writes it. */
export const RELEASE_METADATA_FILE = 'signet-release.json';

/** CodeDeploy's lifecycle file at the archive root. */
export const APPSPEC_FILE = 'appspec.yml';

/** Both root files are small by nature; the cap keeps a hostile one from filling memory. */
export const ROOT_FILE_MAX_BYTES = 64 * 1024;

/** A detached signature is a few hundred bytes; even dozens of packets stay far below this. */
export const SIGNATURE_MAX_BYTES = 64 * 1024;

/**
 * Defaults sized for real releases with room to spare: a Node app with its node_modules has
 * tens of thousands of entries, and a host's tar cannot create a name of 4096 bytes or more.
 */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = Object.freeze({
  maxEntries: 100_000,
  maxUnpackedBytes: 4 * 1024 ** 3,
  maxDepth: 32,
  maxPathLength: 4095,
});
