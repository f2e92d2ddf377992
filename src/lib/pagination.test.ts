import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BadFieldError } from './errors.js';
import { MAX_PAGE_SIZE, cursorCodec, filterFingerprint, pageQuery } from './pagination.js';

const codec = cursorCodec(randomBytes(32));
const filter = { sort: 'urgency', state: ['received'], q: undefined };

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(BadFieldError);
    const issues = (err as BadFieldError).issues;
    expect(issues[0]?.path).toBe('querystring.cursor');
    return issues[0]?.message ?? '';
  }
  throw new Error('accepted');
}

describe('cursors', () => {
  it('give back the key they were made with, for the same list and filter', () => {
    const c = codec.encode('cases', filter, ['0', '2026-12-01T00:00:00.000Z', 'id-1']);
    expect(codec.decode('cases', { state: ['received'], sort: 'urgency' }, c)).toEqual([
      '0',
      '2026-12-01T00:00:00.000Z',
      'id-1',
    ]);
    expect(codec.decode('cases', filter, undefined)).toBeUndefined();
  });

  it('refuse an altered cursor, one of another list or filter, or of another key', () => {
    const c = codec.encode('cases', filter, ['0', 'x', 'id-1']);
    const [body, mac] = c.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), k: ['0', 'a', 'b'] }),
    ).toString('base64url');
    expect(refusal(() => codec.decode('cases', filter, `${forged}.${mac}`))).toMatch(/altered/);
    expect(refusal(() => codec.decode('audit', filter, c))).toMatch(/another list/);
    expect(refusal(() => codec.decode('cases', { ...filter, sort: 'received' }, c))).toMatch(/other filters/);
    expect(refusal(() => cursorCodec(randomBytes(32)).decode('cases', filter, c))).toMatch(/altered/);
    for (const junk of ['x', 'a.b.c', '...', '%%%.%%%', 'é.é', 'a'.repeat(3000)])
      refusal(() => codec.decode('cases', filter, junk));
  });

  it('fingerprint a filter whatever the order of its fields, and without its unset ones', () => {
    const key = randomBytes(32);
    expect(filterFingerprint(key, { a: 1, b: [2], c: undefined })).toBe(
      filterFingerprint(key, { b: [2], a: 1 }),
    );
    expect(filterFingerprint(key, { a: 1 })).not.toBe(filterFingerprint(key, { a: 2 }));
  });

  // A cursor travels in URLs and in API answers that get copied and logged, while the search words
  // of its filter (`q`) are kept out of logs: the fingerprint inside a cursor (readable base64) must
  // not let its holder test guesses of those words offline. Unkeyed, sha256 of the canonical filter
  // did: a word list recovered the search from the cursor alone.
  it('carry a fingerprint that cannot be tested against guesses of the filter without the key', () => {
    const searched = { sort: 'urgency', q: 'heartbleed' };
    const c = codec.encode('cases', searched, ['0', 'id-1']);
    const inside = (JSON.parse(Buffer.from(c.split('.')[0] ?? '', 'base64url').toString()) as { f: string })
      .f;
    const unkeyed = (guess: string) =>
      createHash('sha256')
        .update(
          JSON.stringify([
            ['q', guess],
            ['sort', 'urgency'],
          ]),
        )
        .digest('base64url')
        .slice(0, 22);
    const found = ['openssl', 'overflow', 'heartbleed', 'xss'].filter((guess) => unkeyed(guess) === inside);
    expect(found).toEqual([]);
    expect(codec.decode('cases', searched, c)).toEqual(['0', 'id-1']);
  });
});

describe('page size', () => {
  it('defaults to 50 and refuses more than the maximum instead of cutting', () => {
    expect(pageQuery.parse({}).limit).toBe(50);
    expect(pageQuery.parse({ limit: '500' }).limit).toBe(500);
    expect(pageQuery.safeParse({ limit: String(MAX_PAGE_SIZE + 1) }).success).toBe(false);
    expect(pageQuery.safeParse({ limit: '0' }).success).toBe(false);
    expect(pageQuery.safeParse({ limit: '1.5' }).success).toBe(false);
  });
});
