/**
 * Group commit for a hot write path (intake during a flood): units of work that arrive while a
 * group is being written share the next group's transaction, so that one commit (one fsync of
 * SQLite's WAL under `synchronous = FULL`, one WAL flush of PostgreSQL) and one pass through the
 * rows every unit locks (the audit chain's head, counters) serve many units instead of one each.
 *
 * - Durable before answered: `run` resolves only after the group's COMMIT returned; a unit's result
 *   is never seen by its caller before it is on disk.
 * - All or nothing per unit: a unit is a function of the transaction that only uses the database
 *   through it (no other await: that would hold every unit of the group). When a unit throws, the
 *   group's transaction is rolled back and each of its units is run again alone, in a transaction
 *   of its own: the unit that failed fails alone, with its own error; the others commit. A unit may
 *   therefore run twice: it must write only through the transaction (whose rollback undoes it) and
 *   return a value instead of throwing for an outcome whose writes must stay (a refusal whose count
 *   must be kept).
 * - At low load a group is one unit, with no added wait: the first unit starts a group at once (on
 *   the next turn of the event loop, so that the units of requests parsed in the same turn join it);
 *   units that come while it runs form the next group, up to `maxUnits`.
 */
import type { Db, DbTransaction } from './connection.js';

/** The most units one transaction takes: bounds a group's time (and how long it holds its locks). */
export const DEFAULT_MAX_UNITS = 64;

export type Unit<T> = (trx: DbTransaction) => Promise<T>;

interface Pending {
  work: Unit<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface CommitGroup {
  /** Runs `work` in the next group's transaction; resolves with its value once that committed. */
  run<T>(work: Unit<T>): Promise<T>;
}

export function createCommitGroup(db: Db, { maxUnits = DEFAULT_MAX_UNITS } = {}): CommitGroup {
  const queue: Pending[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) await commit(queue.splice(0, maxUnits));
    } finally {
      draining = false;
    }
  }

  async function commit(units: Pending[]): Promise<void> {
    let values: unknown[];
    try {
      values = await db.kysely.transaction().execute(async (trx) => {
        const done: unknown[] = [];
        for (const unit of units) done.push(await unit.work(trx));
        return done;
      });
    } catch (error) {
      if (units.length === 1) {
        units[0]?.reject(error);
        return;
      }
      // Rolled back: nothing of the group was written. Each unit again, alone.
      for (const unit of units) await commit([unit]);
      return;
    }
    units.forEach((unit, i) => unit.resolve(values[i]));
  }

  return {
    run<T>(work: Unit<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!draining) {
          draining = true;
          setImmediate(() => void drain());
        }
      });
    },
  };
}
