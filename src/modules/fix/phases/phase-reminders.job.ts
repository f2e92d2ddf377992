/**
 * The phase clocks' reminder and escalation (phase-notify.ts): the reminder goes to the case's Fix
 * Lead (to the security team when the case has none), the escalation to every member of the
 * security team. A job whose phase is no longer open at the instant it was scheduled for (done,
 * relaxed by a slow-down, or moved by an upstream date) sends nothing. Links only: the templates
 * take the phase's name and instants, never case content.
 */
import { z } from 'zod';
import type { Db } from '../../../db/connection.js';
import { defineJobHandler } from '../../../jobs/job.runner.js';
import type { Mailer } from '../../../mail/outbound/mailer.js';
import * as accountsRepo from '../../accounts/accounts.repo.js';
import { projectContextById } from '../../cases/case-context.js';
import { notifyTeam, type TeamRecipient } from '../../notifications/notify-team.js';
import type { CaseCipher } from '../../cases/case-view.js';
import * as casesRepo from '../../cases/cases.repo.js';
import { PHASES } from './phase.types.js';
import { currentPhases, PHASE_REMINDER_JOB, PHASE_REMINDER_STEPS } from './phase-notify.js';

export interface PhaseReminderDeps {
  db: Db;
  cipher: Pick<CaseCipher, 'decryptField'>;
  mailer: Mailer;
}

export function phaseReminderHandlers(deps: PhaseReminderDeps) {
  const k = deps.db.kysely;

  function team(projectId: string): Promise<TeamRecipient[]> {
    return casesRepo.listTeamMembers(k, projectId);
  }

  async function fixLead(c: casesRepo.CaseRow): Promise<TeamRecipient[]> {
    const lead = c.fix_lead_user_id ? await accountsRepo.findUserById(k, c.fix_lead_user_id) : undefined;
    return lead ? [lead] : team(c.project_id);
  }

  return {
    [PHASE_REMINDER_JOB]: defineJobHandler(
      z.object({
        caseId: z.string(),
        phase: z.enum(PHASES),
        step: z.enum(PHASE_REMINDER_STEPS),
        dueAt: z.string(),
      }),
      async ({ caseId, phase, step, dueAt }, ctx) => {
        const c = await casesRepo.findCaseById(k, caseId);
        if (!c) return;
        const project = await projectContextById(k, c.project_id);
        const now = ctx.clock.now();
        const p = currentPhases(deps.cipher, c, project.policy, now).find((x) => x.name === phase);
        // Moot when done, relaxed, not started, or due at another instant now (a newer job has it).
        if (!p || (p.status !== 'running' && p.status !== 'overdue') || p.dueAt !== dueAt) return;
        const params = {
          projectName: project.name,
          caseHumanId: c.human_id,
          link: `${deps.mailer.publicUrl}/cases/${encodeURIComponent(c.human_id)}`,
          phase,
          dueAt,
          now,
          timeZone: project.policy.timeZone,
        };
        const common = { projectId: c.project_id, case: c, params };
        if (step === 'reminder') {
          return notifyTeam(deps, ctx, { kind: 'phase-reminder.team', to: await fixLead(c), ...common });
        }
        return notifyTeam(deps, ctx, {
          kind: 'phase-escalation.team',
          to: await team(c.project_id),
          ...common,
        });
      },
    ),
  };
}
