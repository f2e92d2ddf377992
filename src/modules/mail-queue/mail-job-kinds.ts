/**
 * The job kinds that send mail: what the admin's mail queue lists and the mail banner counts.
 * They are the handlers `src/server/start.ts` registers only when VIGIL_SMTP_URL is set; a new kind
 * of mail job belongs in both places.
 */
import { ACCOUNT_MAIL_JOB } from '../accounts/account-notify.js';
import { CASE_MAIL_JOB, REMINDER_JOB } from '../cases/case-notify.js';
import { DISCLOSURE_DATE_MAIL_JOB } from '../embargo/disclosure-date/disclosure-date-notify.js';
import { DISTRIBUTORS_MAIL_JOB, REVIEW_DUE_JOB } from '../embargo/distributors/distributors.steps.js';
import { COPY_DELIVERY_JOB } from '../embargo/early-disclosure/early-disclosure.steps.js';
import { HOLD_ALERT_JOB, PUBLICATION_MAIL_JOB } from '../embargo/publication/publication.steps.js';
import { PHASE_REMINDER_JOB } from '../fix/phases/phase-notify.js';
import { MEMBER_INVITATION_JOB } from '../fix/team/members.steps.js';
import { DIGEST_JOB } from '../notifications/digest.job.js';
import { MEMBERS_MAIL_JOB } from '../projects/members-notify.js';

export const MAIL_JOB_KINDS: readonly string[] = [
  CASE_MAIL_JOB,
  REMINDER_JOB,
  PHASE_REMINDER_JOB,
  DISCLOSURE_DATE_MAIL_JOB,
  MEMBER_INVITATION_JOB,
  DISTRIBUTORS_MAIL_JOB,
  REVIEW_DUE_JOB,
  COPY_DELIVERY_JOB,
  PUBLICATION_MAIL_JOB,
  HOLD_ALERT_JOB,
  MEMBERS_MAIL_JOB,
  ACCOUNT_MAIL_JOB,
  DIGEST_JOB,
];
