import { describe, expect, it } from 'vitest';
import { ChunkCoalescer } from '../../../core/verification/chunk-coalescer.ts';

function collector() {
  const blocks: number[][] = [];
  const coalescer = new ChunkCoalescer(4, (block) => {
    blocks.push([...block]);
    return undefined;
  });
  return { blocks, coalescer };
}

describe('ChunkCoalescer', () => {
  it.each([
    { label: 'small reads', reads: [[1], [2, 3], [4, 5], [6]], blocks: [[1, 2, 3, 4, 5], [6]] },
    { label: 'a large read alone', reads: [[1, 2, 3, 4, 5, 6]], blocks: [[1, 2, 3, 4, 5, 6]] },
    {
      label: 'a large read after a small one',
      reads: [[1], [2, 3, 4, 5]],
      blocks: [[1, 2, 3, 4, 5]],
    },
    { label: 'no reads', reads: [], blocks: [] },
  ])(
    'passes on every byte once, in order, in blocks of at least its size: $label',
    ({ reads, blocks: expected }) => {
      // Prepare
      const { blocks, coalescer } = collector();

      // Act
      for (const read of reads) coalescer.push(new Uint8Array(read));
      coalescer.flush();

      // Assess
      expect(blocks).toEqual(expected);
    },
  );

  it("returns the consumer's promise for a full block, so reading pauses", async () => {
    // Prepare
    const { promise: paused, resolve: release } = Promise.withResolvers<void>();
    const coalescer = new ChunkCoalescer(2, () => paused);

    // Act
    const small = coalescer.push(new Uint8Array([1]));
    const full = coalescer.push(new Uint8Array([2]));
    release();

    // Assess
    expect(small).toBeUndefined();
    expect(full).toBe(paused);
    await full;
  });
});
