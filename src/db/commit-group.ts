/**
 * Group commit for a hot write path (intake during a flood): items that arrive while a group is
 * being written share the next group's transaction, so that one commit (one fsync of
 * SQLite's WAL under `synchronous = FULL`, one WAL flush of PostgreSQL) and one pass through the
 * rows every item locks (the audit chain's head, counters) serve many items instead of one each.
 *
 * - Durable before answered: `add` resolves only after the group's COMMIT returned; an item's
 *   outcome is never seen by its caller before it is on disk.
 * - All or nothing per item: `write` uses the database only through the group's transaction (no
 *   other await: that would hold every item of the group). When it throws, the transaction is
 *   rolled back and each item is written again alone, in a transaction of its own: the item that
 *   failed fails alone, with its own error; the others commit. An item may therefore be written
 *   twice, so `write` returns an outcome instead of throwing for one whose writes must stay (a
 *   refusal whose count must be kept).
 * - At low load a group is one item, with no added wait: the first item starts a group at once (on
 *   the next turn of the event loop, so that the items of requests parsed in the same turn join it);
 *   items that come while it runs form the next group, up to `maxUnits`.
 */
import type { Db, DbTransaction } from './connection.js';

/** The most items one transaction takes: bounds a group's time (and how long it holds its locks). */
export const DEFAULT_MAX_UNITS = 64;

interface Pending<I> {
  item: I;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Items written together: `add` resolves with the item's outcome once its group committed. */
export interface BatchGroup<I, O> {
  add(item: I): Promise<O>;
}

/**
 * The group's items are handed together to `write`, which writes them all in the
 * group's transaction (with as few statements as it can: one multi-row insert for all, say) and
 * returns one outcome per item, in order. `write` must accept any number of items from 1 to
 * `maxUnits`; when it throws for a group, it is called again for each item alone.
 */
export function createBatchGroup<I, O>(
  db: Db,
  write: (trx: DbTransaction, items: I[]) => Promise<O[]>,
  { maxUnits = DEFAULT_MAX_UNITS } = {},
): BatchGroup<I, O> {
  const queue: Pending<I>[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) await commit(queue.splice(0, maxUnits));
    } finally {
      draining = false;
    }
  }

  async function commit(units: Pending<I>[]): Promise<void> {
    let outcomes: O[];
    try {
      outcomes = await db.kysely.transaction().execute(async (trx) => {
        const written = await write(
          trx,
          units.map((u) => u.item),
        );
        if (written.length !== units.length) {
          throw new Error(`A batch of ${units.length} items was written as ${written.length}.`);
        }
        return written;
      });
    } catch (error) {
      if (units.length === 1) {
        units[0]?.reject(error);
        return;
      }
      // Rolled back: nothing of the group was written. Each item again, alone.
      for (const unit of units) await commit([unit]);
      return;
    }
    units.forEach((unit, i) => unit.resolve(outcomes[i]));
  }

  return {
    add(item: I): Promise<O> {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve: resolve as (value: unknown) => void, reject });
        if (!draining) {
          draining = true;
          setImmediate(() => void drain());
        }
      });
    },
  };
}
