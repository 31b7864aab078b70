const MAX_SHOWN = 100;

/**
 * An untrusted input value as it may appear in an error message: quoted as a JSON string, so
 * that newlines, quotes and control characters show as escapes instead of breaking (or forging)
 * lines in alerts, logs and audit records, and cut to 100 characters, so that a huge value
 * cannot flood them. Non-strings are shown as their JSON.
 *
 * @example
 * quoteInput('1.0.0\ntouch /tmp/x') // '"1.0.0\\ntouch /tmp/x"'
 */
export function quoteInput(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const cut = [...text];
  return JSON.stringify(cut.length > MAX_SHOWN ? `${cut.slice(0, MAX_SHOWN).join('')}…` : text);
}
