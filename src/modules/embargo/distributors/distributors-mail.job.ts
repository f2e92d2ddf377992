/**
 * The distributors list's mail: the vouch request to the member an applicant named, the welcome
 * (with its link) to a person named for an organisation, the refusal to an applicant, the team's
 * notices, and the reminder that an organisation's review is due. Each job names rows; the handler
 * loads them at send time and sends nothing when the moment has passed (a vouch answered, a person
 * removed or added again, a review recorded since).
 */
import { z } from 'zod';
import type { Db } from '../../../db/connection.js';
import { PermanentJobError, defineJobHandler, type JobContext } from '../../../jobs/job.runner.js';
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import { MailError, type Mailer } from '../../../mail/outbound/mailer.js';
import { renderMail, type MailKind, type MailParams } from '../../../mail/templates/mail-templates.js';
import { DISTRIBUTORS_TEAM_NOTICES } from '../../../mail/templates/distributors-team.template.js';
import { findUserById } from '../../accounts/accounts.repo.js';
import { projectContextById } from '../../cases/case-context.js';
import { listTeamMembers } from '../../cases/cases.repo.js';
import { notifyTeam } from '../../notifications/notify-team.js';
import * as repo from './distributors.repo.js';
import { DISTRIBUTORS_MAIL_JOB, REVIEW_DUE_JOB, welcomeLinkAad } from './distributors.steps.js';

export interface DistributorsMailDeps {
  db: Db;
  cipher: Pick<Keyring, 'decryptField'>;
  mailer: Mailer;
}

const payloadSchema = z.discriminatedUnion('mail', [
  z.object({ mail: z.literal('vouch-request'), applicationId: z.string() }),
  z.object({ mail: z.literal('refused'), applicationId: z.string() }),
  z.object({
    mail: z.literal('welcome'),
    personId: z.string(),
    addedAt: z.string(),
    linkEnc: z.string(),
    newAccount: z.boolean(),
  }),
  z.object({
    mail: z.literal('team'),
    projectId: z.string(),
    notice: z.enum(DISTRIBUTORS_TEAM_NOTICES),
    ref: z.string(),
  }),
]);

/** The handlers of `distributors.mail` and `distributors.review-due` (registered where mail is configured). */
export function distributorsMailHandlers(deps: DistributorsMailDeps) {
  const k = deps.db.kysely;
  const publicUrl = deps.mailer.publicUrl;
  const sectionLink = (slug: string) =>
    `${publicUrl}/projects/${encodeURIComponent(slug)}#distributors-heading`;

  async function send<K extends MailKind>(kind: K, to: string[], params: MailParams<K>): Promise<void> {
    if (to.length === 0) return;
    const mail = renderMail(kind, params);
    try {
      await deps.mailer.send({ to, subject: mail.subject, text: mail.text });
    } catch (err) {
      if (err instanceof MailError && err.permanent) throw new PermanentJobError(err.message);
      throw err;
    }
  }

  async function handle(m: z.output<typeof payloadSchema>, ctx: JobContext): Promise<void> {
    switch (m.mail) {
      case 'vouch-request': {
        const a = await repo.findApplication(k, m.applicationId);
        if (!a || a.state !== 'pending' || a.vouch_state !== 'asked') return;
        const person = await repo.findPerson(k, a.vouch_person_id);
        const user = person?.state === 'active' ? await findUserById(k, person.user_id) : undefined;
        if (!user || user.disabled_at) return;
        const project = await projectContextById(k, a.project_id);
        return send('distributors.vouch-request', [user.email], {
          projectName: project.name,
          link: `${publicUrl}/vouches/${a.id}`,
        });
      }
      case 'refused': {
        const a = await repo.findApplication(k, m.applicationId);
        if (!a || a.state !== 'refused' || !a.decision_reason_enc) return;
        const project = await projectContextById(k, a.project_id);
        const reason = deps.cipher.decryptField(
          a.decision_reason_enc,
          fieldAad('distributor_applications', 'decision_reason_enc', a.id),
        );
        return send('distributors.refused', [a.applicant_email], {
          projectName: project.name,
          refusalReason: reason,
        });
      }
      case 'welcome': {
        const person = await repo.findPerson(k, m.personId);
        // Removed since, or added again (a newer job carries the newer link): nothing to send.
        if (!person || person.state !== 'active' || person.created_at !== m.addedAt) return;
        const user = await findUserById(k, person.user_id);
        if (!user || user.disabled_at) return;
        let link: string;
        try {
          link = deps.cipher.decryptField(m.linkEnc, welcomeLinkAad(person.id, m.addedAt));
        } catch {
          throw new PermanentJobError('The welcome link cannot be decrypted: add the person again.');
        }
        const project = await projectContextById(k, person.project_id);
        return send('distributors.welcome', [user.email], {
          projectName: project.name,
          link,
          newAccount: m.newAccount,
        });
      }
      case 'team': {
        const project = await projectContextById(k, m.projectId);
        return notifyTeam(deps, ctx, {
          kind: 'distributors.team',
          to: await listTeamMembers(k, project.id),
          projectId: project.id,
          params: {
            projectName: project.name,
            link: sectionLink(project.slug),
            notice: m.notice,
            timeZone: project.policy.timeZone,
          },
        });
      }
    }
  }

  return {
    [DISTRIBUTORS_MAIL_JOB]: defineJobHandler(payloadSchema, handle),
    [REVIEW_DUE_JOB]: defineJobHandler(
      z.object({ orgId: z.string(), dueAt: z.string() }),
      async ({ orgId, dueAt }, ctx) => {
        const org = await repo.findOrgById(k, orgId);
        // Reviewed since (due at another instant now: a newer job has it), or removed: moot.
        if (!org || org.state === 'removed' || org.review_due_at !== dueAt) return;
        const project = await projectContextById(k, org.project_id);
        await notifyTeam(deps, ctx, {
          kind: 'distributors.team',
          to: await listTeamMembers(k, project.id),
          projectId: project.id,
          params: {
            projectName: project.name,
            link: sectionLink(project.slug),
            notice: 'review-due',
            dueAt,
            timeZone: project.policy.timeZone,
          },
        });
      },
    ),
  };
}
