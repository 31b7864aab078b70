import { describe, expect, it } from 'vitest';
import { buildTar, gnuLongName, gzip, paxHeader, tarEntry } from '../../helpers/tar-builder.ts';
import { expectError, releaseRootEntries, scanArchive } from './fixtures.ts';

const file = (name: string, data = 'x') => tarEntry({ name, data });
const dir = (name: string) => tarEntry({ name, type: 'directory' });
const symlink = (name: string, target: string) =>
  tarEntry({ name, type: 'symlink', linkName: target });
const hardlink = (name: string, target: string) =>
  tarEntry({ name, type: 'hardlink', linkName: target });

describe('archive entry rules', () => {
  it.each([
    ['an absolute path', [file('/etc/passwd')], '"/etc/passwd" has an absolute path'],
    ['a leading ..', [file('../outside')], "has a '..' path component"],
    ['an inner ..', [file('app/../../outside')], "has a '..' path component"],
    ['a backslash', [file('app\\..\\x')], 'has a backslash'],
    ['a drive letter', [file('C:/Windows/x')], 'has a drive letter'],
    ['a relative drive letter', [file('c:x')], 'has a drive letter'],
    ['an escape character', [file('bin/\u001b[2Jx')], 'has a control character'],
    ['a NUL in a pax path', [paxHeader({ path: 'a\u0000b' }), file('ab')], 'control character'],
    ['an empty name', [file('')], 'has an empty name'],
    ['an empty component', [file('a//b')], "has an empty path component ('//')"],
    ['a dot component', [file('a/./b')], "has a '.' path component"],
    ['a trailing slash on a file', [file('a/')], "ends with '/' but is not a directory"],
    ['a name that is not UTF-8', [tarEntry({ name: new Uint8Array([0x61, 0xff]) })], 'UTF-8'],
    ['an absolute symlink', [symlink('etc', '/etc')], 'has a link target with an absolute path'],
    ['a symlink leaving the root', [symlink('up', '../..')], 'leaves the archive'],
    [
      'a nested symlink leaving the root',
      [dir('sub/'), symlink('sub/up', '../../x')],
      'leaves the archive',
    ],
    ['a symlink with an empty target', [symlink('empty', '')], 'empty target'],
    [
      'a symlink escaping through another symlink',
      [symlink('here', '.'), symlink('escape', 'here/..')],
      '"escape" is a symlink whose target "here/.." leaves the archive',
    ],
    [
      'a symlink escaping through a deeper symlink',
      [
        dir('d1/'),
        dir('d1/d2/'),
        dir('a/'),
        symlink('d1/d2/r', '../../a'),
        symlink('e', 'd1/d2/r/../..'),
      ],
      '"e" is a symlink whose target',
    ],
    ['a symlink loop', [symlink('a', 'b'), symlink('b', 'a')], 'loop of links'],
    ['a hardlink leaving the root', [hardlink('h', '../etc/passwd')], "'..' path component"],
    ['an absolute hardlink', [hardlink('h', '/etc/shadow')], 'absolute path'],
    ['a hardlink to a later file', [hardlink('h', 'later'), file('later')], 'not an earlier'],
    ['a hardlink to a directory', [dir('d/'), hardlink('h', 'd')], 'not an earlier regular file'],
    ['a hardlink to a symlink', [symlink('s', 'x'), hardlink('h', 's')], 'not an earlier'],
    [
      'a file written through an earlier symlink',
      [symlink('link', 'sub'), file('link/payload')],
      'lies through the symlink "link"',
    ],
    [
      'a file through a symlink to outside',
      [symlink('link', 'sub'), dir('link/inner/')],
      'lies through the symlink',
    ],
    ['a file under a file', [file('a'), file('a/b')], 'lies under "a", which is not a directory'],
    ['a symlink replacing a directory', [file('d/f'), symlink('d', 'x')], 'replaces a directory'],
    ['a character device', [tarEntry({ name: 'null', type: 'char' })], 'is a character device'],
    ['a block device', [tarEntry({ name: 'sda', type: 'block' })], 'is a block device'],
    ['a FIFO', [tarEntry({ name: 'pipe', type: 'fifo' })], 'is a FIFO'],
    ['a setuid file', [tarEntry({ name: 'su', data: 'x', mode: 0o4755 })], 'mode 4755'],
    ['a setgid file', [tarEntry({ name: 'sg', data: 'x', mode: 0o2755 })], 'mode 2755'],
    ['a sticky directory', [tarEntry({ name: 't/', type: 'directory', mode: 0o1777 })], '1777'],
    ['a duplicate path', [file('a'), file('a')], 'appears twice'],
    ['a duplicate after ./', [file('./a'), file('a')], 'appears twice'],
    ['a duplicate directory', [dir('d/'), dir('d/')], 'appears twice'],
    ['a sparse file', [tarEntry({ name: 'sparse', typeflag: 'S' })], 'is a sparse file'],
    [
      'a pax sparse file',
      [paxHeader({ 'GNU.sparse.major': '1' }), file('sparse')],
      'is a sparse file',
    ],
    [
      'file capabilities',
      [paxHeader({ 'SCHILY.xattr.security.capability': 'x' }), file('ping')],
      'security.capability',
    ],
    ['a GNU volume header', [tarEntry({ name: 'vol', typeflag: 'V' })], "unsupported tar type 'V'"],
    ['a GNU dumpdir', [tarEntry({ name: 'd', typeflag: 'D' })], "unsupported tar type 'D'"],
    [
      'a pax global header that sets the path',
      [paxHeader({ path: 'evil' }, { global: true }), file('a')],
      'global header that sets path',
    ],
    [
      'a pax global header that sets the size',
      [paxHeader({ size: '0' }, { global: true }), file('a')],
      'global header that sets size',
    ],
  ])('refuses %s as UnsafeArchiveEntry', async (_label, parts, fragment) => {
    // Prepare
    const artifact = gzip(buildTar([...releaseRootEntries(), ...parts]));

    // Act
    const { fault } = await scanArchive(artifact);

    // Assess
    expectError(fault, 'UnsafeArchiveEntry', 'app web: archive entry', fragment);
  });

  it.each([
    ['a symlink to a sibling', [file('real'), symlink('alias', 'real')]],
    ['a symlink to the root', [symlink('root', '.')]],
    ['a symlink up one level from a subdirectory', [dir('sub/'), symlink('sub/up', '..')]],
    ['a dangling symlink inside the root', [symlink('later', 'not/yet/there')]],
    [
      'a symlink through another symlink that stays inside',
      [symlink('r', 'sub'), symlink('s', 'r/..')],
    ],
    ['a hardlink to an earlier file', [file('bin/a'), hardlink('bin/b', 'bin/a')]],
    ['a hardlink written with ./', [file('./a'), hardlink('./b', './a')]],
    ['the archive root entry', [dir('./'), file('./x')]],
    ['a contiguous file', [tarEntry({ name: 'c', typeflag: '7', data: 'x' })]],
    ['an old-style regular file', [tarEntry({ name: 'old', typeflag: '\u0000', data: 'x' })]],
    ['a pax global header with a comment', [paxHeader({ comment: 'abc' }, { global: true })]],
    ['a directory entry after its files', [file('d/f'), dir('d/')]],
    ['a UTF-8 name', [file('docs/\u00fcber-\u65e5\u672c.txt')]],
  ])('accepts %s', async (_label, parts) => {
    // Prepare
    const artifact = gzip(buildTar([...releaseRootEntries(), ...parts]));

    // Act
    const { fault } = await scanArchive(artifact);

    // Assess
    expect(fault).toBeNull();
  });

  it.each([
    ['a header name', [tarEntry({ name: '\ufeffappspec.yml', data: 'x' })]],
    ['a GNU long name', [gnuLongName('\ufeffappspec.yml'), tarEntry({ name: 'short', data: 'x' })]],
    [
      'a pax path',
      [paxHeader({ path: '\ufeffappspec.yml' }), tarEntry({ name: 'short', data: 'x' })],
    ],
  ])('keeps a byte order mark that starts %s, as tar does', async (_label, parts) => {
    // Prepare: tar extracts "\uFEFFappspec.yml", which is not the release's appspec.yml
    const artifact = gzip(buildTar([...releaseRootEntries(), ...parts]));

    // Act
    const { fault, summary } = await scanArchive(artifact);

    // Assess
    expect(fault).toBeNull();
    expect([...summary.regularFiles].filter((path) => path.endsWith('appspec.yml'))).toEqual([
      'appspec.yml',
      '\ufeffappspec.yml',
    ]);
  });

  it('lists normalised paths of regular files and hardlinks, not symlinks or directories', async () => {
    // Prepare
    const artifact = gzip(
      buildTar([
        dir('./'),
        ...releaseRootEntries(),
        dir('./bin/'),
        file('./bin/start.sh'),
        hardlink('./bin/again.sh', './bin/start.sh'),
        symlink('./current', 'bin'),
        gnuLongName(`deep/${'n'.repeat(150)}`),
        file('ignored-header-name'),
      ]),
    );

    // Act
    const { fault, summary } = await scanArchive(artifact);

    // Assess
    expect(fault).toBeNull();
    expect([...summary.regularFiles].sort()).toEqual(
      [
        'appspec.yml',
        'bin/again.sh',
        'bin/start.sh',
        `deep/${'n'.repeat(150)}`,
        'signet-release.json',
      ].sort(),
    );
    expect(summary.entries).toBe(8);
  });
});
