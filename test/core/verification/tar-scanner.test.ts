import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { EntryDataSink, TarEntry } from '../../../core/verification/tar-entry.ts';
import { TarScanner } from '../../../core/verification/tar-scanner.ts';
import {
  buildTar,
  concat,
  gnuLongName,
  gzip,
  paxHeader,
  paxRecord,
  tarEntry,
  tarHeader,
  withChecksum,
} from '../../helpers/tar-builder.ts';
import { expectError, gnuTarGz, releaseRootEntries, releaseTree, scanArchive } from './fixtures.ts';

const run = promisify(execFile);

/** Scans raw tar bytes fed in `chunkSize` pieces; returns the entries and their data. */
function scanTar(tar: Uint8Array, chunkSize: number): { entries: TarEntry[]; data: string[] } {
  const entries: TarEntry[] = [];
  const data: string[] = [];
  const scanner = new TarScanner(
    'web',
    {
      entry(entry): EntryDataSink {
        entries.push(entry);
        const parts: Uint8Array[] = [];
        return {
          write: (chunk) => parts.push(chunk.slice()),
          end: () => data.push(Buffer.concat(parts).toString('latin1')),
        };
      },
    },
    4096,
  );
  for (let offset = 0; offset < tar.length; offset += chunkSize) {
    scanner.write(tar.subarray(offset, offset + chunkSize));
  }
  scanner.finish();
  return { entries, data };
}

const mixedTar = buildTar([
  tarEntry({ name: 'a.txt', data: 'first\r\n\u00ff' }),
  paxHeader({ path: `pax/${'p'.repeat(120)}`, size: '5', mtime: '1700000000.5' }),
  tarEntry({ name: 'short-name', data: 'sized', size: 0 }),
  gnuLongName(`gnu/${'g'.repeat(200)}`),
  gnuLongName(`target/${'t'.repeat(200)}`, 'link'),
  tarEntry({ name: 'ignored', type: 'symlink' }),
  tarEntry({ name: 'big', data: 'x'.repeat(700), sizeEncoding: 'base256' }),
  tarEntry({ name: 'name', prefix: 'ustar/prefix', format: 'ustar', data: '' }),
]);

