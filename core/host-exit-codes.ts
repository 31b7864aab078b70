/**
 * Exit codes of the host script (instance/signet-host.sh) and the Signet error each one maps to.
 * The script defines the same numbers as `readonly EXIT_<NAME>=<code>`; a test keeps the two and
 * docs/INSTANCE.md in step. Codes start at 64 (sysexits' EX__BASE) so they never collide with a
 * shell's own 1, 2, 126, 127 or 128+signal.
 */
import {
  AppSpecInvalid,
  ChecksumMismatchOnHost,
  DeploymentInProgress,
  HealthCheckFailed,
  InputInvalid,
  InstallFailed,
  RollbackFailed,
  type SignetErrorClass,
  UnsafeArchiveEntry,
} from './errors.ts';

export interface HostExitCode {
  readonly code: number;
  /** The script's constant, without the EXIT_ prefix. */
  readonly name: string;
  readonly error: SignetErrorClass;
  readonly meaning: string;
}

export const HOST_EXIT_CODES: readonly HostExitCode[] = [
  {
    code: 64,
    name: 'PARAMETER_INVALID',
    error: InputInvalid,
    meaning: 'a parameter or host setting is missing or fails its pattern',
  },
  {
    code: 65,
    name: 'DOWNLOAD_FAILED',
    // Limitation: no error name says "download failed"; InstallFailed is the closest.
    error: InstallFailed,
    meaning: 'the artifact could not be downloaded',
  },
  {
    code: 66,
    name: 'CHECKSUM_MISMATCH',
    error: ChecksumMismatchOnHost,
    meaning: 'the downloaded bytes, or the installed release of that version, have another SHA-256',
  },
  {
    code: 67,
    name: 'UNSAFE_ARCHIVE',
    error: UnsafeArchiveEntry,
    meaning:
      'an archive entry could escape the release or harm the host, or the archive is unreadable',
  },
  {
    code: 68,
    name: 'APPSPEC_INVALID',
    error: AppSpecInvalid,
    meaning: 'appspec.yml is missing, invalid, or names a hook script not in the release',
  },
  {
    code: 69,
    name: 'HOOK_FAILED',
    error: InstallFailed,
    meaning: 'a lifecycle hook failed or timed out (stderr names the hook and the release)',
  },
  {
    code: 70,
    name: 'HEALTH_FAILED',
    error: HealthCheckFailed,
    meaning: 'the app never answered as expected, flapped during the bake, or is not current',
  },
  {
    code: 71,
    name: 'ROLLBACK_FAILED',
    error: RollbackFailed,
    meaning: 'the rollback target is neither kept on the host nor obtainable from ArtifactUrl',
  },
  {
    code: 72,
    name: 'LOCKED',
    error: DeploymentInProgress,
    meaning: 'another Signet command for this app is running on this host',
  },
];

const byCode = new Map(HOST_EXIT_CODES.map((entry) => [entry.code, entry]));

/** Exit code -> Signet error name, e.g. `{ 64: 'InputInvalid', ..., 72: 'DeploymentInProgress' }`. */
export const HOST_EXIT_ERROR_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  HOST_EXIT_CODES.map((entry) => [entry.code, entry.error.name]),
);

/**
 * The Signet error class for a host exit code, or null for 0 and for codes the script does not
 * define (a crash of bash itself), which callers treat as InstallFailed.
 *
 * @example hostExitError(66)?.name === 'ChecksumMismatchOnHost'
 */
export function hostExitError(code: number): SignetErrorClass | null {
  return byCode.get(code)?.error ?? null;
}
