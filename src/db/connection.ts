/**
 * Opens the database: embedded SQLite under a data directory by default, PostgreSQL when a
 * `postgres://` URL is given. Both run the same migrations and the same Kysely queries.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type Dialect as KyselyDialect,
  type KyselyConfig,
  type LogEvent,
  type Transaction,
} from 'kysely';
import type pg from 'pg';
import { lazyRequire } from '../lib/lazy.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Where the database lives, for messages (never contains a password). */
  describe: string;
  close(): Promise<void>;
}

/**
 * What a read takes: the database or an open transaction, narrowed to the query builder's read
 * entry points, so a function typed as a read cannot call `insertInto`, `updateTable` or
 * `deleteFrom` (raw SQL stays possible through `getExecutor`: reads that need it are reviewed
 * through the query snapshots).
 */
export type DbReader = Pick<
  Kysely<Database>,
  'selectFrom' | 'selectNoFrom' | 'with' | 'withRecursive' | 'fn' | 'dynamic' | 'getExecutor'
>;

/**
 * An open transaction. Every write that is part of a state change takes this type, and so do
 * `appendAuditEvent`, `enqueueJob` and `applyTransition`: the type check refuses a call with the
 * bare database, so an audit event or a job can only be written inside the mutation's transaction.
 */
export type DbTransaction = Transaction<Database>;

/**
 * A write that stands alone, in or out of a transaction: bookkeeping that no audit event
 * describes (a session's last use, a rate-limit counter, the job runner's claims).
 */
export type DbWriter = Kysely<Database> | Transaction<Database>;

export interface DbOptions {
  /** `postgres://...`; when absent, SQLite under `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /**
   * Told of every statement run, with its SQL text (placeholders, never the values) and how long
   * it took: the slow-query log (`VIGIL_SLOW_QUERY_MS`) and the tests of query plans.
   */
  onQuery?: ((sql: string, ms: number) => void) | undefined;
}

function queryLog(onQuery: DbOptions['onQuery']): Pick<KyselyConfig, 'log'> {
  if (!onQuery) return {};
  return { log: (event: LogEvent) => onQuery(event.query.sql, event.queryDurationMillis) };
}

/** node-postgres, loaded only when a PostgreSQL database is opened (never in SQLite mode). */
const pgModule = lazyRequire<typeof pg>('pg');
let pgConfigured = false;
function postgres(): typeof pg {
  const module = pgModule();
  if (!pgConfigured) {
    // int8 (counts, bigserial) as numbers: every value Vigil keeps fits in 2^53.
    module.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
    pgConfigured = true;
  }
  return module;
}

/** Opens the configured database. */
export function openDb(options: DbOptions): Db {
  const url = options.databaseUrl;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
    }
    const pool = new (postgres().Pool)({ connectionString: url, max: options.poolSize ?? 10 });
    // An idle connection that the server closes (a restart, a failover) is discarded by the pool;
    // without a listener the 'error' event would crash the process instead.
    pool.on('error', (err) =>
      console.warn(`vigil: an idle PostgreSQL connection failed and was dropped: ${err.message}`),
    );
    const kysely = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      ...queryLog(options.onQuery),
    });
    return {
      kysely,
      dialect: 'postgres',
      describe: redactUrl(url),
      close: () => kysely.destroy(),
    };
  }
  const dir = options.dataDir ?? 'data';
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'vigil.sqlite');
  const sqlite = new BetterSqlite3(file);
  // WAL for concurrent readers; synchronous=FULL so a commit acknowledged to a client is on disk
  // before the client hears of it (survives kill -9 and power loss); foreign keys are off by default.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted and overwritten content is zeroed rather than left in free space: a value that is
  // re-encrypted or removed does not linger in clear in the file.
  sqlite.pragma('secure_delete = ON');
  const kysely = new Kysely<Database>({
    dialect: immediateTransactions(
      new SqliteDialect({ database: { prepare: cachedPrepare(sqlite), close: () => sqlite.close() } }),
    ),
    ...queryLog(options.onQuery),
  });
  return { kysely, dialect: 'sqlite', describe: file, close: () => kysely.destroy() };
}

/** How many prepared statements a SQLite connection keeps: Vigil's queries are a few hundred texts. */
export const STATEMENT_CACHE_SIZE = 1000;

/**
 * better-sqlite3's `prepare` with the statements kept by SQL text (Kysely prepares every query
 * anew, which cost about 5 % of a report's time; issue 12). Bounded: the least recently used
 * statement goes first. Kysely compiles values to parameters, so the texts are the queries' shapes,
 * not their data (an `in (?, ?, ...)` list makes one text per length). A statement still being
 * iterated (a streamed query) is never handed out twice: another is prepared for the second use.
 * SQLite re-prepares a statement by itself when the schema changes (a migration).
 */
export function cachedPrepare(
  sqlite: BetterSqlite3.Database,
  size = STATEMENT_CACHE_SIZE,
): (sql: string) => BetterSqlite3.Statement {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return (sql) => {
    const cached = statements.get(sql);
    if (cached) {
      if (cached.busy) return sqlite.prepare(sql);
      // Map order is insertion order: re-inserting marks it as the most recently used.
      statements.delete(sql);
      statements.set(sql, cached);
      return cached;
    }
    const statement = sqlite.prepare(sql);
    statements.set(sql, statement);
    if (statements.size > size) {
      const oldest = statements.keys().next().value;
      if (oldest !== undefined) statements.delete(oldest);
    }
    return statement;
  };
}

/** Removes the password from a connection URL so that it can be printed or logged. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/**
 * SQLite transactions that take the write lock when they begin (`begin immediate`), not at their
 * first write. Another process on the same file (the CLI beside a running server, a second job
 * runner) may commit between a deferred transaction's first read and its first write; SQLite then
 * refuses the upgrade at once ("database is locked", SQLITE_BUSY_SNAPSHOT) instead of waiting out
 * busy_timeout. Taken at the start, the lock is waited for like any other. In one process Kysely
 * already runs one transaction at a time on the one connection, so nothing waits longer there.
 */
function immediateTransactions(dialect: SqliteDialect): KyselyDialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => {
      const driver = dialect.createDriver();
      driver.beginTransaction = async (connection) => {
        await connection.executeQuery(CompiledQuery.raw('begin immediate'));
      };
      return driver;
    },
  };
}
