/**
 * Everything a test database holds, as text: the raw SQLite files, or a pg_dump of PostgreSQL.
 * The at-rest tests plant canaries through the real code and search the dump for them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { TestDb } from './db.js';

const PG_DUMP_FALLBACK = '/usr/lib/postgresql/15/bin/pg_dump';

function findPgDump(): string | undefined {
  const onPath = spawnSync('pg_dump', ['--version'], { encoding: 'utf8' });
  if (onPath.status === 0) return 'pg_dump';
  return existsSync(PG_DUMP_FALLBACK) ? PG_DUMP_FALLBACK : undefined;
}

/** Everything the database holds, as text: the raw files for SQLite, a dump for PostgreSQL. */
export async function dumpDatabase({ db, location }: TestDb): Promise<string> {
  if (db.dialect === 'sqlite') {
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db.kysely);
    const file = join(location.dataDir ?? '', 'vigil.sqlite');
    const parts = [readFileSync(file)];
    if (existsSync(`${file}-wal`)) parts.push(readFileSync(`${file}-wal`));
    return Buffer.concat(parts).toString('latin1');
  }
  const pgDump = findPgDump();
  if (pgDump) {
    const dump = spawnSync(pgDump, ['--no-owner', `--dbname=${location.databaseUrl ?? ''}`], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr}`);
    return dump.stdout;
  }
  // No pg_dump: every text column of every table.
  const columns = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and data_type in ('text', 'character varying')`.execute(db.kysely);
  const values: string[] = [];
  for (const c of columns.rows) {
    const rows = await sql<{ v: string | null }>`
      select ${sql.ref(c.column_name)} as v from ${sql.table(c.table_name)}`.execute(db.kysely);
    for (const r of rows.rows) if (r.v !== null) values.push(r.v);
  }
  return values.join('\n');
}
