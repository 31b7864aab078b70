/** Helpers that make untrusted text safe to put into an error message or a log line. */

/** The message of whatever was thrown, for wrapping a library's error in one of ours. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const MAX_SHOWN_LENGTH = 200;

/** C0 controls, DEL and C1 controls: invisible in listings, and a NUL ends a C string early. */
export function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/**
 * A name from the archive, quoted as a JSON string: control characters, NULs and invalid UTF-8
 * (already replaced by U+FFFD) stay visible instead of breaking the log line, and a 4 KiB name
 * is cut so the message stays readable.
 */
export function quoteName(name: string): string {
  const shown = name.length > MAX_SHOWN_LENGTH ? `${name.slice(0, MAX_SHOWN_LENGTH)}...` : name;
  return JSON.stringify(shown);
}
