/**
 * Publishing a case in a test, as the publication will (issue 10, part D): the case goes
 * `disclosure-scheduled -> published` through the real engine and lifecycle (whose release and CI
 * guards are answered "met": they are the fix modules', tested there), and its advisory's state
 * becomes `published` in the same transaction. What the public site reads is exactly these states.
 */
import type { Db } from '../../src/db/connection.js';
import type { Keyring } from '../../src/lib/crypto/keyring.js';
import { projectContextById } from '../../src/modules/cases/case-context.js';
import { caseCrypto } from '../../src/modules/cases/case-view.js';
import { applyTransition } from '../../src/modules/cases/case-workflow.js';
import { findCaseByHumanId } from '../../src/modules/cases/cases.repo.js';
import { createCaseLifecycle } from '../../src/modules/fix/case-lifecycle.js';
import type { TestApp } from './app.js';

const SYSTEM = { type: 'system', id: 'test' } as const;

/** Sets an accepted case to `disclosure-scheduled` at the clock's instant (the date's part is tested elsewhere). */
export async function scheduleDisclosure(t: TestApp, db: Db, humanId: string): Promise<void> {
  await db.kysely
    .updateTable('cases')
    .set({ state: 'disclosure-scheduled', disclosure_at: t.clock.now().toISOString() })
    .where('human_id', '=', humanId)
    .execute();
}

/** Publishes the case `humanId` (scheduled first if it is not) and its advisory, at the clock's instant. */
export async function publishCase(t: TestApp, db: Db, cipher: Keyring, humanId: string): Promise<void> {
  let c = await findCaseByHumanId(db.kysely, humanId);
  if (!c) throw new Error(`no case ${humanId}`);
  if (c.state !== 'disclosure-scheduled') {
    await scheduleDisclosure(t, db, humanId);
    c = { ...c, state: 'disclosure-scheduled' };
  }
  const { policy } = await projectContextById(db.kysely, c.project_id);
  const real = createCaseLifecycle({ clock: t.clock, cipher });
  const at = t.clock.now().toISOString();
  await db.kysely.transaction().execute(async (trx) => {
    await applyTransition(
      trx,
      { clock: t.clock, crypto: caseCrypto(cipher), lifecycle: { ...real, unmetGuards: async () => [] } },
      c,
      policy,
      { kind: 'system', audit: SYSTEM, userId: null },
      { to: 'published' },
    );
    await trx
      .updateTable('advisories')
      .set({ state: 'published', updated_at: at })
      .where('case_id', '=', c.id)
      .execute();
  });
}
