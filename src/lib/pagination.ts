/**
 * Keyset pagination, shared by every list: a page is `limit` rows after a cursor, and the cursor is
 * the last row's sort key, sealed so that a client cannot forge one (no skipping into rows by
 * crafting a key) and cannot carry one to another list or another filter (the filter's
 * fingerprint is inside). Anything wrong with a cursor is a 400 naming `querystring.cursor`.
 *
 * The cursor is `base64url(JSON {v, l, f, k}) "." base64url(HMAC-SHA256)` under the instance
 * secret `pagination.cursor` (shared by every instance on the database, so a page fetched from
 * one instance continues on another).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { BadFieldError } from './errors.js';

/** The instance secret that seals cursors. */
export const CURSOR_SECRET = 'pagination.cursor';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
/** A cursor longer than this was not made by Vigil. */
const MAX_CURSOR_LENGTH = 2000;
const CURSOR_FIELD = 'querystring.cursor';

/** A sort key: the values of the order's columns in order, last the row's id (a tie-breaker). */
export type CursorKey = readonly (string | number | null)[];

/** `limit` and `cursor` of a list's query string: over the maximum is refused, not cut. */
export const pageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .describe(`Rows per page, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`),
  cursor: z
    .string()
    .max(MAX_CURSOR_LENGTH)
    .optional()
    .describe('`nextCursor` of the previous page, with the same filters.'),
});

/**
 * The fingerprint of a list's filter: the same filter (whatever the order of its fields) gives the
 * same fingerprint. `undefined` fields are left out, arrays are compared as given. Keyed (HMAC under
 * the cursor key), because a cursor's body is readable: an unkeyed hash would let whoever holds a
 * cursor (from a URL, a log, a shared link) test guesses of the filter's search words offline.
 */
export function filterFingerprint(key: Uint8Array, filter: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(filter)
      .filter((k) => filter[k] !== undefined)
      .sort()
      .map((k) => [k, filter[k]]),
  );
  return createHmac('sha256', key)
    .update(`vigil-cursor-filter\u0000${canonical}`)
    .digest('base64url')
    .slice(0, 22);
}

/** What a cursor's body holds (built once: a zod schema made per call costs ~80 µs). */
const cursorPayload = z.object({
  v: z.literal(1),
  l: z.string(),
  f: z.string(),
  k: z.array(z.union([z.string(), z.number(), z.null()])).max(8),
});

function tag(key: Uint8Array, body: string): Buffer {
  return createHmac('sha256', key).update(`vigil-cursor\u0000${body}`).digest();
}

export interface CursorCodec {
  /** The cursor after the row whose sort key is `key`, for list `list` under `filter`. */
  encode(list: string, filter: Record<string, unknown>, key: CursorKey): string;
  /**
   * The sort key inside `cursor`, or `undefined` without one. A cursor that was altered, made for
   * another list or another filter, or not made by Vigil is a 400 naming `querystring.cursor`.
   */
  decode(list: string, filter: Record<string, unknown>, cursor: string | undefined): CursorKey | undefined;
}

export function cursorCodec(key: Uint8Array): CursorCodec {
  if (key.length < 32) throw new Error('A cursor key must be at least 32 bytes.');
  const bad = (why: string) => new BadFieldError(CURSOR_FIELD, why);
  return {
    encode(list, filter, sortKey) {
      const body = Buffer.from(
        JSON.stringify({ v: 1, l: list, f: filterFingerprint(key, filter), k: sortKey }),
      ).toString('base64url');
      return `${body}.${tag(key, body).toString('base64url')}`;
    },
    decode(list, filter, cursor) {
      if (cursor === undefined || cursor === '') return undefined;
      if (cursor.length > MAX_CURSOR_LENGTH) throw bad('is too long to be a cursor');
      const [body, mac, ...rest] = cursor.split('.');
      if (!body || !mac || rest.length > 0 || !/^[A-Za-z0-9_-]+$/.test(body + mac))
        throw bad('is not a cursor this list gave out');
      const expected = tag(key, body);
      const given = Buffer.from(mac, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw bad('was altered or was not given out by this server');
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        throw bad('is not a cursor this list gave out');
      }
      const parsed = cursorPayload.safeParse(payload);
      if (!parsed.success) throw bad('is not a cursor this list gave out');
      if (parsed.data.l !== list) throw bad('belongs to another list');
      if (parsed.data.f !== filterFingerprint(key, filter))
        throw bad('was given out for other filters: start again from the first page');
      return parsed.data.k;
    },
  };
}
