import { describe, expect, it } from 'vitest';
import { readZip } from '../../test/support/zip-reader.js';
import { zipStream } from './zip.js';

async function zipOf(entries: { name: string; data: Buffer; modified: Date }[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of zipStream(entries)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('zipStream', () => {
  it('writes an archive a reader opens, entry by entry, with names, bytes and times', async () => {
    const at = new Date('2026-03-02T09:15:42Z');
    const entries = [
      { name: 'x_A.json', data: Buffer.from('{"id":"x_A"}'), modified: at },
      { name: 'dir/ünïcode.json', data: Buffer.from('é'.repeat(10_000)), modified: at },
      { name: 'empty.json', data: Buffer.alloc(0), modified: at },
    ];
    const files = readZip(await zipOf(entries));
    expect(files.map((f) => f.name)).toEqual(entries.map((e) => e.name));
    expect(files.map((f) => f.data.toString())).toEqual(entries.map((e) => e.data.toString()));
    expect(files.every((f) => f.modified.toISOString() === '2026-03-02T09:15:42.000Z')).toBe(true);
  });

  it('writes an empty archive (the end record alone)', async () => {
    const zip = await zipOf([]);
    expect(zip).toHaveLength(22);
    expect(readZip(zip)).toEqual([]);
  });

  it('yields each entry as it comes, before the next is asked for', async () => {
    let asked = 0;
    async function* entries() {
      for (let i = 0; i < 3; i++) {
        asked += 1;
        yield { name: `${i}.json`, data: Buffer.from(String(i)), modified: new Date(0) };
      }
    }
    const stream = zipStream(entries());
    await stream.next();
    expect(asked).toBe(1);
  });

  it('a corrupted byte fails the reader (so it checks what it reads)', async () => {
    const zip = await zipOf([{ name: 'a', data: Buffer.from('hello hello hello'), modified: new Date() }]);
    zip[32] = (zip[32] ?? 0) ^ 0xff;
    expect(() => readZip(zip)).toThrow(/not a valid ZIP/);
  });
});
