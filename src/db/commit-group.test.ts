import { expect, it, vi } from 'vitest';
import { describeEachDb } from '../../test/support/db.js';
import { createBatchGroup } from './commit-group.js';
import type { Db, DbTransaction } from './connection.js';

describeEachDb('commit group', (get) => {
  const WINDOW = '2026-01-01T00:00:00.000Z';
  const insert = (trx: DbTransaction, bucket: string) =>
    trx.insertInto('rate_limits').values({ bucket, window_start: WINDOW, hits: 1 }).execute();
  const buckets = async (prefix: string) =>
    (
      await get()
        .db.kysely.selectFrom('rate_limits')
        .select('bucket')
        .where('bucket', 'like', `${prefix}%`)
        .orderBy('bucket')
        .execute()
    ).map((r) => r.bucket);
  /**
   * A group whose items are bucket names, each inserted once (`twice:` names twice, which fails on
   * the second insert; `throw:` names throw before writing); an item's outcome is its name in capitals.
   */
  const bucketGroup = (db: Db, options?: { maxUnits?: number }) =>
    createBatchGroup<string, string>(
      db,
      async (trx, names) => {
        for (const name of names) {
          if (name.startsWith('throw:')) throw new Error(name);
          await insert(trx, name.replace(/^twice:/, ''));
          if (name.startsWith('twice:')) await insert(trx, name.slice('twice:'.length));
        }
        return names.map((n) => n.toUpperCase());
      },
      options,
    );

  it('commits items that arrive together in one transaction, and answers each with its own outcome', async () => {
    const { db } = get();
    const group = bucketGroup(db);
    const spy = vi.spyOn(db.kysely, 'transaction');
    try {
      const names = Array.from({ length: 20 }, (_, i) => `together-${String(i).padStart(2, '0')}`);
      const values = await Promise.all(names.map((name) => group.add(name)));
      expect(values).toEqual(names.map((n) => n.toUpperCase()));
      expect(spy.mock.calls.length).toBe(1);
      expect(await buckets('together-')).toEqual(names);
    } finally {
      spy.mockRestore();
    }
  });

  it('takes at most maxUnits a transaction; items that come while one commits form the next', async () => {
    const { db } = get();
    const group = bucketGroup(db, { maxUnits: 4 });
    const spy = vi.spyOn(db.kysely, 'transaction');
    try {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => group.add(`bounded-${String(i).padStart(2, '0')}`)),
      );
      expect(spy.mock.calls.length).toBe(3);
      expect(await buckets('bounded-')).toHaveLength(10);
    } finally {
      spy.mockRestore();
    }
  });

  it('fails a failing item alone: the others of its group commit, nothing of it is written', async () => {
    const { db } = get();
    const group = bucketGroup(db);
    // alone-b fails on its second write, after its first.
    const results = await Promise.allSettled(
      ['alone-a', 'twice:alone-b', 'alone-c'].map((n) => group.add(n)),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await buckets('alone-')).toEqual(['alone-a', 'alone-c']);
    // An item that throws without writing fails alone too, with its own error.
    await expect(group.add('throw:mine')).rejects.toThrow('throw:mine');
  });

  it('retries a group that cannot commit item by item: what commits alone is answered, what fails alone is refused', async () => {
    const { db } = get();
    const group = bucketGroup(db);
    // Both items write the same key: together the group fails at the second; alone, the first
    // commits and the second fails on the first's committed row.
    const results = await Promise.allSettled(['once', 'once'].map((n) => group.add(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(await buckets('once')).toEqual(['once']);
  });
});
