/**
 * Migration 20261206100300_webhook_events on a database that already holds a webhook and its
 * delivery: the webhook receives every event (no list stored), the delivery is kept (occurrence
 * ''), and the new unique key lets the same event about the same case be posted again for another
 * occurrence, never twice for the same one.
 */
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { allMigrations } from '../../src/db/migrations/index.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { insertDelivery } from '../../src/modules/webhooks/webhooks.repo.js';
import { createTestDb, testDialects } from '../support/db.js';

const AT = '2026-11-20T10:00:00.000Z';
const MIGRATION = '20261206100300_webhook_events';

for (const dialect of testDialects) {
  describe(`the webhook events migration on a database with deliveries [${dialect}]`, () => {
    let tdb: Awaited<ReturnType<typeof createTestDb>>;
    beforeAll(async () => {
      tdb = await createTestDb(dialect, false);
    });
    afterAll(async () => {
      await tdb?.drop();
    });

    it('keeps the deliveries and lets an event be posted once per occurrence', async () => {
      const { db } = tdb;
      const migrator = new Migrator({
        db: db.kysely,
        provider: { getMigrations: async () => allMigrations(db.dialect) },
      });
      const before = Object.keys(allMigrations(db.dialect))
        .sort()
        .filter((n) => n < MIGRATION);
      expect((await migrator.migrateTo(before.at(-1) ?? '')).error).toBeUndefined();

      await sql`insert into projects (id, slug, name, policy_version, created_at, updated_at)
        values ('p1', 'old', 'Old', 1, ${AT}, ${AT})`.execute(db.kysely);
      await sql`insert into cases (id, project_id, human_id, state, channel, title_enc, report_enc,
          reporter_token_hash, reporter_token_enc, received_at, updated_at)
        values ('c1', 'p1', 'OLD-2026-0001', 'published', 'web', 'x', 'x', 'h1', 'x', ${AT}, ${AT})`.execute(
        db.kysely,
      );
      await sql`insert into webhooks (id, project_id, kind, label, url_enc, url_origin, secret_enc, state,
          created_by, created_at, removed_at, updated_at)
        values ('w1', 'p1', 'json', 'Old hook', 'x', 'https://hooks.example.org', 'x', 'active', null,
          ${AT}, null, ${AT})`.execute(db.kysely);
      await sql`insert into webhook_deliveries (id, webhook_id, project_id, case_id, event, state, attempts,
          status_code, last_error, delivered_at, created_at, updated_at)
        values ('d1', 'w1', 'p1', 'c1', 'advisory.published', 'sent', 1, 204, null, ${AT}, ${AT}, ${AT})`.execute(
        db.kysely,
      );

      await migrateToLatest(db, { keyring: () => createKeyring({ current: Buffer.alloc(32, 1) }) });

      const hook = await db.kysely.selectFrom('webhooks').select('events_json').executeTakeFirstOrThrow();
      expect(hook.events_json).toBeNull();
      const kept = await db.kysely.selectFrom('webhook_deliveries').selectAll().execute();
      expect(kept).toEqual([
        {
          id: 'd1',
          webhook_id: 'w1',
          project_id: 'p1',
          case_id: 'c1',
          event: 'advisory.published',
          occurrence: '',
          detail: null,
          state: 'sent',
          attempts: 1,
          status_code: 204,
          last_error: null,
          delivered_at: AT,
          created_at: AT,
          updated_at: AT,
        },
      ]);
      const delivery = (id: string, occurrence: string) => ({
        id,
        webhook_id: 'w1',
        project_id: 'p1',
        case_id: 'c1',
        event: 'case.transition',
        occurrence,
        detail: 'triage',
        state: 'queued',
        attempts: 0,
        status_code: null,
        last_error: null,
        delivered_at: null,
        created_at: AT,
        updated_at: AT,
      });
      const added = await db.kysely
        .transaction()
        .execute(async (trx) => [
          await insertDelivery(trx, delivery('d2', `triage:${AT}`)),
          await insertDelivery(trx, delivery('d3', 'triage:2026-11-21T10:00:00.000Z')),
          await insertDelivery(trx, delivery('d4', `triage:${AT}`)),
        ]);
      expect(added).toEqual([true, true, false]);
    });
  });
}
