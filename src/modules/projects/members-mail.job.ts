/**
 * The handler of `project.members.mail`: tells the security team (as it is when the job runs, so a
 * person just added hears of their own addition) and, on a removal, the person removed, that the
 * team's membership changed. Link-only: no names, no report content.
 */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { defineJobHandler } from '../../jobs/job.runner.js';
import type { Mailer } from '../../mail/outbound/mailer.js';
import { MEMBERS_TEAM_NOTICES } from '../../mail/templates/members-team.template.js';
import { notifyTeam, type TeamRecipient } from '../notifications/notify-team.js';
import { findUserById } from '../accounts/accounts.repo.js';
import { projectContextById } from '../cases/case-context.js';
import { listTeamMembers } from '../cases/cases.repo.js';
import { MEMBERS_MAIL_JOB } from './members-notify.js';

export interface MembersMailDeps {
  db: Db;
  mailer: Mailer;
}

const payloadSchema = z.object({
  projectId: z.string(),
  notice: z.enum(MEMBERS_TEAM_NOTICES),
  ref: z.string(),
  alsoUserId: z.string().optional(),
});

/** The handlers of the team's membership notices (registered where mail is configured). */
export function membersMailHandlers(deps: MembersMailDeps) {
  const k = deps.db.kysely;
  return {
    [MEMBERS_MAIL_JOB]: defineJobHandler(payloadSchema, async (m, ctx) => {
      const project = await projectContextById(k, m.projectId);
      const to: TeamRecipient[] = await listTeamMembers(k, project.id);
      if (m.alsoUserId) {
        const also = await findUserById(k, m.alsoUserId);
        if (also && !also.disabled_at) to.push(also);
      }
      await notifyTeam(deps, ctx, {
        kind: 'members.team',
        to,
        projectId: project.id,
        params: {
          projectName: project.name,
          link: `${deps.mailer.publicUrl}/projects/${encodeURIComponent(project.slug)}#team-heading`,
          notice: m.notice,
        },
      });
    }),
  };
}