describe('TarScanner', () => {
  it.each([1, 7, 511, 512, 513, 4096])(
    'reads the same entries and data when fed %i bytes at a time',
    (chunkSize) => {
      // Act
      const { entries, data } = scanTar(mixedTar, chunkSize);

      // Assess
      expect(entries.map(({ name, linkTarget, size }) => ({ name, linkTarget, size }))).toEqual([
        { name: 'a.txt', linkTarget: '', size: 9 },
        { name: `pax/${'p'.repeat(120)}`, linkTarget: '', size: 5 },
        { name: `gnu/${'g'.repeat(200)}`, linkTarget: `target/${'t'.repeat(200)}`, size: 0 },
        { name: 'big', linkTarget: '', size: 700 },
        { name: 'ustar/prefix/name', linkTarget: '', size: 0 },
      ]);
      expect(data).toEqual(['first\r\n\u00c3\u00bf', 'sized', '', 'x'.repeat(700), '']);
    },
  );

  // Each name is too long for the 100-byte name field, so each format stores it its own way:
  // a GNU long-name header, a pax 'path' record, or the ustar prefix field.
  const longName = `node_modules/${'deep/'.repeat(12)}${'long-name-'.repeat(12)}.js`;
  const prefixedName = `node_modules/${'deep/'.repeat(12)}${'long-name-'.repeat(6)}.js`;

  it.each([
    ['GNU format (default)', [], longName],
    ['POSIX pax format', ['--format=posix'], longName],
    ['ustar format', ['--format=ustar'], prefixedName],
    ['old GNU format', ['--format=oldgnu'], longName],
  ])('accepts a release archived by GNU tar in %s', async (_label, tarArgs, path) => {
    // Prepare
    const tree = releaseTree({ [path]: 'module.exports = 1;\n', current: { symlink: 'bin' } });
    const artifact = await gnuTarGz(tree, tarArgs);

    // Act
    const { fault, summary, rootFiles } = await scanArchive(artifact);

    // Assess
    expect(fault).toBeNull();
    expect(summary.regularFiles).toContain('bin/start.sh');
    expect(summary.regularFiles).toContain(path);
    expect(summary.regularFiles).not.toContain('current');
    expect(rootFiles.get('appspec.yml')).toHaveProperty('bytes');
  });
  it('accepts a release made by git archive, with its pax global header', async () => {
    // Prepare
    const repo = await mkdtemp(join(tmpdir(), 'signet-git-'));
    try {
      for (const [path, content] of Object.entries(releaseTree())) {
        await mkdir(dirname(join(repo, path)), { recursive: true });
        await writeFile(join(repo, path), String(content));
      }
      const git = (...args: string[]) =>
        run('git', ['-c', 'user.name=CI', '-c', 'user.email=ci@example.test', ...args], {
          cwd: repo,
          encoding: 'buffer',
        });
      await git('init', '-q');
      await git('add', '.');
      await git('commit', '-q', '-m', 'release');
      const { stdout } = await git('archive', '--format=tar.gz', 'HEAD');

      // Act
      const { fault, summary } = await scanArchive(new Uint8Array(stdout));

      // Assess
      expect(fault).toBeNull();
      expect(summary.regularFiles).toContain('bin/start.sh');
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});

describe('tar format faults', () => {
  const good = releaseRootEntries();
  const zeroBlock = new Uint8Array(512);

  it.each([
    ['a header with a wrong checksum', [tarEntry({ name: 'a', checksumError: 1 })], 'checksum'],
    [
      'a header with unknown magic',
      [withChecksum(tarHeader({ name: 'a' }).fill(0x41, 257, 265))],
      'magic',
    ],
    [
      'a non-octal size',
      [withChecksum(tarHeader({ name: 'a' }).fill(0x39, 124, 135))],
      'not octal',
    ],
    [
      'a negative base-256 size',
      [withChecksum(tarHeader({ name: 'a' }).fill(0xff, 124, 136))],
      'negative',
    ],
    ['a lone zero block in the middle', [zeroBlock, tarEntry({ name: 'a' })], 'lone zero'],
    ['a symlink with data', [tarEntry({ name: 's', type: 'symlink', data: 'x' })], 'data'],
    ['a directory with data', [tarEntry({ name: 'd/', type: 'directory', data: 'x' })], 'data'],
    [
      'both a pax path and a GNU long name',
      [paxHeader({ path: 'p' }), gnuLongName('g'), tarEntry({ name: 'n' })],
      'both a pax and a GNU long name',
    ],
    [
      'two pax headers for one entry',
      [paxHeader({ path: 'p' }), paxHeader({ path: 'q' }), tarEntry({ name: 'n' })],
      'repeats or interrupts',
    ],
    [
      'a pax key given twice',
      [tarEntry({ name: 'x', typeflag: 'x', data: paxRecord('a', 'b') + paxRecord('a', 'c') })],
      'twice',
    ],
    [
      'a pax record without a length',
      [tarEntry({ name: 'x', typeflag: 'x', data: 'a=b\n' })],
      'length',
    ],
    [
      'a pax record that overruns',
      [tarEntry({ name: 'x', typeflag: 'x', data: '99 a=b\n' })],
      'overruns',
    ],
    ['an invalid pax size', [paxHeader({ size: '-1' }), tarEntry({ name: 'n' })], 'pax size'],
    // GNU tar fails the whole listing on these, so every host would refuse the archive.
    [
      'a pax mtime that is not a number',
      [paxHeader({ mtime: 'soon' }), tarEntry({ name: 'n' })],
      'mtime "soon" is no time',
    ],
    [
      'a pax atime with a plus sign',
      [paxHeader({ atime: '+5' }), tarEntry({ name: 'n' })],
      'atime',
    ],
    [
      'a pax uid past the uid_t range',
      [paxHeader({ uid: '4294967296' }), tarEntry({ name: 'n' })],
      'uid "4294967296" is no id from 0 to 4294967295',
    ],
    ['a negative pax gid', [paxHeader({ gid: '-1' }), tarEntry({ name: 'n' })], 'gid "-1"'],
    [
      'a pax multi-volume record',
      [paxHeader({ 'GNU.volume.offset': '0' }), tarEntry({ name: 'n' })],
      'GNU.volume.offset belongs to a multi-volume archive',
    ],
    [
      'a header uid that is not octal',
      [withChecksum(tarHeader({ name: 'a' }).fill(0x7a, 108, 111))],
      'header uid field',
    ],
    [
      'a header mtime that is not octal',
      [withChecksum(tarHeader({ name: 'a' }).fill(0x7a, 136, 140))],
      'header mtime field',
    ],
    [
      'a base-256 header gid past the gid_t range',
      [withChecksum(tarHeader({ name: 'a' }).fill(0x80, 116, 117).fill(0x01, 117, 124))],
      'header gid 282578800148737 is out of range',
    ],
  ])('refuses %s as ArchiveInvalid', async (_label, parts, fragment) => {
    // Prepare
    const artifact = gzip(buildTar([...good, ...parts]));

    // Act
    const { fault } = await scanArchive(artifact);

    // Assess
    expectError(fault, 'ArchiveInvalid', 'app web:', fragment);
  });

  it.each([
    ['a tar without an end-of-archive marker', buildTar(good, { end: false }), 'truncated'],
    ['a tar cut inside an entry', buildTar(good, { end: false }).subarray(0, 700), 'truncated'],
    ['a tar cut inside a header', buildTar(good, { end: false }).subarray(0, 100), 'truncated'],
    ['a tar ending after one zero block', concat([...good, zeroBlock]), 'lone zero block'],
    ['an extended header with no entry', buildTar([...good, paxHeader({ path: 'a' })]), 'no entry'],
    [
      'data after the end-of-archive marker',
      buildTar(good, { trailing: concat([new Uint8Array(3000), tarEntry({ name: 'hidden' })]) }),
      'follows the end-of-archive marker (at byte 6072)',
    ],
    ['an empty tar stream', new Uint8Array(), 'truncated'],
  ])('refuses %s as ArchiveInvalid', async (_label, tar, fragment) => {
    // Act
    const { fault } = await scanArchive(gzip(tar));

    // Assess
    expectError(fault, 'ArchiveInvalid', fragment);
  });

  it.each([
    ['pax times with fractions, negative and large', { mtime: '1700000000.5', atime: '-5' }],
    ['the largest pax uid and a zero-padded gid', { uid: '4294967295', gid: '007' }],
  ])('accepts %s, as GNU tar reads them', async (_label, records) => {
    // Prepare
    const artifact = gzip(buildTar([...good, paxHeader(records), tarEntry({ name: 'n' })]));

    // Act
    const { fault } = await scanArchive(artifact);

    // Assess
    expect(fault).toBeNull();
  });

  it.each([
    ['uid and gid fields of NULs', [108, 124, 0x00]],
    ['an mtime field of NULs', [136, 148, 0x00]],
    ['a negative base-256 mtime', [136, 148, 0xff]],
  ] as const)('accepts a header with %s, as GNU tar does', async (_label, [from, to, byte]) => {
    // Prepare
    const header = withChecksum(tarHeader({ name: 'a' }).fill(byte, from, to));
    const artifact = gzip(buildTar([...good, header]));

    // Act
    const { fault } = await scanArchive(artifact);

    // Assess
    expect(fault).toBeNull();
  });

  it('accepts zero padding after the end-of-archive marker, as GNU tar writes to 10 KiB', async () => {
    // Prepare
    const artifact = gzip(buildTar(good, { trailing: new Uint8Array(9 * 1024) }));

    // Act
    const { fault } = await scanArchive(artifact);

    // Assess
    expect(fault).toBeNull();
  });

  it.each([
    ['plain text', new TextEncoder().encode('this is not gzip at all'), 'not a valid gzip stream'],
    ['an empty artifact', new Uint8Array(), 'not a valid gzip stream'],
    ['a truncated gzip stream', gzip(buildTar(good)).subarray(0, 60), 'unexpected end of file'],
    [
      'a gzip stream with a corrupt body',
      (() => {
        const bytes = gzip(buildTar([...good, tarEntry({ name: 'r', data: 'q'.repeat(5000) })]));
        bytes[40] = (bytes[40] ?? 0) ^ 0xff;
        return bytes;
      })(),
      'not a valid gzip stream',
    ],
    [
      'garbage after the gzip stream',
      concat([gzip(buildTar(good)), new TextEncoder().encode('trailing garbage')]),
      'not a valid gzip stream',
    ],
  ])('refuses %s as ArchiveInvalid', async (_label, artifact, fragment) => {
    // Act
    const { fault } = await scanArchive(artifact);

    // Assess
    expectError(fault, 'ArchiveInvalid', fragment);
  });

  it('reads a multi-member gzip stream as one tar stream, as gzip -d does', async () => {
    // Prepare
    const tar = buildTar(good);
    const artifact = concat([gzip(tar.subarray(0, 1024)), gzip(tar.subarray(1024))]);

    // Act
    const { fault } = await scanArchive(artifact);

    // Assess
    expect(fault).toBeNull();
  });
});
