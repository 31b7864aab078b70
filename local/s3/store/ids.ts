import { randomBytes } from 'node:crypto';

/** The version id of objects written while versioning is off or suspended. */
export const NULL_VERSION_ID = 'null';

const VERSION_ID_PATTERN = /^[A-Za-z0-9._]{32}$/;

/** A 32-character version id drawn from the alphabet S3's own ids use (`[A-Za-z0-9._]`). */
export function newVersionId(): string {
  return randomBytes(24).toString('base64url').replaceAll('-', '.');
}

/** Whether S3 would accept this as a version id at all (else: 400 InvalidArgument). */
export function isWellFormedVersionId(versionId: string): boolean {
  return versionId === NULL_VERSION_ID || VERSION_ID_PATTERN.test(versionId);
}

let lastSequencerTime = 0;
let sequencerCounter = 0;

/**
 * An event sequencer: upper-case hex that grows with time (12 digits of milliseconds, then a
 * 6-digit counter), so for one key a later event always has the greater value, as S3 promises.
 */
export function newSequencer(now = Date.now()): string {
  if (now > lastSequencerTime) {
    lastSequencerTime = now;
    sequencerCounter = 0;
  } else {
    sequencerCounter += 1;
  }
  const time = lastSequencerTime.toString(16).toUpperCase().padStart(12, '0');
  const counter = (sequencerCounter % 0x1000000).toString(16).toUpperCase().padStart(6, '0');
  return `${time}${counter}`;
}
