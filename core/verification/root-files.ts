import type { TreeEntryKind } from './archive-tree.ts';
import { APPSPEC_FILE, RELEASE_METADATA_FILE, ROOT_FILE_MAX_BYTES } from './constants.ts';
import type { EntryDataSink } from './tar-entry.ts';

/** The root files verification reads while streaming; everything else is only scanned. */
export const CAPTURED_ROOT_FILES = [RELEASE_METADATA_FILE, APPSPEC_FILE] as const;
export type CapturedRootFile = (typeof CAPTURED_ROOT_FILES)[number];

/** A captured file's bytes, or why they were not kept. */
export type RootFileContent = { readonly bytes: Uint8Array } | { readonly problem: string };

/**
 * Keeps the bytes of `signet-release.json` and `appspec.yml` at the archive root, each at most
 * ROOT_FILE_MAX_BYTES; problems are recorded rather than thrown, since they rank below every
 * archive fault in the verdict.
 */
export class RootFiles {
  readonly #contents = new Map<CapturedRootFile, RootFileContent>();

  /** Returns a sink when the entry is one of the captured files and small enough to keep. */
  capture(path: string, kind: TreeEntryKind, size: number): EntryDataSink | undefined {
    const file = CAPTURED_ROOT_FILES.find((name) => name === path);
    if (file === undefined) return undefined;
    if (kind !== 'file') {
      this.#contents.set(file, { problem: `is a ${kind}, not a regular file` });
      return undefined;
    }
    if (size > ROOT_FILE_MAX_BYTES) {
      this.#contents.set(file, {
        problem: `is ${size} bytes, more than the ${ROOT_FILE_MAX_BYTES} allowed`,
      });
      return undefined;
    }
    const bytes = new Uint8Array(size);
    let filled = 0;
    return {
      write: (chunk) => {
        bytes.set(chunk, filled);
        filled += chunk.length;
      },
      end: () => {
        this.#contents.set(file, { bytes });
      },
    };
  }

  /** The file's content, or a problem ('is missing' when the archive has no such entry). */
  get(file: CapturedRootFile): RootFileContent {
    return this.#contents.get(file) ?? { problem: 'is missing from the archive root' };
  }
}
