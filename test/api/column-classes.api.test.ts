/**
 * Every column of the migrated schema is classified in src/db/column-classes.ts (public,
 * confidential, secret), read from the database itself on SQLite and PostgreSQL, so a column added
 * by any migration without a class fails here. A confidential column is encrypted (`*_enc`,
 * registered for rotation) unless the file says why it is kept readable; a secret one is hashed or
 * encrypted unless it says why.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { classOf, columnRule, COLUMN_CLASSES, MIGRATOR_TABLES } from '../../src/db/column-classes.js';
import type { Db } from '../../src/db/connection.js';
import { ENCRYPTED_FIELDS, fieldName } from '../../src/lib/crypto/encrypted-fields.js';
import { describeEachDb } from '../support/db.js';

/** `table.column` of every column the database holds (generated ones too: SQLite lists them in table_xinfo). */
export async function schemaColumns(db: Db): Promise<string[]> {
  if (db.dialect === 'sqlite') {
    const rows = await sql<{ t: string; c: string }>`
      select m.name as t, p.name as c from sqlite_master m, pragma_table_xinfo(m.name) p
      where m.type = 'table' and m.name not like 'sqlite_%'`.execute(db.kysely);
    return rows.rows.map((r) => `${r.t}.${r.c}`).sort();
  }
  const rows = await sql<{ t: string; c: string }>`
    select table_name as t, column_name as c from information_schema.columns
    where table_schema = current_schema()`.execute(db.kysely);
  return rows.rows.map((r) => `${r.t}.${r.c}`).sort();
}

describeEachDb('every column is classified', (get) => {
  it('classifies every column of the migrated schema, and nothing that is not there', async () => {
    const columns = await schemaColumns(get().db);
    expect(columns.length).toBeGreaterThan(300);
    const unclassified = columns.filter((tc) => {
      const [table = '', column = ''] = tc.split('.');
      return columnRule(table, column) === undefined;
    });
    expect(unclassified, 'classify these columns in src/db/column-classes.ts').toEqual([]);
    const declared = Object.entries({ ...COLUMN_CLASSES, ...MIGRATOR_TABLES }).flatMap(([t, cols]) =>
      Object.keys(cols).map((c) => `${t}.${c}`),
    );
    expect(
      declared.filter((tc) => !columns.includes(tc)),
      'classified but not in the schema',
    ).toEqual([]);
  });

  it('keeps confidential columns encrypted and secret ones hashed or encrypted, unless the file says why', async () => {
    const columns = await schemaColumns(get().db);
    const registered = new Set(ENCRYPTED_FIELDS.map(fieldName));
    const wrong: string[] = [];
    for (const tc of columns) {
      const [table = '', column = ''] = tc.split('.');
      const rule = columnRule(table, column);
      if (rule === undefined) continue;
      const cls = classOf(rule);
      const justified = typeof rule === 'object' && rule.inClear.length >= 20;
      const encrypted = column.endsWith('_enc');
      if (encrypted && !registered.has(tc))
        wrong.push(`${tc}: *_enc but not in ENCRYPTED_FIELDS (no rotation)`);
      if (encrypted && cls === 'public') wrong.push(`${tc}: encrypted, so not public`);
      if (cls === 'confidential' && !encrypted && !justified) wrong.push(`${tc}: confidential in clear`);
      if (cls === 'secret' && !encrypted && !column.endsWith('_hash') && !justified) {
        wrong.push(`${tc}: a secret neither hashed nor encrypted`);
      }
      if (typeof rule === 'object' && encrypted) wrong.push(`${tc}: marked in clear but encrypted`);
    }
    for (const f of registered)
      if (!columns.includes(f)) wrong.push(`${f}: registered but not in the schema`);
    expect(wrong).toEqual([]);
  });
});
