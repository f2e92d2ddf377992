/**
 * Runs data-access functions against a database that is not there: a Kysely instance whose driver
 * records every statement it is given, compiled by the dialect's own query compiler, and answers
 * with canned rows. What the query snapshots are made of (query-snapshot.ts); no test-only branch
 * in the code under record: it runs exactly as it does on a real database.
 */
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect as KyselyDialect,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type Transaction,
} from 'kysely';
import type { Db, Dialect } from '../connection.js';
import type { Database } from '../schema.js';

export type Row = Record<string, unknown>;

/**
 * A canned answer: the first statement not yet answered whose SQL contains `when` gets `rows` (and
 * `affected` as its count of changed rows). Every other statement gets no rows and 0 changed.
 */
export interface Reply {
  when: string;
  rows?: Row[];
  affected?: number;
}

/** What a recorded call runs against: a transaction, and the `Db` for functions that take one. */
export interface QueryTarget {
  trx: Transaction<Database>;
  db: Db;
}

/**
 * SQLite's placeholders are `?`; numbering them like PostgreSQL's (`$1`) makes the two dialects'
 * snapshots comparable, and shows which parameter is which. Display only: nothing runs this.
 */
class NumberedSqliteQueryCompiler extends SqliteQueryCompiler {
  protected override getCurrentParameterPlaceholder(): string {
    return `$${this.numParameters}`;
  }
}

class Recorder {
  readonly statements: string[] = [];
  recording = false;
  private readonly pending: Reply[];

  constructor(replies: readonly Reply[]) {
    this.pending = [...replies];
  }

  note(statement: string): void {
    if (this.recording) this.statements.push(statement);
  }

  answer(query: CompiledQuery): QueryResult<Row> {
    this.note(query.sql);
    const at = this.recording ? this.pending.findIndex((r) => query.sql.includes(r.when)) : -1;
    const reply = at >= 0 ? this.pending.splice(at, 1)[0] : undefined;
    return { rows: reply?.rows ?? [], numAffectedRows: BigInt(reply?.affected ?? 0) };
  }

  /** Replies that matched no statement: a stale declaration, or a typo in `when`. */
  unused(): string[] {
    return this.pending.map((r) => r.when);
  }
}

class RecordingDriver implements Driver {
  constructor(private readonly recorder: Recorder) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const recorder = this.recorder;
    return {
      executeQuery: async <R>(query: CompiledQuery) => recorder.answer(query) as QueryResult<R>,
      // eslint-disable-next-line require-yield -- nothing to stream: no statement streams today
      streamQuery: async function* <R>(): AsyncIterableIterator<QueryResult<R>> {
        throw new Error('The query recorder does not stream.');
      },
    };
  }
  async beginTransaction(): Promise<void> {
    this.recorder.note('begin');
  }
  async commitTransaction(): Promise<void> {
    this.recorder.note('commit');
  }
  async rollbackTransaction(): Promise<void> {
    this.recorder.note('rollback');
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

function recordingDialect(dialect: Dialect, recorder: Recorder): KyselyDialect {
  const driver = new RecordingDriver(recorder);
  if (dialect === 'postgres') {
    return {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: (): QueryCompiler => new PostgresQueryCompiler(),
    };
  }
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: (): QueryCompiler => new NumberedSqliteQueryCompiler(),
  };
}

/** The statements one run of `run` sends, in order (`begin`/`commit` for transactions it opens). */
export async function recordStatements(
  dialect: Dialect,
  run: (target: QueryTarget) => unknown,
  replies: readonly Reply[] = [],
): Promise<string[]> {
  const recorder = new Recorder(replies);
  // Two instances over one recorder: the call's transaction holds a connection of the first, and a
  // function that takes the `Db` opens its own on the second (SQLite has one connection per instance).
  const outer = new Kysely<Database>({ dialect: recordingDialect(dialect, recorder) });
  const kysely = new Kysely<Database>({ dialect: recordingDialect(dialect, recorder) });
  const db: Db = { kysely, dialect, describe: 'query recorder', close: () => kysely.destroy() };
  try {
    // The call runs in a transaction, so it type-checks whether it wants a transaction or not;
    // that transaction's own begin/commit are outside the recording.
    await outer.transaction().execute(async (trx) => {
      recorder.recording = true;
      try {
        await run({ trx, db });
      } finally {
        recorder.recording = false;
      }
    });
  } catch (err) {
    const after = recorder.statements.length;
    throw new Error(
      `it threw after ${after} statement(s): ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
      },
    );
  } finally {
    await Promise.all([outer.destroy(), kysely.destroy()]);
  }
  const unused = recorder.unused();
  if (unused.length > 0) {
    throw new Error(
      `no statement matched the replies for ${unused.map((w) => JSON.stringify(w)).join(', ')}`,
    );
  }
  return recorder.statements;
}
