/**
 * Database test harness: `describeEachDb` runs a suite once on SQLite and once on PostgreSQL
 * (when DATABASE_URL is set). Each suite gets a fresh database: a temporary directory for SQLite,
 * a new `vigil_t_*` database on the PostgreSQL server for PostgreSQL, dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDb, type Db, type Dialect } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';

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
  const name = `vigil_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgBaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(pgBaseUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const db = openDb({ databaseUrl, poolSize: 5 });
  if (migrate) await migrateToLatest(db);
  return {
    db,
    location: { databaseUrl },
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: pgBaseUrl });
      await c.connect();
      try {
        // The pool's sockets close just after close() resolves: wait for them rather than
        // terminating them (which would surface as an error on a client that is ending).
        for (let attempt = 0; ; attempt++) {
          try {
            await c.query(`drop database if exists ${name}`);
            break;
          } catch (err) {
            if ((err as { code?: string }).code !== '55006' || attempt >= 50) throw err;
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      } finally {
        await c.end();
      }
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
