/**
 * Migration 20261205000000_inbox on a database that already holds cases: it indexes their titles
 * for the search (decrypting them, so only with the keyring) and generates the order keys.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { allMigrations } from '../../src/db/migrations/index.js';
import { fixedClock } from '../../src/lib/clock.js';
import { fieldAad } from '../../src/lib/crypto/encrypted-fields.js';
import { CASE_SEARCH_SECRET, titleSearchQuery, titleTerms } from '../../src/lib/crypto/keyed-index.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { instanceSecret } from '../../src/lib/instance-secrets.js';
import { listInboxPage } from '../../src/modules/cases/cases.repo.js';
import { createTestDb, testDialects } from '../support/db.js';

const AT = '2026-11-20T10:00:00.000Z';

for (const dialect of testDialects) {
  describe(`the inbox migration on a database with cases [${dialect}]`, () => {
    let tdb: Awaited<ReturnType<typeof createTestDb>>;
    beforeAll(async () => {
      tdb = await createTestDb(dialect, false);
    });
    afterAll(async () => {
      await tdb?.drop();
    });

    it('indexes the stored titles with the keyring (refusing without it) and generates the order keys', async () => {
      const { db } = tdb;
      const migrator = new Migrator({
        db: db.kysely,
        provider: { getMigrations: async () => allMigrations(db.dialect) },
      });
      const before = Object.keys(allMigrations(db.dialect))
        .sort()
        .filter((n) => n < '20261205000000_inbox');
      expect((await migrator.migrateTo(before.at(-1) ?? '')).error).toBeUndefined();

      const keyring = createKeyring({ current: randomBytes(32) });
      await sql`insert into projects (id, slug, name, policy_version, created_at, updated_at)
        values ('p1', 'old', 'Old', 1, ${AT}, ${AT})`.execute(db.kysely);
      const cases = [
        {
          id: 'c1',
          title: 'Heap overflow in the Überlauf parser',
          due: '2026-11-23T10:00:00.000Z',
          answered: null,
        },
        {
          id: 'c2',
          title: 'Crash on start',
          due: '2026-11-23T10:00:00.000Z',
          answered: '2026-11-21T09:00:00.000Z',
        },
      ];
      for (const [i, c] of cases.entries()) {
        await sql`insert into cases (id, project_id, human_id, state, channel, title_enc, report_enc,
            reporter_token_hash, reporter_token_enc, received_at, updated_at, first_response_due_at,
            first_responded_at)
          values (${c.id}, 'p1', ${`OLD-2026-000${i + 1}`}, 'received', 'web',
            ${keyring.encryptField(c.title, fieldAad('cases', 'title_enc', c.id))}, 'x', ${`h${i}`}, 'x',
            ${AT}, ${AT}, ${c.due}, ${c.answered})`.execute(db.kysely);
      }

      // Without the keyring it refuses, saying why, and changes nothing.
      await expect(migrateToLatest(db)).rejects.toThrow(/master key/);
      await migrateToLatest(db, { keyring: () => keyring });

      const key = await instanceSecret(db, keyring, fixedClock(AT), CASE_SEARCH_SECRET);
      for (const c of cases) {
        const stored = await db.kysely
          .selectFrom('case_search_terms')
          .select(['term', 'project_id'])
          .where('case_id', '=', c.id)
          .execute();
        expect(stored.map((r) => r.term).sort()).toEqual(titleTerms(key, c.title).sort());
        expect(stored.every((r) => r.project_id === 'p1')).toBe(true);
      }
      const keys = await db.kysely
        .selectFrom('cases')
        .select(['id', 'urgency_key', 'received_key'])
        .orderBy('id')
        .execute();
      // 2026-11-20T10:00:00.000Z with each digit d as 9 - d: newest first in ascending order.
      const newestFirst = '7973-88-79T89:99:99.999Z';
      expect(keys).toEqual([
        { id: 'c1', urgency_key: '0' + '2026-11-23T10:00:00.000Z', received_key: '0' + newestFirst },
        { id: 'c2', urgency_key: '3' + newestFirst, received_key: '0' + newestFirst },
      ]);
      // The search finds the first by a word, whatever its accents.
      const found = await listInboxPage(
        db.kysely,
        {
          projectIds: ['p1'],
          caseIds: [],
          sort: 'urgency',
          held: false,
          search: titleSearchQuery(key, 'uberlauf HEAP'),
        },
        undefined,
        10,
      );
      expect(found.map((r) => r.id)).toEqual(['c1']);
    });
  });
}
