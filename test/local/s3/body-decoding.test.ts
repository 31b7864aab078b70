import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder } from '../../../local/s3/body/aws-chunked.ts';
import { type ChecksumAlgorithm, createChecksumHasher } from '../../../local/s3/body/checksums.ts';

const CHECK_INPUT = Buffer.from('123456789');

describe('checksums', () => {
  it.each([
    // The standard check values of each CRC ("123456789"), and the digests of the same input.
    { algorithm: 'CRC32', hex: 'cbf43926' },
    { algorithm: 'CRC32C', hex: 'e3069283' },
    { algorithm: 'CRC64NVME', hex: 'ae8b14860a799888' },
    { algorithm: 'SHA1', hex: 'f7c3bc1d808e04732adf679965ccc34ca7ae3441' },
    {
      algorithm: 'SHA256',
      hex: '15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225',
    },
  ] as const)('computes $algorithm of the check input', ({ algorithm, hex }) => {
    // Act
    const hasher = createChecksumHasher(algorithm);
    hasher.update(CHECK_INPUT);

    // Assess
    expect(hasher.digest().toString('hex')).toBe(hex);
  });

  it.each(['CRC32', 'CRC32C', 'CRC64NVME'] as ChecksumAlgorithm[])(
    'gives the same %s when the input arrives in pieces',
    (algorithm) => {
      // Prepare
      const data = Buffer.from('the quick brown fox jumps over the lazy dog, twice over');
      const whole = createChecksumHasher(algorithm);
      whole.update(data);
      const pieces = createChecksumHasher(algorithm);

      // Act
      for (let offset = 0; offset < data.length; offset += 7) {
        pieces.update(data.subarray(offset, offset + 7));
      }

      // Assess
      expect(pieces.digest()).toEqual(whole.digest());
    },
  );
});

function crc32Base64(data: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data), 0);
  return out.toString('base64');
}

/** Frames data as aws-chunked, as the SDKs do. */
function frame(
  data: Buffer,
  options: { chunkSize: number; signed?: boolean; trailer?: string; finalCrlf?: boolean },
): Buffer {
  const extension = options.signed ? `;chunk-signature=${'ab'.repeat(32)}` : '';
  const parts: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += options.chunkSize) {
    const chunk = data.subarray(offset, offset + options.chunkSize);
    parts.push(
      Buffer.from(`${chunk.length.toString(16)}${extension}\r\n`),
      chunk,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`0${extension}\r\n`));
  if (options.trailer) parts.push(Buffer.from(`${options.trailer}\r\n`));
  if (options.finalCrlf ?? true) parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

async function decode(framed: Buffer, pieceSize: number) {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < framed.length; offset += pieceSize) {
    pieces.push(framed.subarray(offset, offset + pieceSize));
  }
  const decoder = new AwsChunkedDecoder();
  const output: Buffer[] = [];
  for await (const chunk of Readable.from(pieces).pipe(decoder)) output.push(chunk as Buffer);
  return { data: Buffer.concat(output), decoder };
}

describe('AwsChunkedDecoder', () => {
  const data = Buffer.from(Array.from({ length: 70_000 }, (_, index) => index % 251));
  const trailer = `x-amz-checksum-crc32:${crc32Base64(data)}`;

  it.each([
    { label: 'unsigned payload with trailer', options: { chunkSize: 65_536, trailer } },
    { label: 'signed chunks', options: { chunkSize: 8_192, signed: true } },
    {
      label: 'signed chunks with signed trailer',
      options: {
        chunkSize: 8_192,
        signed: true,
        trailer: `${trailer}\r\nx-amz-trailer-signature:${'cd'.repeat(32)}`,
      },
    },
    {
      label: 'trailer without the closing empty line',
      options: { chunkSize: 1_000, trailer, finalCrlf: false },
    },
  ])('decodes $label, whatever the read sizes', async ({ options }) => {
    for (const pieceSize of [1, 3, 4096, 1 << 20]) {
      // Act
      const { data: decoded, decoder } = await decode(frame(data, options), pieceSize);

      // Assess
      expect(decoded.equals(data)).toBe(true);
      expect(decoder.decodedLength).toBe(data.length);
      if (options.trailer) {
        expect(decoder.trailers.get('x-amz-checksum-crc32')).toBe(crc32Base64(data));
      }
    }
  });

  it.each([
    {
      label: 'a body cut inside a chunk',
      framed: () => frame(data, { chunkSize: 1000 }).subarray(0, 500),
    },
    { label: 'a chunk size that is not hex', framed: () => Buffer.from('zz\r\nabc\r\n0\r\n\r\n') },
    {
      label: 'data longer than its chunk size',
      framed: () => Buffer.from('2\r\nabc\r\n0\r\n\r\n'),
    },
    { label: 'a body without the final chunk', framed: () => Buffer.from('3\r\nabc\r\n') },
  ])('refuses $label as IncompleteBody', async ({ framed }) => {
    await expect(decode(framed(), 64)).rejects.toMatchObject({ code: 'IncompleteBody' });
  });
});
