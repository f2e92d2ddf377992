/**
 * The PostgreSQL side of the database harness, without vitest (the api tier's global setup uses
 * it too): test databases are created from a template migrated once per run, and commit without
 * waiting for the WAL flush (`synchronous_commit = off`: what a commit shows to other sessions is
 * unchanged, only a crash of the PostgreSQL server could lose it). Vigil's own durability is tested
 * on SQLite in test/durability.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** `base` pointing at database `name` instead. */
export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh name for a test database: `vigil_t_<hex>`. */
export function testDatabaseName(): string {
  return `vigil_t_${randomBytes(6).toString('hex')}`;
}

async function withAdmin<T>(base: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/** Creates database `name` (a copy of `template` when given) whose commits do not wait for the disk. */
export function createPgDatabase(base: string, name: string, template?: string): Promise<void> {
  return withAdmin(base, async (admin) => {
    await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
    await admin.query(`alter database ${name} set synchronous_commit = off`);
  });
}

/** Drops database `name`, waiting for the sockets of a pool that was just closed. */
export function dropPgDatabase(base: string, name: string): Promise<void> {
  return withAdmin(base, async (admin) => {
    // The pool's sockets close just after close() resolves: wait for them rather than
    // terminating them (which would surface as an error on a client that is ending).
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`drop database if exists ${name}`);
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== '55006' || attempt >= 50) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });
}

/** Creates a database with every migration applied, for test databases to be copied from; its name. */
export async function createPgTemplate(base: string): Promise<string> {
  const name = testDatabaseName();
  await createPgDatabase(base, name);
  const db = openDb({ databaseUrl: databaseUrl(base, name), poolSize: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.close();
  }
  return name;
}
