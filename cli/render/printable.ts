/**
 * A stored text made safe to print on one terminal line. Fields such as `requestedBy` are
 * whatever the starter of an execution wrote, so a newline or an escape sequence in them could
 * forge a row of output or rewrite the screen: each control character is shown as `\xNN`.
 */
export function printable(text: string): string {
  return text.replace(
    /[\p{Cc}\u2028\u2029]/gu,
    (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
