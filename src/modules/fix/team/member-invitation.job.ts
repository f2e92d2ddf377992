/**
 * The invitation mail to someone invited to one case: the project's name and the link (a one-time
 * sign-in link for an account that holds nothing else, or the invitations page), never anything of
 * the case. A job whose invitation was accepted, withdrawn, ended or renewed meanwhile, or whose case was
 * published, sends nothing.
 */
import { z } from 'zod';
import type { Db } from '../../../db/connection.js';
import { PermanentJobError, defineJobHandler } from '../../../jobs/job.runner.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import { MailError, type Mailer } from '../../../mail/outbound/mailer.js';
import { renderMail } from '../../../mail/templates/mail-templates.js';
import { findUserById } from '../../accounts/accounts.repo.js';
import { FIX_OPEN_STATES, type CaseState } from '../../cases/case-transitions.js';
import { findCaseById } from '../../cases/cases.repo.js';
import { findProjectById } from '../../projects/projects.repo.js';
import * as repo from './members.repo.js';
import { MEMBER_INVITATION_JOB, invitationLinkAad } from './members.steps.js';

export interface MemberInvitationDeps {
  db: Db;
  cipher: Pick<Keyring, 'decryptField'>;
  mailer: Mailer;
}

/** The handler of `case.member-invitation` jobs (registered where mail is configured). */
export function memberInvitationHandlers(deps: MemberInvitationDeps) {
  const k = deps.db.kysely;
  return {
    [MEMBER_INVITATION_JOB]: defineJobHandler(
      z.object({ memberId: z.string(), invitedAt: z.string(), linkEnc: z.string(), newAccount: z.boolean() }),
      async ({ memberId, invitedAt, linkEnc, newAccount }) => {
        const m = await repo.findMemberById(k, memberId);
        if (!m || m.terms_accepted_at || m.ended_at || m.invited_at !== invitedAt) return;
        const user = await findUserById(k, m.user_id);
        const c = await findCaseById(k, m.case_id);
        // A case published (or closed) meanwhile: the invitation's access has ended, nothing to send.
        if (!c || !FIX_OPEN_STATES.includes(c.state as CaseState)) return;
        const project = await findProjectById(k, c.project_id);
        if (!user || user.disabled_at || !project) return;
        let link: string;
        try {
          link = deps.cipher.decryptField(linkEnc, invitationLinkAad(memberId, invitedAt));
        } catch {
          throw new PermanentJobError('The invitation link cannot be decrypted: invite them again.');
        }
        const mail = renderMail('invitation.member', { projectName: project.name, link, newAccount });
        try {
          await deps.mailer.send({ to: [user.email], subject: mail.subject, text: mail.text });
        } catch (err) {
          if (err instanceof MailError && err.permanent) throw new PermanentJobError(err.message);
          throw err;
        }
      },
    ),
  };
}
