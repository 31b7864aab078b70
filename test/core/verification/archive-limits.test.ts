import { describe, expect, it } from 'vitest';
import { buildTar, gnuLongName, gzip, paxHeader, tarEntry } from '../../helpers/tar-builder.ts';
import { expectError, releaseRootEntries, scanArchive } from './fixtures.ts';

const files = (count: number, size = 1) =>
  Array.from({ length: count }, (_, index) =>
    tarEntry({ name: `f${index}`, data: 'x'.repeat(size) }),
  );

describe('archive limits', () => {
  it.each([
    [
      'more entries than maxEntries',
      { maxEntries: 5 },
      files(4),
      '"f3" is entry 6, past the cap of 5',
    ],
    [
      'a name deeper than maxDepth',
      { maxDepth: 3 },
      [tarEntry({ name: 'a/b/c/d' })],
      '"a/b/c/d" is 4 levels deep, past the cap of 3',
    ],
    [
      'a name longer than maxPathLength',
      { maxPathLength: 64 },
      [paxHeader({ path: 'n'.repeat(65) }), tarEntry({ name: 'short' })],
      'is 65 bytes long, past the cap of 64',
    ],
    [
      'a GNU long name header larger than maxPathLength',
      { maxPathLength: 64 },
      [gnuLongName('n'.repeat(500)), tarEntry({ name: 'short' })],
      '"././@LongLink" is a GNU long name of 501 bytes, more than 65',
    ],
    [
      'a symlink target longer than maxPathLength',
      { maxPathLength: 64 },
      [paxHeader({ linkpath: 't'.repeat(65) }), tarEntry({ name: 'l', type: 'symlink' })],
      'is 65 bytes long',
    ],
    [
      'a name component of 256 bytes',
      {},
      [paxHeader({ path: `docs/${'n'.repeat(256)}` }), tarEntry({ name: 'short' })],
      'has a path component of 256 bytes, past the cap of 255',
    ],
    [
      'a name component of 256 bytes in 2-byte characters',
      {},
      [paxHeader({ path: '\u00e9'.repeat(128) }), tarEntry({ name: 'short' })],
      'has a path component of 256 bytes',
    ],
    [
      'a symlink target with a 256-byte component',
      {},
      [paxHeader({ linkpath: 't'.repeat(256) }), tarEntry({ name: 'l', type: 'symlink' })],
      'has a path component of 256 bytes',
    ],
    [
      'a 4096-byte name, whatever maxPathLength allows',
      { maxPathLength: 8192 },
      [
        paxHeader({ path: `${'d'.repeat(200)}/`.repeat(20).concat('f'.repeat(76)) }),
        tarEntry({ name: 's' }),
      ],
      'is 4096 bytes long, past the cap of 4095',
    ],
    [
      "a 4096-byte name counting its './'",
      {},
      [
        paxHeader({ path: `./${`${'d'.repeat(200)}/`.repeat(20)}${'f'.repeat(74)}` }),
        tarEntry({ name: 's' }),
      ],
      'is 4096 bytes long, past the cap of 4095',
    ],
  ])('refuses %s as UnsafeArchiveEntry', async (_label, limits, parts, fragment) => {
    // Prepare
    const artifact = gzip(buildTar([...releaseRootEntries(), ...parts]));

    // Act
    const { fault } = await scanArchive(artifact, limits);

    // Assess
    expectError(fault, 'UnsafeArchiveEntry', fragment);
  });

  it.each([
    ['a 255-byte name component', `docs/${'n'.repeat(255)}`],
    ['a 255-byte component of 3-byte characters', '\u65e5'.repeat(85)],
    ['a 4095-byte name', `${`${'d'.repeat(200)}/`.repeat(20)}${'f'.repeat(75)}`],
  ])('accepts %s', async (_label, path) => {
    // Prepare
    const parts = [paxHeader({ path }), tarEntry({ name: 'short' })];
    const artifact = gzip(buildTar([...releaseRootEntries(), ...parts]));

    // Act
    const { fault, summary } = await scanArchive(artifact);

    // Assess
    expect(fault).toBeNull();
    expect(summary.regularFiles).toContain(path);
  });

  it('accepts exactly maxEntries entries', async () => {
    // Prepare
    const artifact = gzip(buildTar([...releaseRootEntries(), ...files(3)]));

    // Act
    const { fault, summary } = await scanArchive(artifact, { maxEntries: 5 });

    // Assess
    expect(fault).toBeNull();
    expect(summary.entries).toBe(5);
  });

  it('refuses a header declaring more than maxUnpackedBytes before inflating its data', async () => {
    // Prepare: the header claims 10 GiB, the data is not even there
    const huge = tarEntry({ name: 'huge', size: 10 * 1024 ** 3, sizeEncoding: 'base256' });
    const artifact = gzip(buildTar([...releaseRootEntries(), huge], { end: false }));

    // Act
    const { fault } = await scanArchive(artifact, { maxUnpackedBytes: 1024 * 1024 });

    // Assess
    expectError(
      fault,
      'ArtifactTooLarge',
      '"huge" takes the unpacked size past the cap of 1048576',
    );
  });

  it('refuses files whose sizes add up past maxUnpackedBytes', async () => {
    // Prepare
    const artifact = gzip(buildTar([...releaseRootEntries(), ...files(8, 200 * 1024)]));

    // Act
    const { fault } = await scanArchive(artifact, { maxUnpackedBytes: 1024 * 1024 });

    // Assess
    expectError(fault, 'ArtifactTooLarge', '"f5"');
  });

  it('stops inflating a bomb at the cap: 64 MiB of zeros after the end marker', async () => {
    // Prepare: ~64 KiB of gzip that inflates to 64 MiB
    const cap = 1024 * 1024;
    const artifact = gzip(buildTar(releaseRootEntries(), { trailing: new Uint8Array(64 << 20) }));

    // Act
    const { fault, summary } = await scanArchive(artifact, { maxUnpackedBytes: cap });

    // Assess
    expectError(fault, 'ArtifactTooLarge', 'inflates past the cap of 1048576 bytes');
    expect(summary.unpackedBytes).toBeLessThanOrEqual(cap + 64 * 1024);
  });
});
