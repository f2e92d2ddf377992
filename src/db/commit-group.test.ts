import { expect, it, vi } from 'vitest';
import { describeEachDb } from '../../test/support/db.js';
import { createCommitGroup } from './commit-group.js';
import type { DbTransaction } from './connection.js';

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

  it('commits units that arrive together in one transaction, and answers each with its own value', async () => {
    const { db } = get();
    const group = createCommitGroup(db);
    const spy = vi.spyOn(db.kysely, 'transaction');
    try {
      const names = Array.from({ length: 20 }, (_, i) => `together-${String(i).padStart(2, '0')}`);
      const values = await Promise.all(
        names.map((name) =>
          group.run(async (trx) => {
            await insert(trx, name);
            return name.toUpperCase();
          }),
        ),
      );
      expect(values).toEqual(names.map((n) => n.toUpperCase()));
      expect(spy.mock.calls.length).toBe(1);
      expect(await buckets('together-')).toEqual(names);
    } finally {
      spy.mockRestore();
    }
  });

  it('takes at most maxUnits a transaction; units that come while one commits form the next', async () => {
    const { db } = get();
    const group = createCommitGroup(db, { maxUnits: 4 });
    const spy = vi.spyOn(db.kysely, 'transaction');
    try {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          group.run((trx) => insert(trx, `bounded-${String(i).padStart(2, '0')}`)),
        ),
      );
      expect(spy.mock.calls.length).toBe(3);
      expect(await buckets('bounded-')).toHaveLength(10);
    } finally {
      spy.mockRestore();
    }
  });

  it('fails a failing unit alone: the others of its group commit, nothing of it is written', async () => {
    const { db } = get();
    const group = createCommitGroup(db);
    const results = await Promise.allSettled(
      ['alone-a', 'alone-b', 'alone-c'].map((name) =>
        group.run(async (trx) => {
          await insert(trx, name);
          // A write that fails (the same key twice), after this unit's first write.
          if (name === 'alone-b') await insert(trx, name);
          return name;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await buckets('alone-')).toEqual(['alone-a', 'alone-c']);
    // A unit that throws without writing fails alone too, with its own error.
    await expect(group.run(() => Promise.reject(new Error('mine')))).rejects.toThrow('mine');
  });

  it('retries a group that cannot commit unit by unit: what commits alone is answered, what fails alone is refused', async () => {
    const { db } = get();
    const group = createCommitGroup(db);
    // Both units write the same key: together the group fails at the second; alone, the first
    // commits and the second fails on the first's committed row.
    const results = await Promise.allSettled(
      [1, 2].map((n) =>
        group.run(async (trx) => {
          await insert(trx, 'once');
          return n;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(await buckets('once')).toEqual(['once']);
  });
});
