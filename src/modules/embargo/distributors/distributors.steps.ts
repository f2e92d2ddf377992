/**
 * Steps of the distributors list that run inside a service's transaction: adding a named person to
 * an organisation (an account, created if needed, and the link that gets them in, mailed by a job),
 * the mail jobs, and the yearly review's reminder keyed by its due instant.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import type { DbTransaction } from '../../../db/connection.js';
import { enqueueJob } from '../../../jobs/job.queue.js';
import type { Clock } from '../../../lib/clock.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import { ConflictError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import {
  createInviteeAccount,
  enabledAccountByEmail,
  inviteeLink,
} from '../../accounts/invitee-account.steps.js';
import type { DISTRIBUTORS_TEAM_NOTICES } from '../../../mail/templates/distributors-team.template.js';
import type { RecipientKey } from '../../pgp/recipient-key.js';
import * as repo from './distributors.repo.js';

export const DISTRIBUTORS_MAIL_JOB = 'distributors.mail';
export const REVIEW_DUE_JOB = 'distributors.review-due';
/** What the team is told of at once (a review's due instant has its own job). */
export type TeamNotice = Exclude<(typeof DISTRIBUTORS_TEAM_NOTICES)[number], 'review-due'>;

/** The mails of the list: each job names rows, never words; the handler loads what it sends. */
export type DistributorsMail =
  | { mail: 'vouch-request'; applicationId: string }
  | { mail: 'refused'; applicationId: string }
  | { mail: 'welcome'; personId: string; addedAt: string; linkEnc: string; newAccount: boolean }
  | { mail: 'team'; projectId: string; notice: TeamNotice; ref: string };

/** The associated data that binds a welcome mail's encrypted link to its person and instant. */
export const welcomeLinkAad = (personId: string, addedAt: string): string =>
  `jobs.payload.${DISTRIBUTORS_MAIL_JOB}.welcome:${personId}:${addedAt}`;

function mailKey(m: DistributorsMail): string {
  switch (m.mail) {
    case 'welcome':
      return `${m.personId}:${m.addedAt}`;
    case 'team':
      return `${m.notice}:${m.ref}`;
    default:
      return m.applicationId;
  }
}

/** Queues a mail of the list; queuing the same one twice is a no-op. */
export async function enqueueDistributorsMail(
  trx: DbTransaction,
  clock: Clock,
  m: DistributorsMail,
): Promise<void> {
  await enqueueJob(trx, clock, {
    kind: DISTRIBUTORS_MAIL_JOB,
    payload: m,
    uniqueKey: `${DISTRIBUTORS_MAIL_JOB}:${m.mail}:${mailKey(m)}`,
  });
}

/** `iso` moved by whole calendar months (UTC), the day clamped to the target month's last day. */
export function addMonths(iso: string, months: number): string {
  const d = new Date(iso);
  const day = d.getUTCDate();
  const target = new Date(
    Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth() + months,
      1,
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    ),
  );
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, last));
  return target.toISOString();
}

/**
 * Schedules the reminder to the team at the organisation's review instant. Keyed by that instant:
 * a review that moves it makes this job moot (the handler checks the organisation's due instant).
 */
export async function scheduleReviewReminder(
  trx: DbTransaction,
  clock: Clock,
  orgId: string,
  dueAt: string,
): Promise<void> {
  await enqueueJob(trx, clock, {
    kind: REVIEW_DUE_JOB,
    payload: { orgId, dueAt },
    runAt: new Date(dueAt),
    uniqueKey: `${REVIEW_DUE_JOB}:${orgId}:${dueAt}`,
  });
}

export interface AddPersonDeps {
  clock: Clock;
  publicUrl: string;
  cipher: Pick<Keyring, 'encryptField'>;
}

export interface AddPersonInput {
  project: { id: string };
  orgId: string;
  name: string;
  email: string;
  key: RecipientKey | null;
  actor: Actor;
  addedBy: string | null;
}

/**
 * Names a person of an organisation: their account (found by email, or created without a
 * password), an active person row (a removed one comes back, with the embargo to accept again),
 * the audit event, and the welcome mail with the link that gets them in: a one-time sign-in link
 * when their account holds nothing else, else the account page, where they accept the embargo
 * text. Refuses (409) someone already active in the organisation.
 */
export async function addPerson(trx: DbTransaction, deps: AddPersonDeps, input: AddPersonInput) {
  const { clock, publicUrl } = deps;
  const now = clock.now().toISOString();
  const found = await enabledAccountByEmail(trx, input.email);
  const user = found ?? (await createInviteeAccount(trx, clock, input.email, input.actor, input.name));
  const newAccount = found === undefined;
  const key = {
    pgp_public_key: input.key?.armored ?? null,
    pgp_fingerprint: input.key?.fingerprint ?? null,
    pgp_expires_at: input.key?.expiresAt ?? null,
  };
  const person = {
    name: input.name,
    ...key,
    // Accepted by the person themselves, signed in (their account page): never carried from an
    // application, whose sender proved no hold on the address.
    embargo_hash: null,
    embargo_accepted_at: null,
    added_by_user_id: input.addedBy,
    created_at: now,
  };
  const existing = await repo.findPersonOfOrg(trx, input.orgId, user.id);
  if (existing?.state === 'active') {
    throw new ConflictError(`${input.email} is a person of this organisation already.`);
  }
  const personId = existing?.id ?? newId();
  if (existing) await repo.reactivatePerson(trx, personId, person);
  else {
    await repo.insertPerson(trx, {
      id: personId,
      org_id: input.orgId,
      project_id: input.project.id,
      user_id: user.id,
      ...person,
      state: 'active',
      removed_at: null,
    });
  }
  await appendAuditEvent(trx, clock, {
    actor: input.actor,
    action: 'distributors.person_added',
    subject: { type: 'distributor_org', id: input.orgId },
    projectId: input.project.id,
    data: { orgId: input.orgId, personId, userId: user.id, newAccount },
  });
  const link = await inviteeLink(trx, { clock, publicUrl }, user, input.actor, {
    alsoHolds: await repo.countOtherHoldings(trx, user.id, personId),
    fallbackUrl: `${publicUrl}/account`,
  });
  const linkEnc = deps.cipher.encryptField(link.url, welcomeLinkAad(personId, now));
  await enqueueDistributorsMail(trx, clock, {
    mail: 'welcome',
    personId,
    addedAt: now,
    linkEnc,
    newAccount: link.signIn,
  });
  return { personId, userId: user.id, link: link.url, newAccount: link.signIn };
}
