/**
 * The two ways a key travels as text: percent-encoded in a request path (decoded here exactly
 * once, byte for byte) and form-encoded in S3 event notifications and `encoding-type=url`
 * listings.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * Decodes `%XX` escapes of a raw request path once, then reads the bytes as UTF-8. A `%` not
 * followed by two hex digits stays literal; `+` stays `+` (only query strings use `+` for space).
 * Returns undefined when the bytes are not UTF-8, which S3 answers with InvalidURI.
 */
export function decodePathOnce(raw: string): string | undefined {
  const input = Buffer.from(raw, 'utf8');
  const output = Buffer.alloc(input.length);
  let length = 0;
  for (let index = 0; index < input.length; index += 1) {
    const byte = input[index] as number;
    if (byte === 0x25 && index + 2 < input.length) {
      const high = hexValue(input[index + 1] ?? 0);
      const low = hexValue(input[index + 2] ?? 0);
      if (high >= 0 && low >= 0) {
        output[length] = high * 16 + low;
        length += 1;
        index += 2;
        continue;
      }
    }
    output[length] = byte;
    length += 1;
  }
  try {
    return utf8.decode(output.subarray(0, length));
  } catch {
    return undefined;
  }
}

// Limitation: S3 does not document its exact set; rare characters (~ ! ') may differ from AWS.
// Java's URLEncoder leaves exactly these bytes alone; S3's notification and listing encoders
// behave like it ("red flower.jpg" becomes "red+flower.jpg", "test_file(3).png" becomes
// "test_file%283%29.png"), except that '/' is kept so prefixes stay readable.
function isLeftAlone(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    byte === 0x2e ||
    byte === 0x2d ||
    byte === 0x2a ||
    byte === 0x5f ||
    byte === 0x2f
  );
}

/**
 * Form-encodes a key as S3 does in event notification records and in listings requested with
 * `encoding-type=url`: space becomes `+`, every other byte outside `[A-Za-z0-9.*_/-]` becomes
 * `%XX` (upper-case hex) of its UTF-8 encoding.
 *
 * @example formEncodeKey('releases/web 1.4+rc:1.tgz') // 'releases/web+1.4%2Brc%3A1.tgz'
 */
export function formEncodeKey(key: string): string {
  let encoded = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    if (isLeftAlone(byte)) encoded += String.fromCharCode(byte);
    else if (byte === 0x20) encoded += '+';
    else encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}
