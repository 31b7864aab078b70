import { ArtifactReadIncomplete } from '../errors.ts';
import { messageOf } from './messages.ts';

/** Receives each chunk in order; a returned promise pauses reading until it settles. */
export type ChunkConsumer = (chunk: Uint8Array) => Promise<void> | undefined;

/**
 * Reads the artifact once, to its end, and insists on exactly `expectedSize` bytes: a short
 * read must never pass as the hash of fewer bytes, and a stream longer than the object's length
 * is stopped as soon as it overruns. Any failure is ArtifactReadIncomplete (retryable).
 */
export async function readExactly(
  app: string,
  artifact: AsyncIterable<Uint8Array>,
  expectedSize: number,
  consume: ChunkConsumer,
): Promise<number> {
  const incomplete = (reason: string, bytesRead: number, cause?: unknown) =>
    new ArtifactReadIncomplete(`app ${app}: reading the artifact ${reason}`, {
      details: { app, expectedSize, bytesRead },
      ...(cause === undefined ? {} : { cause }),
    });
  if (!Number.isSafeInteger(expectedSize) || expectedSize < 0) {
    throw incomplete(`cannot be checked: its length ${expectedSize} is not a byte count`, 0);
  }
  let bytesRead = 0;
  try {
    for await (const chunk of artifact) {
      if (!(chunk instanceof Uint8Array)) {
        throw incomplete(
          'yielded text instead of bytes (a stream with an encoding set)',
          bytesRead,
        );
      }
      bytesRead += chunk.length;
      if (bytesRead > expectedSize) {
        throw incomplete(`gave more than the ${expectedSize} bytes the object has`, bytesRead);
      }
      await consume(chunk);
    }
  } catch (error) {
    if (error instanceof ArtifactReadIncomplete) throw error;
    throw incomplete(`failed after ${bytesRead} bytes: ${messageOf(error)}`, bytesRead, error);
  }
  if (bytesRead < expectedSize) {
    throw incomplete(`ended after ${bytesRead} of ${expectedSize} bytes`, bytesRead);
  }
  return bytesRead;
}
