/**
 * Table-driven CRC-32C and CRC-64/NVME, the two checksums S3 accepts that node:zlib does not
 * provide. Both are the reflected forms S3 uses (init all ones, final xor all ones).
 */

const CRC32C_POLYNOMIAL = 0x82f63b78;

const crc32cTable = (() => {
  const table = new Uint32Array(256);
  for (let index = 0; index < 256; index += 1) {
    let crc = index;
    for (let bit = 0; bit < 8; bit += 1) {
      crc = crc & 1 ? (crc >>> 1) ^ CRC32C_POLYNOMIAL : crc >>> 1;
    }
    table[index] = crc >>> 0;
  }
  return table;
})();

/** Running CRC-32C: pass the previous return value (0 to start). */
export function crc32c(data: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (let index = 0; index < data.length; index += 1) {
    crc = (crc32cTable[(crc ^ (data[index] as number)) & 0xff] as number) ^ (crc >>> 8);
  }
  return ~crc >>> 0;
}

// The reflected CRC-64/NVME polynomial 0x9A6C9329AC4BC9B5, kept as two 32-bit halves because
// per-byte BigInt arithmetic is about twenty times slower.
const CRC64_POLY_HIGH = 0x9a6c9329;
const CRC64_POLY_LOW = 0xac4bc9b5;

const [crc64High, crc64Low] = (() => {
  const high = new Uint32Array(256);
  const low = new Uint32Array(256);
  for (let index = 0; index < 256; index += 1) {
    let crcHigh = 0;
    let crcLow = index;
    for (let bit = 0; bit < 8; bit += 1) {
      const carry = crcLow & 1;
      crcLow = ((crcLow >>> 1) | ((crcHigh & 1) << 31)) >>> 0;
      crcHigh = crcHigh >>> 1;
      if (carry) {
        crcHigh = (crcHigh ^ CRC64_POLY_HIGH) >>> 0;
        crcLow = (crcLow ^ CRC64_POLY_LOW) >>> 0;
      }
    }
    high[index] = crcHigh;
    low[index] = crcLow;
  }
  return [high, low];
})();

/** Running CRC-64/NVME state; `digest` gives the 8 big-endian bytes S3 base64-encodes. */
export class Crc64Nvme {
  #high = 0xffffffff;
  #low = 0xffffffff;

  update(data: Uint8Array): void {
    let high = this.#high;
    let low = this.#low;
    for (let index = 0; index < data.length; index += 1) {
      const slot = (low ^ (data[index] as number)) & 0xff;
      low = ((crc64Low[slot] as number) ^ ((low >>> 8) | (high << 24))) >>> 0;
      high = ((crc64High[slot] as number) ^ (high >>> 8)) >>> 0;
    }
    this.#high = high;
    this.#low = low;
  }

  digest(): Buffer {
    const out = Buffer.alloc(8);
    out.writeUInt32BE(~this.#high >>> 0, 0);
    out.writeUInt32BE(~this.#low >>> 0, 4);
    return out;
  }
}
