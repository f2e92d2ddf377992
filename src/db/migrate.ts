import { sql } from 'kysely';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import type { Db } from './connection.js';
import { allMigrations } from './migrations/index.js';
import type { MigrationContext } from './migrations/migration-context.js';

/**
 * Brings the schema up to date. Kysely's migrator takes a lock (an advisory lock on PostgreSQL),
 * so several instances starting at once migrate exactly once. `context.keyring` is needed only by a
 * migration that encrypts values stored in clear (it fails, saying so, when there are some).
 */
export async function migrateToLatest(db: Db, context: MigrationContext = {}): Promise<string[]> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => allMigrations(db.dialect, context) },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${String(result.error)}`);
  }
  const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  // A migration that encrypted or dropped values in clear leaves their old pages in SQLite's WAL
  // until it is overwritten: empty it now (the main file's freed pages are zeroed: secure_delete).
  if (applied.length > 0 && db.dialect === 'sqlite') {
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db.kysely);
  }
  return applied;
}
