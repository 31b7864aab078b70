/**
 * Splits one appspec.yml line into indentation, an optional list dash, a key and a scalar value.
 * Every rule here has a twin in instance/signet-host.sh (appspec_lex_line); the regular
 * expressions are the same strings, and the `s` flag makes `.` match any character as it does
 * for bash.
 */

export interface AppSpecLine {
  readonly indent: number;
  /** The line starts a list item (`- key: value`). */
  readonly item: boolean;
  /** Column of the key: where a continuation key of the same item must start. */
  readonly keyColumn: number;
  readonly key: string;
  readonly value: string;
  /** False for `key:` alone (a mapping or list follows), true for any scalar, even `''`. */
  readonly hasValue: boolean;
}

export type Fail = (reason: string) => never;

const ITEM = /^-( +)([^ ].*)$/s;
const KEY_VALUE = /^([A-Za-z][A-Za-z0-9_-]*):( +([^ ].*))?$/s;
const SINGLE_QUOTED = /^'([^']*)'( +#.*)?$/s;
const DOUBLE_QUOTED = /^"([^"\\]*)"( +#.*)?$/s;

/** Null for a blank line or a comment; otherwise the parts of a `key: value` line. */
export function lexLine(raw: string, fail: Fail): AppSpecLine | null {
  let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.includes('\t')) fail('tab character (indent with spaces)');
  if (hasControlCharacter(line)) fail('control character');
  line = line.replace(/ +$/, '');
  const content = line.replace(/^ +/, '');
  if (content === '' || content.startsWith('#')) return null;
  const indent = line.length - content.length;

  let rest = content;
  let keyColumn = indent;
  const item = content.startsWith('-');
  if (item) {
    const match = ITEM.exec(content);
    if (match === null) fail("a list item needs its first key on the same line as '-'");
    keyColumn = indent + 1 + (match[1] as string).length;
    rest = match[2] as string;
  }
  const pair = KEY_VALUE.exec(rest);
  if (pair === null) fail("expected 'key: value'");
  const scalar = readScalar(pair[3], fail);
  return { indent, item, keyColumn, key: pair[1] as string, ...scalar };
}

/** C0 controls and DEL: what bash's [[:cntrl:]] matches in the C locale. */
function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function readScalar(raw: string | undefined, fail: Fail): { value: string; hasValue: boolean } {
  if (raw === undefined || raw.startsWith('#')) return { value: '', hasValue: false };
  if (raw.startsWith("'") || raw.startsWith('"')) {
    const match = (raw.startsWith("'") ? SINGLE_QUOTED : DOUBLE_QUOTED).exec(raw);
    if (match === null) {
      fail('quoted value is malformed (escapes and embedded quotes are not supported)');
    }
    return { value: match[1] as string, hasValue: true };
  }
  const comment = raw.indexOf(' #');
  const value = (comment < 0 ? raw : raw.slice(0, comment)).replace(/ +$/, '');
  return { value, hasValue: true };
}
