/** Corpus rows about entry names: characters, encodings, components and lengths. */
import { paxHeader } from '../../../helpers/tar-builder.ts';
import {
  accepted,
  bytes,
  type CorpusCase,
  crafted,
  file,
  longFile,
  nameOfBytes,
  packed,
  rawPaxHeader,
  refused,
  verificationOnly,
} from './builders.ts';

const characters: readonly CorpusCase[] = [
  accepted('a name with a space', packed({ 'docs/read me.txt': 'x' })),
  accepted('a name with a double quote', packed({ 'docs/say "hi".txt': 'x' })),
  accepted('a name with a single quote', packed({ "docs/it's.txt": 'x' })),
  accepted('a name with a dollar sign', packed({ 'docs/$HOME.txt': 'x' })),
  accepted('a name with a backtick', packed({ 'docs/`id`.txt': 'x' })),
  accepted('a name with glob and bracket characters', packed({ 'docs/*?[a]{b}.txt': 'x' })),
  accepted('a name that reads like an option', packed({ '--rf': 'x' })),
  accepted(
    'a UTF-8 name of 2-, 3- and 4-byte characters',
    packed({ 'docs/café-日本-😀.txt': 'x' }),
  ),
  accepted('a name starting with a byte order mark', crafted(file('\ufeffnotes.txt'))),
  accepted(
    'a name with U+00A0, the first character after the C1 controls',
    crafted(file('a\u00a0b')),
  ),
  accepted('a name with U+10FFFF, the last code point', crafted(file('a\u{10ffff}'))),
  refused('a name with a backslash', packed({ 'docs/back\\slash.txt': 'x' })),
  refused('a name with a newline', packed({ 'docs/line\nbreak.txt': 'x' })),
  refused('a name with a tab', packed({ 'docs/tab\there.txt': 'x' })),
  refused('a name with an escape character', crafted(file('bin/\u001b[2Jx'))),
  refused('a name with DEL', crafted(file('del\u007fx'))),
  refused('a name with a C1 control (U+0085)', crafted(file('next\u0085line'))),
  refused('a name that is not UTF-8 (0xff)', crafted(file(bytes(0x61, 0xff)))),
  refused('a name in Latin-1 (0xe9)', crafted(file(bytes(0x63, 0x61, 0x66, 0xe9)))),
  refused('a name with an overlong UTF-8 slash', crafted(file(bytes(0x61, 0xc0, 0xaf)))),
  refused('a name with a UTF-8 encoded surrogate', crafted(file(bytes(0x61, 0xed, 0xa0, 0x80)))),
  refused('a name past U+10FFFF', crafted(file(bytes(0x61, 0xf4, 0x90, 0x80, 0x80)))),
  refused('a name with a truncated UTF-8 sequence', crafted(file(bytes(0x61, 0xe6, 0x97)))),
  refused('a pax path that is not UTF-8', crafted(rawPaxHeader('path', bytes(0xff)), file('a'))),
  verificationOnly(
    'a pax path with a NUL (tar cuts the name there)',
    crafted(paxHeader({ path: 'cut\u0000here' }), file('cut')),
  ),
];

const shapes: readonly CorpusCase[] = [
  refused('an absolute name', crafted(file('/etc/cron.d/evil'))),
  refused('an absolute pax path', crafted(paxHeader({ path: '/etc/passwd' }), file('harmless'))),
  refused('a name with a leading ..', crafted(file('../outside'))),
  refused('a name with an inner ..', crafted(file('app/../../outside'))),
  refused('a pax path with ..', crafted(paxHeader({ path: 'a/../../x' }), file('harmless'))),
  refused('a name with a drive letter', crafted(file('C:/Windows/x'))),
  refused('an empty name', crafted(file(''))),
  refused('a name with an empty component', crafted(file('a//b'))),
  refused('a name with a . component', crafted(file('a/./b'))),
  refused('a name with two ./ prefixes', crafted(file('././a'))),
  refused('a file named .', crafted(file('.'))),
];

const lengths: readonly CorpusCase[] = [
  accepted('a 255-byte component', crafted(...longFile(`docs/${'n'.repeat(255)}`))),
  refused('a 256-byte component', crafted(...longFile(`docs/${'n'.repeat(256)}`))),
  accepted('a 255-byte component of 3-byte characters', crafted(...longFile('日'.repeat(85)))),
  refused('a 256-byte component of 2-byte characters', crafted(...longFile('é'.repeat(128)))),
  refused(
    'a 256-byte component in a pax path',
    crafted(paxHeader({ path: `a/${'p'.repeat(256)}` }), file('short')),
  ),
  accepted(
    'a 300-byte pax path',
    crafted(paxHeader({ path: `docs/${'p'.repeat(200)}/${'q'.repeat(94)}` }), file('short')),
  ),
  accepted('a 4095-byte name', crafted(...longFile(nameOfBytes(4095)))),
  refused('a 4096-byte name', crafted(...longFile(nameOfBytes(4096)))),
  refused('a 4097-byte name', crafted(...longFile(nameOfBytes(4097)))),
  accepted('a 4095-byte name with its ./', crafted(...longFile(nameOfBytes(4095, './')))),
  refused('a 4096-byte name with its ./', crafted(...longFile(nameOfBytes(4096, './')))),
  refused('a 4097-byte pax path', crafted(paxHeader({ path: nameOfBytes(4097) }), file('short'))),
  verificationOnly(
    'a name 33 levels deep (the depth cap)',
    crafted(file(Array.from({ length: 33 }, () => 'd').join('/'))),
  ),
];

export const NAME_CASES: readonly CorpusCase[] = [...characters, ...shapes, ...lengths];
