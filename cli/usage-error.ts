import { defineError } from '../core/errors.ts';

/** The command line is wrong: an unknown command, a missing or invalid argument. */
export const UsageError = defineError('UsageError', 'user');

/** A port the local stack needs is taken, usually by another `signet local up`. */
export const PortInUse = defineError('PortInUse', 'user');
