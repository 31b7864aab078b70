import { SignetError } from '../core/errors.ts';

/** A program Signet needs on this machine (gpg, tar) is not installed. */
export class ToolMissing extends SignetError {
  override readonly name = 'ToolMissing';
  readonly retryable = false;
  readonly fault = 'user' as const;
}

/** Packaging, signing or uploading a release failed; the message says at which step. */
export class ReleaseFailed extends SignetError {
  override readonly name = 'ReleaseFailed';
  readonly retryable = false;
  readonly fault = 'user' as const;
}
