import { SignetError } from '../core/errors.ts';

/** The command line is wrong: an unknown command, a missing or invalid argument. */
export class UsageError extends SignetError {
  override readonly name = 'UsageError';
  readonly retryable = false;
  readonly fault = 'user' as const;
}

/** A port the local stack needs is taken, usually by another `signet local up`. */
export class PortInUse extends SignetError {
  override readonly name = 'PortInUse';
  readonly retryable = false;
  readonly fault = 'user' as const;
}
