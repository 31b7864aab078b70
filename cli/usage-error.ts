import { SignetError } from '../core/errors.ts';

/** The command line is wrong: an unknown command, a missing or invalid argument. */
export class UsageError extends SignetError {
  override readonly name = 'UsageError';
  readonly retryable = false;
  readonly fault = 'user' as const;
}
