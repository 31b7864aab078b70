import { existsSync, statSync } from 'node:fs';
import { isAppName, isVersion } from '../core/release-names.ts';
import { UsageError } from './usage-error.ts';

/** An app name from the command line, or UsageError saying what a valid one looks like. */
export function appArgument(value: string | undefined, usage: string): string {
  if (value === undefined || value === '')
    throw new UsageError(`an app name is required\nusage: ${usage}`);
  if (!isAppName(value)) {
    throw new UsageError(
      `"${value}" is not an app name: lower-case letters, digits and inner hyphens, 1 to 40 characters`,
    );
  }
  return value;
}

/** A release version from the command line (semantic version, no build metadata). */
export function versionArgument(value: string | undefined, usage: string): string {
  if (value === undefined || value === '')
    throw new UsageError(`a version is required\nusage: ${usage}`);
  if (!isVersion(value)) {
    throw new UsageError(
      `"${value}" is not a version: use a semantic version such as 1.4.0 or 2.0.0-rc.1`,
    );
  }
  return value;
}

/** A directory that exists, for the build to package. */
export function directoryArgument(value: string, usage: string): string {
  if (!existsSync(value) || !statSync(value).isDirectory()) {
    throw new UsageError(`${value} is not a directory\nusage: ${usage}`);
  }
  return value;
}
