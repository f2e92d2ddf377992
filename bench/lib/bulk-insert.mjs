/**
 * Fast bulk inserts for seeding: multi-row INSERT statements (no COPY), prepared once per table,
 * column list and row count, on a connection of their own, inside explicit transactions.
 *
 * SQLite: a second better-sqlite3 connection on the benchmark's file with `synchronous = OFF` and a
 * large page cache (the data is thrown away after the run; the servers keep their own
 * `synchronous = FULL` connections). PostgreSQL: one pg client, named prepared statements, chunks
 * under the 65,535-parameter limit.
 *
 * It also reads the live schema (`columnsOf`), so the seeder fills whatever columns the current
 * migrations define and skips generated ones.
 */
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

const SQLITE_MAX_PARAMS = 32_000;
const PG_MAX_PARAMS = 60_000;

/** Opens a bulk writer on the database at `location` (what openDb takes). */
export async function openBulkWriter(location) {
  return location.databaseUrl ? openPg(location.databaseUrl) : openSqlite(location.dataDir);
}

function chunkRows(columns, maxParams) {
  return Math.max(1, Math.min(1000, Math.floor(maxParams / columns.length)));
}

function insertText(table, columns, n, placeholder) {
  const cols = columns.map((c) => `"${c}"`).join(', ');
  const tuples = [];
  let p = 0;
  for (let r = 0; r < n; r += 1) {
    const ph = columns.map(() => placeholder((p += 1)));
    tuples.push(`(${ph.join(', ')})`);
  }
  return `insert into "${table}" (${cols}) values ${tuples.join(', ')}`;
}

function openSqlite(dataDir) {
  const sqlite = new BetterSqlite3(join(dataDir, 'vigil.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('busy_timeout = 30000');
  sqlite.pragma('cache_size = -524288'); // 512 MB
  const statements = new Map();
  const prepared = (table, columns, n) => {
    const key = `${table}|${columns.join(',')}|${n}`;
    let s = statements.get(key);
    if (!s) {
      s = sqlite.prepare(insertText(table, columns, n, () => '?'));
      statements.set(key, s);
    }
    return s;
  };
  return {
    dialect: 'sqlite',
    async columnsOf(table) {
      // hidden: 0 normal, 2 or 3 generated (virtual, stored).
      return sqlite
        .prepare(`select name, "notnull" as required, dflt_value, hidden from pragma_table_xinfo(?)`)
        .all(table)
        .map((c) => ({
          name: c.name,
          required: c.required === 1 && c.dflt_value === null,
          generated: c.hidden === 2 || c.hidden === 3,
        }));
    },
    async tableExists(table) {
      return (
        sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = ?`).get(table) !==
        undefined
      );
    },
    async insert(table, columns, rows) {
      const per = chunkRows(columns, SQLITE_MAX_PARAMS);
      for (let i = 0; i < rows.length; i += per) {
        const slice = rows.slice(i, i + per);
        const values = [];
        for (const row of slice) for (const c of columns) values.push(row[c] ?? null);
        prepared(table, columns, slice.length).run(values);
      }
    },
    async query(text, params = []) {
      const s = sqlite.prepare(text);
      return s.reader ? s.all(params) : (s.run(params), []);
    },
    async begin() {
      sqlite.exec('begin immediate');
    },
    async commit() {
      sqlite.exec('commit');
    },
    async rollback() {
      if (sqlite.inTransaction) sqlite.exec('rollback');
    },
    async analyze() {
      sqlite.exec('analyze');
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
    },
    async close() {
      sqlite.close();
    },
  };
}

async function openPg(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('set synchronous_commit = off');
  const statements = new Map();
  const named = (table, columns, n) => {
    const key = `${table}|${columns.join(',')}|${n}`;
    let s = statements.get(key);
    if (!s) {
      s = { name: `bulk_${statements.size}`, text: insertText(table, columns, n, (i) => `$${i}`) };
      statements.set(key, s);
    }
    return s;
  };
  return {
    dialect: 'postgres',
    async columnsOf(table) {
      const r = await client.query(
        `select column_name, is_nullable, column_default, is_generated
           from information_schema.columns where table_schema = current_schema() and table_name = $1`,
        [table],
      );
      return r.rows.map((c) => ({
        name: c.column_name,
        required: c.is_nullable === 'NO' && c.column_default === null && c.is_generated !== 'ALWAYS',
        generated: c.is_generated === 'ALWAYS',
      }));
    },
    async tableExists(table) {
      const r = await client.query(`select to_regclass($1) as t`, [table]);
      return r.rows[0].t !== null;
    },
    async insert(table, columns, rows) {
      const per = chunkRows(columns, PG_MAX_PARAMS);
      for (let i = 0; i < rows.length; i += per) {
        const slice = rows.slice(i, i + per);
        const values = [];
        for (const row of slice) for (const c of columns) values.push(row[c] ?? null);
        // A named statement is parsed and planned once per connection, then reused.
        const { name, text } = named(table, columns, slice.length);
        await client.query({ name, text, values });
      }
    },
    async query(text, params = []) {
      return (await client.query(text, params)).rows;
    },
    async begin() {
      await client.query('begin');
    },
    async commit() {
      await client.query('commit');
    },
    async rollback() {
      await client.query('rollback');
    },
    async analyze() {
      await client.query('vacuum analyze');
    },
    async close() {
      await client.end();
    },
  };
}
