/**
 * A streaming ZIP writer (PKWARE APPNOTE 6.3: local headers, DEFLATE, the central directory at the
 * end), for archives of many small files such as OSV's `all.zip`: each entry is compressed and
 * yielded as it comes, so memory holds one entry and the directory, never the archive. No ZIP64:
 * at most 65,535 entries and 4 GiB, refused beyond.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** The path in the archive (`/`-separated, UTF-8). */
  name: string;
  data: Buffer;
  modified: Date;
}

const MAX_ENTRIES = 0xffff;
const MAX_OFFSET = 0xffffffff;
const UTF8_NAMES = 0x0800;
const DEFLATE = 8;
const VERSION = 20;

/** MS-DOS date and time fields (2-second precision, UTC), clamped to the format's 1980-2107. */
function dosDateTime(at: Date): { date: number; time: number } {
  const year = Math.min(Math.max(at.getUTCFullYear(), 1980), 2107);
  const date = ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate();
  const time = (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2);
  return { date, time };
}

interface Written {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  date: number;
  time: number;
}

function localHeader(e: Written): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(VERSION, 4);
  h.writeUInt16LE(UTF8_NAMES, 6);
  h.writeUInt16LE(DEFLATE, 8);
  h.writeUInt16LE(e.time, 10);
  h.writeUInt16LE(e.date, 12);
  h.writeUInt32LE(e.crc, 14);
  h.writeUInt32LE(e.compressed, 18);
  h.writeUInt32LE(e.size, 22);
  h.writeUInt16LE(e.name.length, 26);
  h.writeUInt16LE(0, 28);
  return Buffer.concat([h, e.name]);
}

function centralHeader(e: Written): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(VERSION, 4);
  h.writeUInt16LE(VERSION, 6);
  h.writeUInt16LE(UTF8_NAMES, 8);
  h.writeUInt16LE(DEFLATE, 10);
  h.writeUInt16LE(e.time, 12);
  h.writeUInt16LE(e.date, 14);
  h.writeUInt32LE(e.crc, 16);
  h.writeUInt32LE(e.compressed, 20);
  h.writeUInt32LE(e.size, 24);
  h.writeUInt16LE(e.name.length, 28);
  // Extra field, comment, disk number, internal and external attributes: none.
  h.writeUInt32LE(e.offset, 42);
  return Buffer.concat([h, e.name]);
}

function endOfDirectory(count: number, size: number, offset: number): Buffer {
  const h = Buffer.alloc(22);
  h.writeUInt32LE(0x06054b50, 0);
  h.writeUInt16LE(count, 8);
  h.writeUInt16LE(count, 10);
  h.writeUInt32LE(size, 12);
  h.writeUInt32LE(offset, 16);
  return h;
}

/**
 * The archive of `entries`, chunk by chunk (a local header and its compressed data per entry, then
 * the central directory). Throws before writing an entry past the format's limits.
 */
export async function* zipStream(
  entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>,
): AsyncGenerator<Buffer> {
  const written: Written[] = [];
  let offset = 0;
  for await (const entry of entries) {
    if (written.length === MAX_ENTRIES)
      throw new Error(`a ZIP without ZIP64 holds at most ${MAX_ENTRIES} entries`);
    const compressed = deflateRawSync(entry.data);
    const e: Written = {
      name: Buffer.from(entry.name, 'utf8'),
      crc: crc32(entry.data),
      compressed: compressed.length,
      size: entry.data.length,
      offset,
      ...dosDateTime(entry.modified),
    };
    const header = localHeader(e);
    if (offset + header.length + compressed.length > MAX_OFFSET)
      throw new Error('a ZIP without ZIP64 holds at most 4 GiB');
    written.push(e);
    offset += header.length + compressed.length;
    yield header;
    yield compressed;
  }
  const directory = Buffer.concat(written.map(centralHeader));
  yield Buffer.concat([directory, endOfDirectory(written.length, directory.length, offset)]);
}
