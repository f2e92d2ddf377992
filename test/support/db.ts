/**
 * Database test harness: `describeEachDb` runs a suite once on SQLite and once on PostgreSQL
 * (when DATABASE_URL is set). Each suite gets a fresh database: a temporary directory for SQLite,
 * a new `vigil_t_*` database on the PostgreSQL server for PostgreSQL (copied from the template the
 * api tier's global setup migrated once, see pg.ts), dropped afterwards.
 *
 * Test databases do not wait for the disk on commit (SQLite `synchronous = NORMAL` on the harness's
 * connection, PostgreSQL `synchronous_commit = off`): that changes nothing a test can observe but
 * a power loss. Vigil opens SQLite with `synchronous = FULL`, which test/durability checks
 * through the real server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openDb, type Db, type Dialect } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createPgDatabase, databaseUrl, dropPgDatabase, testDatabaseName } from './pg.js';

declare module 'vitest' {
  interface ProvidedContext {
    /** The migrated PostgreSQL database that test databases are copied from (api tier, with DATABASE_URL). */
    pgTemplate: string | undefined;
  }
}

export const pgBaseUrl = process.env.DATABASE_URL;
export const testDialects: Dialect[] = pgBaseUrl ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDb {
  db: Db;
  /** SQLite: the data directory. PostgreSQL: the database URL. */
  location: { dataDir?: string; databaseUrl?: string };
}

/** Creates a fresh, migrated database of the given dialect. */
export async function createTestDb(
  dialect: Dialect,
  migrate = true,
): Promise<TestDb & { drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-test-'));
    const db = openDb({ dataDir });
    await sql`pragma synchronous = NORMAL`.execute(db.kysely);
    if (migrate) await migrateToLatest(db);
    return {
      db,
      location: { dataDir },
      async drop() {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  if (!pgBaseUrl) throw new Error('DATABASE_URL is not set');
  const name = testDatabaseName();
  // Outside the api tier (a single file run with another config) there is no template: migrate.
  const template = migrate ? inject('pgTemplate') : undefined;
  await createPgDatabase(pgBaseUrl, name, template);
  const url = databaseUrl(pgBaseUrl, name);
  const db = openDb({ databaseUrl: url, poolSize: 5 });
  if (migrate && !template) await migrateToLatest(db);
  return {
    db,
    location: { databaseUrl: url },
    async drop() {
      await db.close();
      await dropPgDatabase(pgBaseUrl, name);
    },
  };
}

/**
 * Declares a suite that runs on every available database. `fn` receives a getter for the suite's
 * database, created before its tests and dropped after them.
 */
export function describeEachDb(title: string, fn: (get: () => TestDb, dialect: Dialect) => void): void {
  for (const dialect of testDialects) {
    describe(`${title} [${dialect}]`, () => {
      let current: (TestDb & { drop(): Promise<void> }) | undefined;
      beforeAll(async () => {
        current = await createTestDb(dialect);
      });
      afterAll(async () => {
        await current?.drop();
      });
      fn(() => {
        if (!current) throw new Error('test database not ready');
        return current;
      }, dialect);
    });
  }
}
