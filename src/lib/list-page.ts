/**
 * One page of a keyset-paginated list (the cursor itself is src/lib/pagination.ts). A service asks
 * its repository for `limit + 1` rows after the decoded key, in the list's order with the id as
 * the last column; `keysetPage` keeps `limit` of them and seals the last one's key as `nextCursor`
 * when the extra row shows that there is more. The key is read back with `cursorKey`, which checks
 * its shape (a cursor of an older Vigil whose key had other columns is refused like a forged one).
 */
import type { Db } from '../db/connection.js';
import type { Clock } from './clock.js';
import type { Keyring } from './crypto/keyring.js';
import { BadFieldError } from './errors.js';
import { instanceSecretOnce } from './instance-secrets.js';
import { CURSOR_SECRET, cursorCodec, type CursorCodec, type CursorKey } from './pagination.js';

type SecretCipher = Pick<Keyring, 'encryptField' | 'decryptField'>;

/**
 * The cursor codec of a service, keyed by the instance secret `pagination.cursor`, made on first
 * use and kept (an instance secret never changes, so the key cannot go stale).
 */
export function lazyCursorCodec(deps: {
  db: Db;
  cipher: SecretCipher;
  clock: Clock;
}): () => Promise<CursorCodec> {
  const key = instanceSecretOnce(deps, CURSOR_SECRET);
  return () => key().then(cursorCodec);
}

type Kinds = readonly ('string' | 'number')[];
type KeyOf<K extends Kinds> = { [I in keyof K]: K[I] extends 'number' ? number : string };

/** The sort key a decoded cursor holds, checked against the columns the list sorts by. */
export function cursorKey<const K extends Kinds>(key: CursorKey | undefined, kinds: K): KeyOf<K> | undefined {
  if (key === undefined) return undefined;
  if (key.length !== kinds.length || key.some((v, i) => typeof v !== kinds[i]))
    throw new BadFieldError('querystring.cursor', 'is not a cursor this list gave out');
  return key as unknown as KeyOf<K>;
}

export interface KeysetPage<T> {
  rows: T[];
  /** The cursor of the next page; null on the last one. */
  nextCursor: string | null;
}

/** `limit` of the `limit + 1` rows fetched, and the cursor after the last one when there are more. */
export function keysetPage<T>(
  fetched: readonly T[],
  limit: number,
  next: (last: T) => string,
): KeysetPage<T> {
  const rows = fetched.slice(0, limit);
  const last = rows[rows.length - 1];
  return { rows, nextCursor: fetched.length > limit && last !== undefined ? next(last) : null };
}
