/**
 * A throwaway database for one benchmark run: a temporary data directory for SQLite, or a new
 * `vigil_bench_*` database on the DATABASE_URL server for PostgreSQL, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDb } from '../../dist/src/db/connection.js';
import { migrateToLatest } from '../../dist/src/db/migrate.js';

/**
 * Creates and migrates a fresh database. Returns its location (what openDb takes, for the server
 * processes), an open handle for seeding, and `drop()`, which closes the handle and deletes it all.
 */
export async function createBenchDb(dialect, baseUrl) {
  if (dialect === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
    const location = { dataDir };
    const db = openDb(location);
    await migrateToLatest(db);
    return {
      location,
      db,
      async drop() {
        await db.close();
        if (process.env.BENCH_KEEP === '1') console.log(`kept ${dataDir}`);
        else rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `vigil_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(baseUrl, `create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const location = { databaseUrl: url.toString() };
  const db = openDb(location);
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.close();
    await adminQuery(baseUrl, `drop database if exists ${name} with (force)`);
    throw err;
  }
  return {
    location,
    db,
    async drop() {
      await db.close();
      await adminQuery(baseUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(baseUrl, text) {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
