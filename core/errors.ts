/**
 * Signet's error vocabulary. Every name here is matched by the state machine's Retry and Catch
 * fields and shown to operators as the execution's error, so names are a stable contract:
 * rename one and the ASL, the docs and the alerts must change with it.
 */

/** Who has to act to fix the fault: the person releasing, or the system (retry, or a person). */
export type Fault = 'user' | 'system';

export interface SignetErrorOptions {
  /** The underlying error, kept for logs and for the execution's Cause. */
  readonly cause?: unknown;
  /** Facts a handler or operator needs: the app, the instance, the entry, the key. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Base class of every error Signet raises on purpose. Subclasses only fix the name, whether a
 * retry can help, and who is at fault; the message says what happened and where.
 */
export abstract class SignetError extends Error {
  abstract override readonly name: string;
  abstract readonly retryable: boolean;
  abstract readonly fault: Fault;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, options: SignetErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? {};
  }

  /** The shape Step Functions shows as an execution's error: name plus a one-line cause. */
  toJSON(): { name: string; message: string; details: Readonly<Record<string, unknown>> } {
    return { name: this.name, message: this.message, details: this.details };
  }
}

/** A named Signet error class; each module defines its own with it. */
export function defineError(name: string, fault: Fault, retryable = false) {
  const ErrorClass = class extends SignetError {
    override readonly name = name;
    readonly retryable = retryable;
    readonly fault = fault;
  };
  Object.defineProperty(ErrorClass, 'name', { value: name });
  return ErrorClass;
}

// Input and configuration.
/** The execution input matches none of the accepted shapes. */
export const InputInvalid = defineError('InputInvalid', 'user');
/** The object is not a release artifact (a signature, a README): nothing to deploy. */
export const NotARelease = defineError('NotARelease', 'user');
/** The app's configuration or trusted keys are missing or unusable. */
export const ConfigInvalid = defineError('ConfigInvalid', 'user');
/** Another deployment of the same app holds the lock. */
export const DeploymentInProgress = defineError('DeploymentInProgress', 'system', true);
/** The release record names no version to roll back or redeploy to. */
export const NothingToRollBackTo = defineError('NothingToRollBackTo', 'user');
/**
 * The app's current release changed between an operator's rollback request and the lock (a
 * deployment finished meanwhile): the rollback would no longer go back from what they saw.
 */
export const RollbackOutdated = defineError('RollbackOutdated', 'user');

// Verification: who signed it and what it is.
/** No signature object exists next to the artifact (yet). */
export const SignatureMissing = defineError('SignatureMissing', 'user', true);
/** The signature object is empty, truncated, garbage or broken armor. */
export const SignatureMalformed = defineError('SignatureMalformed', 'user');
/** The signature does not match the artifact's bytes. */
export const SignatureInvalid = defineError('SignatureInvalid', 'user');
/** The signature is valid but made by a key not trusted for this app. */
export const SignerNotTrusted = defineError('SignerNotTrusted', 'user');
/** The signing key was revoked. */
export const SignerRevoked = defineError('SignerRevoked', 'user');
/** The signing key had expired when the signature was made. */
export const SignerExpired = defineError('SignerExpired', 'user');
/** The signature uses a hash algorithm too weak to trust (MD5, SHA-1). */
export const SignatureWeakHash = defineError('SignatureWeakHash', 'user');
/** The stored checksum or the recorded digest disagrees with the bytes read. */
export const ChecksumMismatch = defineError('ChecksumMismatch', 'user');
/** Fewer or more bytes arrived than the object's length: never hash a partial read. */
export const ArtifactReadIncomplete = defineError('ArtifactReadIncomplete', 'system', true);
/** The object, or what it inflates to, is past the app's size cap. */
export const ArtifactTooLarge = defineError('ArtifactTooLarge', 'user');
/** The object at the pinned version or ETag is gone or was replaced. */
export const ArtifactChanged = defineError('ArtifactChanged', 'user');
/** The artifact is not a gzip-compressed tar archive, or is corrupt. */
export const ArchiveInvalid = defineError('ArchiveInvalid', 'user');
/** An archive entry could escape the release directory or harm the host. */
export const UnsafeArchiveEntry = defineError('UnsafeArchiveEntry', 'user');
/** signet-release.json is missing or invalid. */
export const ReleaseMetadataInvalid = defineError('ReleaseMetadataInvalid', 'user');
/** appspec.yml is missing, invalid, or uses what Signet does not support. */
export const AppSpecInvalid = defineError('AppSpecInvalid', 'user');
/** The signed app or version disagrees with the S3 key it was uploaded under. */
export const ReleaseMismatch = defineError('ReleaseMismatch', 'user');
/** The version is not newer than the one deployed, and no operator asked for it. */
export const VersionNotNewer = defineError('VersionNotNewer', 'user');
/** The same bytes were already deployed under another version. */
export const DigestReused = defineError('DigestReused', 'user');

// Fleet.
/** No running, SSM-managed instance carries the app's tag. */
export const NoTargets = defineError('NoTargets', 'user');
/** Tagged instances are stopped or not online in SSM, and the app does not allow skipping. */
export const TargetsUnavailable = defineError('TargetsUnavailable', 'system');
/** The install command failed on at least one instance. */
export const InstallFailed = defineError('InstallFailed', 'system');
/** The host downloaded bytes whose SHA-256 differs from the verified artifact. */
export const ChecksumMismatchOnHost = defineError('ChecksumMismatchOnHost', 'system');
/** The health check failed on at least one instance. */
export const HealthCheckFailed = defineError('HealthCheckFailed', 'system');
/** Rolling back failed, or the rolled-back version is unhealthy: a person is needed. */
export const RollbackFailed = defineError('RollbackFailed', 'system');
/** The fleet changed but the release record could not be written. */
export const RecordWriteFailed = defineError('RecordWriteFailed', 'system', true);

/** The execution's audit entry could not be written; the state machine ends with this name. */
export const AuditWriteFailed = defineError('AuditWriteFailed', 'system');
/**
 * The execution was stopped (StopExecution, the console's Stop: ABORTED) or ran past the state
 * machine's TimeoutSeconds (TIMED_OUT) before it finished: recorded from its status event.
 */
export const ExecutionStopped = defineError('ExecutionStopped', 'system');

// AWS.
/** AWS throttled a call past the SDK's own retries; the state machine backs off and retries. */
export const AwsThrottled = defineError('AwsThrottled', 'system', true);
/** An AWS call failed for a reason a retry will not fix (access denied, validation). */
export const AwsRequestFailed = defineError('AwsRequestFailed', 'system');

export type SignetErrorClass = ReturnType<typeof defineError>;
