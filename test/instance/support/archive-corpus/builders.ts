/**
 * How the parity corpus makes its archives: by hand with the tar builder (hostile entries, names
 * no file system holds) or with GNU tar from a real tree (what a person releasing would make).
 * Every archive also holds the release's root files, so an accepted one would pass verification
 * as a whole, not only its archive scan.
 */
import {
  gnuTarGz,
  releaseRootEntries,
  releaseTree,
  type TreeSpec,
} from '../../../core/verification/fixtures.ts';
import {
  buildTar,
  gnuLongName,
  gzip,
  type TarEntrySpec,
  tarEntry,
  tarHeader,
  withChecksum,
} from '../../../helpers/tar-builder.ts';

/** What both judges must say; the last is for what the host's listing cannot see at all. */
export type Expected = 'accepted' | 'refused' | 'refused by verification only';

export interface CorpusCase {
  readonly label: string;
  readonly expected: Expected;
  /** The gzip'd archive. */
  readonly artifact: () => Promise<Uint8Array>;
}

type Artifact = CorpusCase['artifact'];

export const accepted = (label: string, artifact: Artifact): CorpusCase => ({
  label,
  expected: 'accepted',
  artifact,
});

export const refused = (label: string, artifact: Artifact): CorpusCase => ({
  label,
  expected: 'refused',
  artifact,
});

export const verificationOnly = (label: string, artifact: Artifact): CorpusCase => ({
  label,
  expected: 'refused by verification only',
  artifact,
});

/** A hand-made archive: the release's root files, then `parts`. */
export const crafted =
  (...parts: readonly Uint8Array[]): Artifact =>
  async () =>
    gzip(buildTar([...releaseRootEntries(), ...parts]));

/** An archive GNU tar makes from a real release tree with `extra` in it. */
export const packed =
  (extra: TreeSpec, tarArgs: readonly string[] = []): Artifact =>
  () =>
    gnuTarGz(releaseTree(extra), tarArgs);

export const file = (name: string | Uint8Array, data = 'x') => tarEntry({ name, data });
export const dir = (name: string) => tarEntry({ name, type: 'directory' });
export const symlink = (name: string, target: string | Uint8Array) =>
  tarEntry({ name, type: 'symlink', linkName: target });
export const hardlink = (name: string, target: string) =>
  tarEntry({ name, type: 'hardlink', linkName: target });

/** A file whose name does not fit the header's 100 bytes: a GNU long name header first. */
export function longFile(name: string): Uint8Array[] {
  return [gnuLongName(name), file('long-name-follows')];
}

/** A relative name of exactly `bytes` bytes: 200-byte directories, then a file. */
export function nameOfBytes(bytes: number, prefix = ''): string {
  const parts: string[] = [];
  let left = bytes - prefix.length;
  while (left > 256) {
    parts.push('d'.repeat(200));
    left -= 201;
  }
  parts.push('f'.repeat(left));
  return `${prefix}${parts.join('/')}`;
}

export const bytes = (...values: number[]) => new Uint8Array(values);

/** One header whose field at `offset` is replaced by `value` (checksum fixed), then its data. */
export function withField(spec: TarEntrySpec, offset: number, value: Uint8Array): Uint8Array[] {
  const header = tarHeader(spec);
  header.fill(0, offset, offset + value.length);
  header.set(value, offset);
  const data = new TextEncoder().encode(typeof spec.data === 'string' ? spec.data : '');
  const padding = new Uint8Array((512 - (data.length % 512)) % 512);
  return [withChecksum(header), data, padding];
}

/** A pax extended header whose record value is raw bytes (not necessarily UTF-8). */
export function rawPaxHeader(key: string, value: Uint8Array): Uint8Array {
  const encoder = new TextEncoder();
  const rest = Buffer.concat([encoder.encode(` ${key}=`), value, encoder.encode('\n')]);
  let length = rest.length + 1;
  while (String(length).length + rest.length !== length) length += 1;
  const record = Buffer.concat([encoder.encode(String(length)), rest]);
  return tarEntry({ name: 'PaxHeaders/entry', typeflag: 'x', data: new Uint8Array(record) });
}
