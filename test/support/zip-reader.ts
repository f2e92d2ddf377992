/**
 * A ZIP reader for tests (PKWARE APPNOTE: the end-of-central-directory record, the central
 * directory, each local header), written apart from `src/lib/zip.ts` so that it checks the
 * archive rather than repeat the writer: every entry's sizes and CRC-32 are verified.
 */
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipFile {
  name: string;
  data: Buffer;
  /** The DOS date and time, read back as UTC. */
  modified: Date;
}

function fail(message: string): never {
  throw new Error(`not a valid ZIP: ${message}`);
}

/** Every file of `zip`, in directory order. Throws when the archive is malformed or corrupt. */
export function readZip(zip: Buffer): ZipFile[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail('no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  const size = zip.readUInt32LE(eocd + 12);
  let at = zip.readUInt32LE(eocd + 16);
  if (at + size !== eocd) fail('the central directory does not end where the end record starts');
  const files: ZipFile[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) fail(`central header ${n} has a bad signature`);
    const method = zip.readUInt16LE(at + 10);
    const time = zip.readUInt16LE(at + 12);
    const date = zip.readUInt16LE(at + 14);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const length = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const offset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extra + comment;

    if (zip.readUInt32LE(offset) !== 0x04034b50) fail(`${name}: bad local header signature`);
    const localName = zip.subarray(offset + 30, offset + 30 + zip.readUInt16LE(offset + 26)).toString('utf8');
    if (localName !== name) fail(`${name}: the local header names ${localName}`);
    if (zip.readUInt32LE(offset + 14) !== crc) fail(`${name}: local and central CRC differ`);
    const start = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
    const raw = zip.subarray(start, start + compressed);
    const data =
      method === 8
        ? inflateRawSync(raw)
        : method === 0
          ? Buffer.from(raw)
          : fail(`${name}: method ${method}`);
    if (data.length !== length) fail(`${name}: ${data.length} bytes, the directory says ${length}`);
    if (crc32(data) !== crc) fail(`${name}: CRC-32 mismatch`);
    const modified = new Date(
      Date.UTC(
        1980 + (date >> 9),
        ((date >> 5) & 0xf) - 1,
        date & 0x1f,
        time >> 11,
        (time >> 5) & 0x3f,
        (time & 0x1f) * 2,
      ),
    );
    files.push({ name, data, modified });
  }
  if (at !== eocd) fail('bytes between the central directory and its end record');
  return files;
}
