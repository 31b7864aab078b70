import { defineError } from '../core/errors.ts';

/** A program Signet needs on this machine (gpg, tar) is not installed. */
export const ToolMissing = defineError('ToolMissing', 'user');

/** Packaging, signing or uploading a release failed; the message says at which step. */
export const ReleaseFailed = defineError('ReleaseFailed', 'user');
