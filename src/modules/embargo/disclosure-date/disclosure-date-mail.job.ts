/**
 * The disclosure date's notifications (disclosure-date-notify.ts): links only, the templates take
 * the project's name, the case's id (not for distributors) and what happened, never the date's
 * words. A mail to a party finds nothing to say once the case is public; one to a distributor
 * person, once they no longer see the case.
 */
import { z } from 'zod';
import type { Db } from '../../../db/connection.js';
import { defineJobHandler } from '../../../jobs/job.runner.js';
import type { Mailer } from '../../../mail/outbound/mailer.js';
import { findUserById } from '../../accounts/accounts.repo.js';
import { projectContextById } from '../../cases/case-context.js';
import { deliverCaseMail } from '../../cases/case-mail.job.js';
import { FIX_OPEN_STATES, type CaseState } from '../../cases/case-transitions.js';
import { caseCrypto, type CaseCipher } from '../../cases/case-view.js';
import * as casesRepo from '../../cases/cases.repo.js';
import { notifyTeam } from '../../notifications/notify-team.js';
import { findCasePeople } from '../portal/portal.repo.js';
import { DATE_MAIL_AUDIENCES, DATE_MAIL_EVENTS, DISCLOSURE_DATE_MAIL_JOB } from './disclosure-date-notify.js';

export interface DisclosureDateMailDeps {
  db: Db;
  cipher: CaseCipher;
  mailer: Mailer;
}

export function disclosureDateMailHandlers(deps: DisclosureDateMailDeps) {
  const k = deps.db.kysely;
  const crypto = caseCrypto(deps.cipher);
  const publicUrl = deps.mailer.publicUrl;

  return {
    [DISCLOSURE_DATE_MAIL_JOB]: defineJobHandler(
      z.object({
        caseId: z.string(),
        audience: z.enum(DATE_MAIL_AUDIENCES),
        event: z.enum(DATE_MAIL_EVENTS),
        ref: z.string(),
        userId: z.string().optional(),
      }),
      async ({ caseId, audience, event, userId }, ctx) => {
        const c = await casesRepo.findCaseById(k, caseId);
        if (!c) return;
        const project = await projectContextById(k, c.project_id);
        const base = { projectName: project.name, caseHumanId: c.human_id };
        if (audience === 'team') {
          const link = `${publicUrl}/cases/${encodeURIComponent(c.human_id)}`;
          return notifyTeam(deps, ctx, {
            kind: 'disclosure-date.team',
            to: await casesRepo.listTeamMembers(k, c.project_id),
            projectId: c.project_id,
            case: c,
            params: { ...base, link, event },
          });
        }
        // The parties hear of a proposal or a decision only while the case is embargoed.
        if (!FIX_OPEN_STATES.includes(c.state as CaseState)) return;
        if (event !== 'proposed' && event !== 'decided') return;
        if (audience === 'reporter') {
          if (!c.reporter_email_enc) return;
          const to = [crypto.reporterEmail.open(c.id, c.reporter_email_enc)];
          const link = `${publicUrl}/r/${crypto.reporterToken.open(c.id, c.reporter_token_enc)}`;
          return deliverCaseMail(deps.mailer, c, 'disclosure-date.reporter', to, ctx, {
            ...base,
            link,
            event,
          });
        }
        if (!userId) return;
        const [user, people] = await Promise.all([findUserById(k, userId), findCasePeople(k, c.id, userId)]);
        if (!user || user.disabled_at || people.length === 0) return;
        const link = `${publicUrl}/portal/cases/${encodeURIComponent(c.human_id)}`;
        return deliverCaseMail(deps.mailer, c, 'disclosure-date.distributor', [user.email], ctx, {
          projectName: project.name,
          link,
          event,
        });
      },
    ),
  };
}
