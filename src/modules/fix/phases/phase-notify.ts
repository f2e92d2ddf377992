/**
 * The phase clocks' reminders and escalations, "as for the first response": when a phase starts
 * (acceptance; the release for the retrospective), a reminder to the case's Fix Lead at 80 percent
 * of its window and an escalation to the whole security team at its due instant. Jobs keyed by the
 * due instant: scheduling again is a no-op, and a job whose phase is done, relaxed or due at another
 * instant by the time it runs does nothing (phase-reminders.job.ts).
 */
import type { DbTransaction } from '../../../db/connection.js';
import { enqueueJob } from '../../../jobs/job.queue.js';
import type { Clock } from '../../../lib/clock.js';
import type { CaseCipher } from '../../cases/case-view.js';
import type { CaseRow } from '../../cases/cases.repo.js';
import type { Policy } from '../../policy/policy.schema.js';
import { computePhases } from './phase-clock.js';
import { openUpstream } from './upstream.js';

export const PHASE_REMINDER_JOB = 'case.phase-reminder';
export const PHASE_REMINDER_STEPS = ['reminder', 'escalation'] as const;

/** The share of a phase's window after which its Fix Lead is reminded. */
const REMINDER_AT = 0.8;

/** The phases of `c` as the clocks see them now, the upstream's date included. */
export function currentPhases(
  cipher: Pick<CaseCipher, 'decryptField'>,
  c: CaseRow,
  policy: Policy,
  now: Date,
  retrospectiveClosedAt: string | null = null,
) {
  return computePhases(c, policy, now, {
    upstreamDisclosureAt: openUpstream(cipher, c)?.disclosureAt ?? null,
    retrospectiveClosedAt,
  });
}

/** Schedules the reminder and the escalation of every open phase of `c` that has a due instant. */
export async function schedulePhaseReminders(
  trx: DbTransaction,
  clock: Clock,
  cipher: Pick<CaseCipher, 'decryptField'>,
  c: CaseRow,
  policy: Policy,
): Promise<void> {
  const now = clock.now();
  for (const p of currentPhases(cipher, c, policy, now)) {
    if (!p.dueAt || !p.startedAt || (p.status !== 'running' && p.status !== 'overdue')) continue;
    const start = Date.parse(p.startedAt);
    const due = Date.parse(p.dueAt);
    const remindAt = new Date(start + (due - start) * REMINDER_AT);
    const plan: { step: (typeof PHASE_REMINDER_STEPS)[number]; at: Date }[] = [
      { step: 'escalation', at: new Date(due) },
    ];
    // An "as soon as possible" phase is due at its start: nothing to remind of before it.
    if (due > start && remindAt.getTime() > now.getTime()) plan.unshift({ step: 'reminder', at: remindAt });
    for (const { step, at } of plan) {
      await enqueueJob(trx, clock, {
        kind: PHASE_REMINDER_JOB,
        payload: { caseId: c.id, phase: p.name, step, dueAt: p.dueAt },
        runAt: at,
        uniqueKey: `${PHASE_REMINDER_JOB}:${c.id}:${p.name}:${step}:${p.dueAt}`,
      });
    }
  }
}
