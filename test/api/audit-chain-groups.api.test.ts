import { expect, it } from 'vitest';
import { describeEachDb } from '../support/db.js';
import { fixedClock } from '../../src/lib/clock.js';
import { appendAuditEvent, appendAuditEvents, verifyAuditChain } from '../../src/audit/audit.log.js';
import type { Actor } from '../../src/audit/audit.events.js';

const actor: Actor = { type: 'operator', id: 'root' };
const clock = fixedClock('2026-11-21T10:00:00Z');
const ev = (name: string) => ({
  actor,
  action: 'project.created' as const,
  subject: { type: 'project', id: name },
  data: { slug: name, name, preset: null },
});

describeEachDb('audit groups concurrently', (get) => {
  it('keeps one chain with concurrent groups, repeated appends and rolled-back groups', async () => {
    const { db } = get();
    await db.kysely.deleteFrom('audit_events').execute();
    await db.kysely
      .updateTable('audit_head')
      .set({ seq: 0, hash: '0'.repeat(64) })
      .execute();
    let expected = 0;
    const runs = Array.from({ length: 30 }, (_, i) => {
      const n = 1 + (i % 5);
      const fail = i % 7 === 3;
      if (!fail) expected += n + 1 + 1;
      return db.kysely
        .transaction()
        .execute(async (trx) => {
          await appendAuditEvents(
            trx,
            clock,
            Array.from({ length: n }, (_, j) => ev(`g${i}-${j}`)),
          );
          await appendAuditEvent(trx, clock, ev(`s${i}`));
          await appendAuditEvents(trx, clock, [ev(`t${i}`)]);
          if (fail) throw new Error('rolled back');
        })
        .catch((e: unknown) => {
          if (!fail) throw e;
        });
    });
    await Promise.all(runs);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, events: expected });
  });
});
