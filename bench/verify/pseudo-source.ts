/**
 * Text that compresses like source code (gzip -6 about 3x): lines of identifiers,
 * keywords and punctuation drawn from a small vocabulary with a skewed frequency, made from a
 * fixed seed so every run packs the same bytes.
 */

const KEYWORDS = [
  'const',
  'let',
  'function',
  'return',
  'if',
  'else',
  'for',
  'await',
  'async',
  'import',
  'export',
  'from',
  'new',
  'this',
  'null',
  'true',
  'false',
  'throw',
  'class',
  'extends',
];
const PUNCTUATION = [' = ', '(', ')', ' {', '}', ';', ', ', '.', ' => ', ' + ', '[', ']', ': '];

export function pseudoSourceText(bytes: number, seed = 0x5eed): Buffer {
  let state = seed;
  // xorshift32: fast, deterministic, and good enough to pick words.
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const vocabulary = Array.from({ length: 600 }, () => identifier(next));
  const recent: string[] = [];
  const out = Buffer.alloc(bytes);
  let at = 0;
  while (at < bytes) {
    // Code repeats itself: a third of the lines echo one of the last 64 (calls, imports).
    if (recent.length > 0 && next() < 0.35) {
      at += out.write(recent[Math.floor(next() * recent.length)] ?? '\n', at, 'utf8');
      continue;
    }
    const indent = '  '.repeat(Math.floor(next() * 4));
    let line = indent;
    const tokens = 3 + Math.floor(next() * 9);
    for (let t = 0; t < tokens; t += 1) {
      const pick = next();
      if (pick < 0.2) line += KEYWORDS[Math.floor(next() * KEYWORDS.length)] ?? '';
      else if (pick < 0.55) line += PUNCTUATION[Math.floor(next() * PUNCTUATION.length)] ?? '';
      else if (pick < 0.6) line += String(Math.floor(next() * 100_000));
      // Squaring skews the choice toward the first words, as real code reuses a few names.
      else line += vocabulary[Math.floor(next() ** 3 * vocabulary.length)] ?? '';
      if (pick >= 0.55) line += ' ';
    }
    const text = `${line.trimEnd()}\n`;
    recent.push(text);
    if (recent.length > 64) recent.shift();
    at += out.write(text, at, 'utf8');
  }
  return out;
}

function identifier(next: () => number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const parts = 1 + Math.floor(next() * 3);
  let name = '';
  for (let p = 0; p < parts; p += 1) {
    const length = 2 + Math.floor(next() * 7);
    for (let i = 0; i < length; i += 1) {
      const letter = letters[Math.floor(next() * letters.length)] ?? 'x';
      name += p > 0 && i === 0 ? letter.toUpperCase() : letter;
    }
  }
  return name;
}
