/**
 * Instance-wide settings that are not secrets (`instance_settings`, one row a name). `demo`: the
 * instance was filled by `vigil demo` with made-up data, and every page says so.
 */
import type { DbReader, DbWriter } from '../db/connection.js';

export const DEMO_SETTING = 'demo';

/** True when the instance holds the demo's made-up data. */
export async function isDemoInstance(db: DbReader): Promise<boolean> {
  const row = await db
    .selectFrom('instance_settings')
    .select('value')
    .where('name', '=', DEMO_SETTING)
    .executeTakeFirst();
  return row?.value === 'true';
}

/** Marks the instance as a demo (idempotent). */
export async function markDemoInstance(db: DbWriter, now: string): Promise<void> {
  await db
    .insertInto('instance_settings')
    .values({ name: DEMO_SETTING, value: 'true', set_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: 'true', set_at: now }))
    .execute();
}

/** True when the instance holds projects or cases: `vigil demo` fills only an empty one. */
export async function instanceHasData(db: DbReader): Promise<boolean> {
  const [project, kase] = await Promise.all([
    db.selectFrom('projects').select('id').limit(1).executeTakeFirst(),
    db.selectFrom('cases').select('id').limit(1).executeTakeFirst(),
  ]);
  return project !== undefined || kase !== undefined;
}
