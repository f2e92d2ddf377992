import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { fieldAad } from '../../lib/crypto/encrypted-fields.js';
import { CVE_INDEX_SECRET, cveIdIndex, normaliseCveId } from '../../lib/crypto/keyed-index.js';
import { instanceSecretIn } from '../../lib/instance-secrets.js';
import type { Dialect } from '../connection.js';
import type { Database } from '../schema.js';
import { requireKeyring, type MigrationContext } from './migration-context.js';

const NAME = '20261204000700_encrypted_cve';

/**
 * An embargoed advisory's CVE id and its CNA request were plaintext columns (the review found a
 * CVE id in `vigil.sqlite` and its WAL). They become `cve_id_enc` and `cve_request_enc`,
 * encrypted like every confidential field, and `cve_id_index`, a keyed hash (keyed-index.ts) for
 * lookups and the rule that a CVE id a team records is unique in the instance. Existing rows are
 * encrypted here (which needs the keyring), then the plaintext columns are dropped. On SQLite
 * `secure_delete` (set on every connection) zeroes the freed plaintext in the file.
 */
export function encryptedCve(_dialect: Dialect, context: MigrationContext = {}): Migration {
  return {
    async up(untyped: Kysely<unknown>) {
      const db = untyped as Kysely<Database>;
      const rows = await sql<{
        id: string;
        state: string;
        cve_id: string | null;
        cve_request_json: string | null;
      }>`select id, state, cve_id, cve_request_json from advisories
         where cve_id is not null or cve_request_json is not null
         order by created_at, id`.execute(untyped);
      // The keyring is checked before any change: without it nothing is altered.
      const keyring =
        rows.rows.length > 0
          ? requireKeyring(context, NAME, 'encrypts the CVE ids and CNA requests already stored')
          : undefined;
      await untyped.schema.alterTable('advisories').addColumn('cve_id_enc', 'text').execute();
      await untyped.schema.alterTable('advisories').addColumn('cve_request_enc', 'text').execute();
      await untyped.schema.alterTable('advisories').addColumn('cve_id_index', 'text').execute();

      if (keyring) {
        const indexKey = await instanceSecretIn(db, keyring, new Date().toISOString(), CVE_INDEX_SECRET);
        /** A draft's CVE id is unique: a second draft holding it keeps its id, without the index. */
        const taken = new Set<string>();
        for (const r of rows.rows) {
          const cveId = r.cve_id === null ? null : normaliseCveId(r.cve_id);
          let index: string | null = null;
          if (cveId !== null) {
            index = cveIdIndex(indexKey, cveId);
            if (r.state === 'draft' && taken.has(index)) index = null;
            else if (r.state === 'draft') taken.add(index);
          }
          await db
            .updateTable('advisories')
            .set({
              cve_id_enc:
                cveId === null
                  ? null
                  : keyring.encryptField(cveId, fieldAad('advisories', 'cve_id_enc', r.id)),
              cve_request_enc:
                r.cve_request_json === null
                  ? null
                  : keyring.encryptField(r.cve_request_json, fieldAad('advisories', 'cve_request_enc', r.id)),
              cve_id_index: index,
            })
            .where('id', '=', r.id)
            .execute();
        }
      }
      await untyped.schema.alterTable('advisories').dropColumn('cve_id').execute();
      await untyped.schema.alterTable('advisories').dropColumn('cve_request_json').execute();
      // Lookups by CVE id; and one draft per CVE id in the instance, so two teams racing to record
      // the same id cannot both succeed (the service also refuses an id a published advisory
      // holds; imported history may repeat one, and withdrawn or rejected advisories let it go).
      await untyped.schema
        .createIndex('advisories_cve_id_index_idx')
        .on('advisories')
        .column('cve_id_index')
        .execute();
      await sql`create unique index advisories_cve_id_index_draft_uq on advisories (cve_id_index)
        where state = 'draft'`.execute(untyped);
    },
  };
}
