import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ParsedTrustedKeys,
  parseTrustedKeys,
  type VerifyArtifactInput,
  verifyArtifactStream,
} from '../../../core/verification/index.ts';
import { GpgHome, type GpgKey } from '../../helpers/gpg.ts';
import { buildTar, gzip, tarEntry } from '../../helpers/tar-builder.ts';
import {
  APPSPEC_TEXT,
  chunksOf,
  expectError,
  gnuTarGz,
  metadataJson,
  rejectionOf,
  releaseRootEntries,
  releaseTree,
} from './fixtures.ts';

const limits = { maxEntries: 100, maxUnpackedBytes: 1 << 20, maxDepth: 8, maxPathLength: 256 };

describe('verifyArtifactStream', () => {
  let gpg: GpgHome;
  let key: GpgKey;
  let stranger: GpgKey;
  let trusted: ParsedTrustedKeys;
  let artifact: Uint8Array;
  let signature: Uint8Array;

  const sign = (bytes: Uint8Array, signer: GpgKey = key) =>
    gpg.detachSignBytes(bytes, { signer: signer.fingerprint });
  const verify = (overrides: Partial<VerifyArtifactInput> & { bytes?: Uint8Array } = {}) => {
    const bytes = overrides.bytes ?? artifact;
    return verifyArtifactStream({
      app: 'web',
      artifact: chunksOf(bytes),
      expectedSize: bytes.length,
      signature,
      trustedKeys: trusted,
      ...overrides,
    });
  };

  beforeAll(async () => {
    gpg = await GpgHome.create();
    key = await gpg.generateKey({ userId: 'CI <ci@example.test>', algorithm: 'ed25519' });
    stranger = await gpg.generateKey({ userId: 'Eve <eve@example.test>', algorithm: 'ed25519' });
    trusted = await parseTrustedKeys('web', [
      { label: 'ci', armoredPublicKey: await gpg.exportPublicKey(key.fingerprint) },
    ]);
    artifact = await gnuTarGz(releaseTree({ 'public/index.html': '<h1>hi</h1>\n' }));
    signature = await sign(artifact);
  });

  afterAll(async () => {
    await gpg.dispose();
  });

  it('returns the digest, signer, metadata, appspec text and archive summary', async () => {
    // Prepare: a Node Readable from a file, as close to S3's Body as a test gets
    const path = join(gpg.dir, 'release.tar.gz');
    await writeFile(path, artifact);

    // Act
    const verified = await verify({ artifact: createReadStream(path, { highWaterMark: 16384 }) });

    // Assess
    expect(verified).toMatchObject({
      size: artifact.length,
      signer: { label: 'ci', fingerprint: key.fingerprint },
      metadata: { app: 'web', version: '1.4.0', createdAt: '2026-12-04T16:00:00Z' },
      appspecText: APPSPEC_TEXT,
      archive: { entries: 7 },
    });
    expect(verified.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect([...verified.archive.regularFiles].sort()).toEqual([
      'appspec.yml',
      'bin/start.sh',
      'public/index.html',
      'signet-release.json',
    ]);
    expect(verified.archive.unpackedBytes % 512).toBe(0);
  });

  describe('reading', () => {
    it.each([
      ['a short read', (n: number) => n + 10, 'ended after'],
      ['a long read', (n: number) => n - 10, 'gave more than the'],
      ['an expected size that is not a number', () => Number.NaN, 'is not a byte count'],
      ['a negative expected size', () => -1, 'is not a byte count'],
    ])('refuses %s as ArtifactReadIncomplete', async (_label, expectedSize, fragment) => {
      // Act
      const error = await rejectionOf(verify({ expectedSize: expectedSize(artifact.length) }));

      // Assess
      expectError(error, 'ArtifactReadIncomplete', 'app web: reading the artifact', fragment);
    });

    it('refuses an empty read of a non-empty object, never hashing nothing', async () => {
      // Act
      const error = await rejectionOf(verify({ artifact: chunksOf(new Uint8Array()) }));

      // Assess
      expectError(error, 'ArtifactReadIncomplete', `ended after 0 of ${artifact.length} bytes`);
    });

    it('stops reading an endless stream once it passes the expected size', async () => {
      // Prepare
      let pulled = 0;
      async function* endless() {
        for (;;) {
          pulled += 1;
          yield new Uint8Array(1024);
        }
      }

      // Act
      const error = await rejectionOf(verify({ artifact: endless(), expectedSize: 10 * 1024 }));

      // Assess
      expectError(error, 'ArtifactReadIncomplete', 'gave more than the 10240 bytes');
      expect(pulled).toBe(11);
    });

    it.each([
      [
        'an async generator that throws',
        (bytes: Uint8Array) =>
          (async function* () {
            yield bytes.subarray(0, 100);
            throw new Error('socket hang up');
          })(),
      ],
      [
        'a Node Readable destroyed with an error',
        (bytes: Uint8Array) => {
          const stream = new Readable({ read() {} });
          stream.push(bytes.subarray(0, 100));
          setTimeout(() => stream.destroy(new Error('socket hang up')), 10);
          return stream;
        },
      ],
    ])('refuses a stream error midway (%s) as ArtifactReadIncomplete', async (_label, source) => {
      // Act
      const error = await rejectionOf(verify({ artifact: source(artifact) }));

      // Assess
      expectError(error, 'ArtifactReadIncomplete', 'failed after 100 bytes: socket hang up');
      expect((error as Error).cause).toMatchObject({ message: 'socket hang up' });
    });

    it('refuses a stream that yields text as ArtifactReadIncomplete', async () => {
      // Prepare
      const stream = Readable.from([Buffer.from(artifact)]).setEncoding('latin1');

      // Act
      const error = await rejectionOf(verify({ artifact: stream }));

      // Assess
      expectError(error, 'ArtifactReadIncomplete', 'yielded text');
    });

    it('refuses a signed empty artifact as ArchiveInvalid', async () => {
      // Prepare
      const empty = new Uint8Array();

      // Act
      const error = await rejectionOf(verify({ bytes: empty, signature: await sign(empty) }));

      // Assess
      expectError(error, 'ArchiveInvalid', 'not a valid gzip stream');
    });
  });

  describe('verdict order', () => {
    const hostile = () =>
      gzip(buildTar([...releaseRootEntries(), tarEntry({ name: '../../etc/cron.d/x' })]));

    it.each([
      [
        'a short read over a malformed signature',
        async () => ({ expectedSize: artifact.length + 1, signature: new Uint8Array([1, 2]) }),
        'ArtifactReadIncomplete',
      ],
      [
        'a short read over an invalid signature',
        async () => ({
          bytes: hostile(),
          expectedSize: hostile().length + 1,
        }),
        'ArtifactReadIncomplete',
      ],
      [
        'a malformed signature over an unsafe archive',
        async () => ({ bytes: hostile(), signature: new Uint8Array() }),
        'SignatureMalformed',
      ],
      [
        'a tampered artifact that is also unsafe',
        async () => ({ bytes: hostile() }),
        'SignatureInvalid',
      ],
      [
        'an untrusted signer over a broken archive',
        async () => {
          const broken = new TextEncoder().encode('not gzip');
          return { bytes: broken, signature: await sign(broken, stranger) };
        },
        'SignerNotTrusted',
      ],
      [
        'an unsafe entry in an archive without metadata',
        async () => {
          const bytes = gzip(buildTar([tarEntry({ name: '/abs' })]));
          return { bytes, signature: await sign(bytes) };
        },
        'UnsafeArchiveEntry',
      ],
      [
        'an inflation past the cap in an archive without metadata',
        async () => {
          const bytes = gzip(buildTar([tarEntry({ name: 'big', data: 'z'.repeat(4096) })]));
          return {
            bytes,
            signature: await sign(bytes),
            limits: { ...limits, maxUnpackedBytes: 2048 },
          };
        },
        'ArtifactTooLarge',
      ],
      [
        'missing metadata and a missing appspec',
        async () => {
          const bytes = gzip(buildTar([tarEntry({ name: 'only.txt' })]));
          return { bytes, signature: await sign(bytes) };
        },
        'ReleaseMetadataInvalid',
      ],
    ])('reports %s as %s', async (_label, input, errorName) => {
      // Act
      const error = await rejectionOf(verify(await input()));

      // Assess
      expectError(error, errorName);
    });
  });

  describe('root files', () => {
    it.each([
      [
        'a missing signet-release.json',
        [tarEntry({ name: 'appspec.yml', data: APPSPEC_TEXT })],
        'ReleaseMetadataInvalid',
        'signet-release.json is missing from the archive root',
      ],
      [
        'a signet-release.json below the root only',
        [
          tarEntry({ name: 'sub/signet-release.json', data: metadataJson() }),
          tarEntry({ name: 'appspec.yml', data: APPSPEC_TEXT }),
        ],
        'ReleaseMetadataInvalid',
        'is missing from the archive root',
      ],
      [
        'a symlinked signet-release.json',
        [
          tarEntry({ name: 'real.json', data: metadataJson() }),
          tarEntry({ name: 'signet-release.json', type: 'symlink', linkName: 'real.json' }),
          tarEntry({ name: 'appspec.yml', data: APPSPEC_TEXT }),
        ],
        'ReleaseMetadataInvalid',
        'is a symlink, not a regular file',
      ],
      [
        'a signet-release.json over 64 KiB',
        [
          tarEntry({
            name: 'signet-release.json',
            data: metadataJson('web', '1.4.0', { pad: 'x'.repeat(70_000) }),
          }),
          tarEntry({ name: 'appspec.yml', data: APPSPEC_TEXT }),
        ],
        'ReleaseMetadataInvalid',
        'more than the 65536 allowed',
      ],
      [
        'a missing appspec.yml',
        [tarEntry({ name: 'signet-release.json', data: metadataJson() })],
        'AppSpecInvalid',
        'app web: appspec.yml is missing from the archive root',
      ],
      [
        'an appspec.yml over 64 KiB',
        [
          tarEntry({ name: 'signet-release.json', data: metadataJson() }),
          tarEntry({ name: 'appspec.yml', data: `# ${'x'.repeat(70_000)}\n` }),
        ],
        'AppSpecInvalid',
        'appspec.yml is 70003 bytes, more than the 65536 allowed',
      ],
      [
        'an appspec.yml that is not UTF-8',
        [
          tarEntry({ name: 'signet-release.json', data: metadataJson() }),
          tarEntry({ name: 'appspec.yml', data: new Uint8Array([0x76, 0xff, 0x0a]) }),
        ],
        'AppSpecInvalid',
        'is not valid UTF-8',
      ],
    ])('refuses %s', async (_label, parts, errorName, fragment) => {
      // Prepare
      const bytes = gzip(buildTar(parts));

      // Act
      const error = await rejectionOf(verify({ bytes, signature: await sign(bytes) }));

      // Assess
      expectError(error, errorName, fragment);
    });

    it('reads root files written as ./name, as tar -C dir . writes them', async () => {
      // Prepare
      const bytes = gzip(
        buildTar([
          tarEntry({ name: './', type: 'directory' }),
          tarEntry({ name: './signet-release.json', data: metadataJson('api', '2.0.0-rc.1') }),
          tarEntry({ name: './appspec.yml', data: APPSPEC_TEXT }),
        ]),
      );

      // Act
      const verified = await verify({ bytes, signature: await sign(bytes) });

      // Assess
      expect(verified.metadata).toEqual({
        app: 'api',
        version: '2.0.0-rc.1',
        createdAt: '2026-12-04T16:00:00Z',
      });
    });
  });
});
