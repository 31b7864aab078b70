import { TarFormatError } from './tar-header.ts';

/** pax times as GNU tar reads them: a value it cannot read fails the listing on every host. */
const PAX_TIME = /^-?[0-9]{1,18}(\.[0-9]+)?$/;
const PAX_ID = /^[0-9]{1,10}$/;
/** GNU tar's uid_t and gid_t range. */
const MAX_ID = 0xffff_ffff;

/**
 * Parses a pax extended header's data: records of the form `<length> <key>=<value>\n`, where
 * the length counts the whole record in bytes (POSIX.1-2017 `pax`, "pax Extended Header").
 * A key given twice is refused: readers disagree on whether the first or the last one wins.
 */
export function parsePaxRecords(data: Uint8Array): ReadonlyMap<string, string> {
  const records = new Map<string, string>();
  // ignoreBOM keeps a leading U+FEFF: tar reads it as part of the name, so must we.
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    const lengthText = Buffer.from(data.subarray(offset, space < 0 ? offset : space)).toString(
      'latin1',
    );
    if (!/^[1-9][0-9]{0,7}$/.test(lengthText)) {
      throw new TarFormatError(`pax record at byte ${offset} has no valid length`);
    }
    const end = offset + Number(lengthText);
    if (end > data.length || data[end - 1] !== 0x0a) {
      throw new TarFormatError(`pax record at byte ${offset} overruns its header or lacks '\\n'`);
    }
    const record = data.subarray(space + 1, end - 1);
    const equals = record.indexOf(0x3d);
    if (equals <= 0) throw new TarFormatError(`pax record at byte ${offset} has no key`);
    let key: string;
    let value: string;
    try {
      key = utf8.decode(record.subarray(0, equals));
      value = utf8.decode(record.subarray(equals + 1));
    } catch {
      throw new TarFormatError(`pax record at byte ${offset} is not valid UTF-8`);
    }
    if (records.has(key)) throw new TarFormatError(`pax key "${key}" is given twice`);
    refuseUnreadableValue(key, value, offset);
    records.set(key, value);
    offset = end;
  }
  return records;
}

/** The keys GNU tar parses as numbers (others are strings or ignored); it fails on bad ones. */
function refuseUnreadableValue(key: string, value: string, offset: number): void {
  const where = `pax record at byte ${offset}`;
  if (key === 'atime' || key === 'ctime' || key === 'mtime') {
    if (!PAX_TIME.test(value)) throw new TarFormatError(`${where}: ${key} "${value}" is no time`);
  } else if (key === 'uid' || key === 'gid') {
    if (!PAX_ID.test(value) || Number(value) > MAX_ID) {
      throw new TarFormatError(`${where}: ${key} "${value}" is no id from 0 to ${MAX_ID}`);
    }
  } else if (key.startsWith('GNU.volume.')) {
    throw new TarFormatError(`${where}: ${key} belongs to a multi-volume archive`);
  }
}
