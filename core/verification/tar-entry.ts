/** What the tar scanner reports for each archive entry, after pax and GNU long-name headers. */
export interface TarEntry {
  /** The entry's name as the archive spells it (not yet normalised). */
  readonly name: string;
  /** The link target of a symlink or hardlink; '' for other entries. */
  readonly linkTarget: string;
  /** The header's typeflag character ('0', '5', '2', ...). */
  readonly typeflag: string;
  readonly mode: number;
  /** Bytes of data that follow the header (a pax `size` record overrides the header's). */
  readonly size: number;
  /** Where the entry's header starts in the inflated tar stream; for messages. */
  readonly offset: number;
}

/** Receives an entry's data when the entry handler asked for it. */
export interface EntryDataSink {
  write(chunk: Uint8Array): void;
  end(): void;
}

/** Judges each entry as the scanner meets it; may throw to refuse the archive. */
export interface TarEntryHandler {
  /** Returns a sink for the entry's data, or undefined to let the scanner skip it. */
  entry(entry: TarEntry): EntryDataSink | undefined;
}
