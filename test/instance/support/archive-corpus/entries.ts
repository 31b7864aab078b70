/** Corpus rows about entry types, modes, the tree they build, tar formats and header fields. */
import { paxHeader, tarEntry } from '../../../helpers/tar-builder.ts';
import {
  accepted,
  type CorpusCase,
  crafted,
  dir,
  file,
  packed,
  refused,
  verificationOnly,
  withField,
} from './builders.ts';

const encode = (text: string) => new TextEncoder().encode(text);

const directories: readonly CorpusCase[] = [
  accepted(
    'directories with trailing slashes and ./ names, as GNU tar writes them',
    packed({ 'docs/guide/a.md': 'x', 'lib/b.js': 'x' }),
  ),
  accepted('a directory without a trailing slash', crafted(dir('d'), file('d/f'))),
  accepted('a directory entry after its files', crafted(file('d/f'), dir('d/'))),
  accepted('the root as ./ and ./ prefixes', crafted(dir('./'), file('./x'), dir('./sub/'))),
  accepted('the root as .', crafted(dir('.'), file('x'))),
  refused('a directory with two trailing slashes', crafted(dir('d//'))),
  refused('the root twice', crafted(dir('./'), dir('.'))),
  refused(
    'a directory entry that carries data',
    crafted(tarEntry({ name: 'd/', type: 'directory', data: 'x' })),
  ),
  refused('a file with data whose name ends in /', crafted(file('d/', 'x'))),
  verificationOnly(
    'an empty file whose name ends in / (tar makes it a directory)',
    crafted(file('looks-like-a-dir/', '')),
  ),
];

const types: readonly CorpusCase[] = [
  accepted(
    'a contiguous file (type 7)',
    crafted(tarEntry({ name: 'c', typeflag: '7', data: 'x' })),
  ),
  accepted(
    'an old-style regular file (type NUL)',
    crafted(tarEntry({ name: 'o', typeflag: '\u0000', data: 'x' })),
  ),
  refused('a character device', crafted(tarEntry({ name: 'null', type: 'char' }))),
  refused('a block device', crafted(tarEntry({ name: 'sda', type: 'block' }))),
  refused('a FIFO', crafted(tarEntry({ name: 'pipe', type: 'fifo' }))),
  refused('a GNU volume header', crafted(tarEntry({ name: 'vol', typeflag: 'V' }))),
  refused('a GNU multi-volume continuation', crafted(tarEntry({ name: 'm', typeflag: 'M' }))),
  refused('an unknown type (N)', crafted(tarEntry({ name: 'n', typeflag: 'N' }))),
  verificationOnly(
    'a GNU dumpdir (type D, a directory to tar)',
    crafted(tarEntry({ name: 'dump/', typeflag: 'D' })),
  ),
  verificationOnly(
    'a GNU sparse file (type S)',
    crafted(tarEntry({ name: 'sparse', typeflag: 'S' })),
  ),
  verificationOnly(
    'file capabilities in a pax xattr (tar extracts no xattrs)',
    crafted(paxHeader({ 'SCHILY.xattr.security.capability': 'x' }), file('ping')),
  ),
];

const modes: readonly CorpusCase[] = [
  accepted(
    'an executable file and a private directory',
    crafted(
      tarEntry({ name: 'run', data: 'x', mode: 0o755 }),
      tarEntry({ name: 'p/', type: 'directory', mode: 0o700 }),
    ),
  ),
  refused('a setuid file', crafted(tarEntry({ name: 'su', data: 'x', mode: 0o4755 }))),
  refused(
    'a setuid file that is not executable',
    crafted(tarEntry({ name: 'su', data: 'x', mode: 0o4644 })),
  ),
  refused(
    'a setgid directory',
    crafted(tarEntry({ name: 'sg/', type: 'directory', mode: 0o2755 })),
  ),
  refused('a sticky directory', crafted(tarEntry({ name: 't/', type: 'directory', mode: 0o1777 }))),
];

const tree: readonly CorpusCase[] = [
  refused('a file twice', crafted(file('a'), file('a'))),
  refused('a file as ./a, then as a', crafted(file('./a'), file('a'))),
  refused('a directory twice', crafted(dir('d/'), dir('d/'))),
  refused('a file, then a directory of that name', crafted(file('a'), dir('a/'))),
  refused('a file under a file', crafted(file('a'), file('a/b'))),
  refused('a file replacing a directory its files lie in', crafted(file('d/f'), file('d'))),
];

const linksTree = {
  'server.js': 'x',
  'hooks/lib.js': { symlink: '../server.js' },
  [`deep/${'n'.repeat(120)}/file.txt`]: 'x',
};

const formats: readonly CorpusCase[] = [
  accepted('GNU tar --format=gnu', packed(linksTree, ['--format=gnu'])),
  accepted('GNU tar --format=oldgnu', packed(linksTree, ['--format=oldgnu'])),
  accepted('GNU tar --format=posix (pax long names)', packed(linksTree, ['--format=posix'])),
  accepted(
    'GNU tar --format=ustar (name prefix field)',
    packed({ [`u/${'n'.repeat(90)}/${'m'.repeat(40)}/f`]: 'x' }, ['--format=ustar']),
  ),
  accepted(
    'a pax global header with a comment (git archive)',
    crafted(paxHeader({ comment: 'c0ffee' }, { global: true })),
  ),
  accepted(
    'pax times with fractions and the largest uid',
    crafted(
      paxHeader({ mtime: '1700000000.123456789', atime: '-5', uid: '4294967295' }),
      file('t'),
    ),
  ),
  refused(
    'a pax global header that renames the entries after it',
    crafted(paxHeader({ path: 'same' }, { global: true }), file('a'), file('b')),
  ),
  refused(
    'a pax global header that sets the size of the entries after it',
    crafted(paxHeader({ size: '0' }, { global: true }), file('a')),
  ),
  verificationOnly(
    'a pax global header that renames the one entry after it (the host checks the new name)',
    crafted(paxHeader({ path: 'renamed' }, { global: true }), file('a')),
  ),
  refused('a pax mtime that is not a number', crafted(paxHeader({ mtime: 'soon' }), file('t'))),
  refused('a pax uid past 4294967295', crafted(paxHeader({ uid: '4294967296' }), file('t'))),
  refused(
    'a pax GNU.volume.offset that is not a number',
    crafted(paxHeader({ 'GNU.volume.offset': 'x' }), file('t')),
  ),
  refused(
    'a header uid that is not octal',
    crafted(...withField({ name: 'u', data: 'x' }, 108, encode('abc'))),
  ),
  refused(
    'a header mtime that is not octal',
    crafted(...withField({ name: 'm', data: 'x' }, 136, encode('zzzz'))),
  ),
  accepted(
    'a header mtime of all NULs',
    crafted(...withField({ name: 'm', data: 'x' }, 136, new Uint8Array(12))),
  ),
];

export const ENTRY_CASES: readonly CorpusCase[] = [
  ...directories,
  ...types,
  ...modes,
  ...tree,
  ...formats,
];
