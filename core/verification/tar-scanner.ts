import { ArchiveInvalid } from '../errors.ts';
import type { EntryDataSink, TarEntryHandler } from './tar-entry.ts';
import {
  EXTENDED_HEADER_TYPEFLAGS,
  type ExtendedHeaderKind,
  ExtendedHeaders,
} from './tar-extended-headers.ts';
import {
  decodeTarHeader,
  isZeroBlock,
  TAR_BLOCK_SIZE,
  TarFormatError,
  type TarHeader,
} from './tar-header.ts';

type State =
  | { readonly kind: 'header' }
  | { readonly kind: 'data'; remaining: number; padding: number; sink: EntryDataSink | undefined }
  | {
      readonly kind: 'extended';
      readonly headerKind: ExtendedHeaderKind;
      readonly headerName: string;
      readonly data: Uint8Array;
      filled: number;
      padding: number;
    }
  | { readonly kind: 'end' };

/**
 * A streaming tar parser: bytes go in as they inflate, entries come out to a handler, and no
 * more than one header block (or one small extended header) is ever held. It reads POSIX ustar
 * and GNU tar's formats: octal and base-256 sizes, pax extended headers ('x': path, linkpath,
 * size) and GNU long names ('L', 'K'). What two readers could read differently is refused:
 * bad checksums, a lone zero block, anything but zeros after the end-of-archive marker.
 */
export class TarScanner {
  readonly #app: string;
  readonly #handler: TarEntryHandler;
  readonly #extended: ExtendedHeaders;
  readonly #header = new Uint8Array(TAR_BLOCK_SIZE);
  #headerFilled = 0;
  #state: State = { kind: 'header' };
  #zeroBlocks = 0;
  /** Bytes of the tar stream before the current chunk. */
  #offset = 0;

  constructor(app: string, handler: TarEntryHandler, maxPathLength: number) {
    this.#app = app;
    this.#handler = handler;
    this.#extended = new ExtendedHeaders(app, maxPathLength);
  }

  /** Consumes the next inflated bytes; throws ArchiveInvalid or the handler's refusal. */
  write(chunk: Uint8Array): void {
    let position = 0;
    while (position < chunk.length) {
      position += this.#consume(chunk, position);
      this.#leavePaddingBehind();
    }
    this.#offset += chunk.length;
  }

  /** After the tar stream's last byte: refuses a stream with no end-of-archive marker. */
  finish(): void {
    if (this.#state.kind === 'end') return;
    const where = this.#state.kind === 'header' && this.#headerFilled === 0 ? 'before' : 'inside';
    const marker = this.#zeroBlocks === 1 ? 'after a lone zero block' : `${where} an entry`;
    throw this.#invalid(
      `tar stream is truncated: it ends ${marker}, with no end-of-archive marker`,
    );
  }

  /** Consumes what the current state wants from the chunk; returns how many bytes. */
  #consume(chunk: Uint8Array, position: number): number {
    const state = this.#state;
    const rest = chunk.length - position;
    if (state.kind === 'end') {
      this.#expectZeros(chunk, position);
      return rest;
    }
    if (state.kind === 'header') {
      const take = Math.min(rest, TAR_BLOCK_SIZE - this.#headerFilled);
      this.#header.set(chunk.subarray(position, position + take), this.#headerFilled);
      this.#headerFilled += take;
      if (this.#headerFilled === TAR_BLOCK_SIZE) {
        this.#headerFilled = 0;
        this.#onHeaderBlock(this.#offset + position + take - TAR_BLOCK_SIZE);
      }
      return take;
    }
    if (state.kind === 'data' && state.remaining > 0) {
      const take = Math.min(rest, state.remaining);
      state.sink?.write(chunk.subarray(position, position + take));
      state.remaining -= take;
      if (state.remaining === 0) state.sink?.end();
      return take;
    }
    if (state.kind === 'extended' && state.filled < state.data.length) {
      const take = Math.min(rest, state.data.length - state.filled);
      state.data.set(chunk.subarray(position, position + take), state.filled);
      state.filled += take;
      if (state.filled === state.data.length) {
        this.#extended.complete(state.headerKind, state.data, state.headerName);
      }
      return take;
    }
    const take = Math.min(rest, state.padding);
    state.padding -= take;
    return take;
  }

  #leavePaddingBehind(): void {
    const state = this.#state;
    const done =
      (state.kind === 'data' && state.remaining === 0 && state.padding === 0) ||
      (state.kind === 'extended' && state.filled === state.data.length && state.padding === 0);
    if (done) this.#state = { kind: 'header' };
  }

  #onHeaderBlock(offset: number): void {
    if (isZeroBlock(this.#header)) {
      this.#zeroBlocks += 1;
      if (this.#extended.pending) {
        throw this.#invalid(`an extended header before byte ${offset} is followed by no entry`);
      }
      if (this.#zeroBlocks === 2) this.#state = { kind: 'end' };
      return;
    }
    if (this.#zeroBlocks > 0) {
      throw this.#invalid(`a lone zero block precedes the header at byte ${offset}`);
    }
    const header = this.#decode(offset);
    const headerKind = EXTENDED_HEADER_TYPEFLAGS[header.typeflag];
    if (headerKind !== undefined) {
      const headerName = Buffer.from(header.name).toString('utf8');
      this.#extended.begin(headerKind, header.size, headerName, offset);
      const data = new Uint8Array(header.size);
      const padding = paddingOf(header.size);
      this.#state = { kind: 'extended', headerKind, headerName, data, filled: 0, padding };
      if (header.size === 0) this.#extended.complete(headerKind, data, headerName);
      return;
    }
    const entry = this.#extended.apply(header, offset);
    const sink = this.#handler.entry(entry);
    this.#state = { kind: 'data', remaining: entry.size, padding: paddingOf(entry.size), sink };
    if (entry.size === 0) sink?.end();
  }

  #decode(offset: number): TarHeader {
    try {
      return decodeTarHeader(this.#header);
    } catch (error) {
      if (!(error instanceof TarFormatError)) throw error;
      throw this.#invalid(`${error.message} (header at byte ${offset})`);
    }
  }

  #expectZeros(chunk: Uint8Array, from: number): void {
    // memcmp against zeros: a padding bomb up to the unpacked-size cap is checked at memory speed.
    for (let start = from; start < chunk.length; start += ZEROS.length) {
      const part = chunk.subarray(start, start + ZEROS.length);
      if (Buffer.compare(part, ZEROS.subarray(0, part.length)) !== 0) {
        const at = this.#offset + start + part.findIndex((byte) => byte !== 0);
        throw this.#invalid(`data follows the end-of-archive marker (at byte ${at})`);
      }
    }
  }

  #invalid(reason: string): InstanceType<typeof ArchiveInvalid> {
    return new ArchiveInvalid(`app ${this.#app}: ${reason}`, { details: { app: this.#app } });
  }
}

const ZEROS = new Uint8Array(64 * 1024);

function paddingOf(size: number): number {
  return (TAR_BLOCK_SIZE - (size % TAR_BLOCK_SIZE)) % TAR_BLOCK_SIZE;
}
