/**
 * The account of someone the team brings in by email (a Fix Team invitee, a person of a
 * distributors-list organisation): found, or created without a password and without any role, and
 * the link that gets them in. Steps that run inside the caller's transaction, with their audit events.
 */
import { appendAuditEvent } from '../../audit/audit.log.js';
import type { Actor } from '../../audit/audit.events.js';
import type { DbTransaction } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { ConflictError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import * as accountsRepo from './accounts.repo.js';
import { issueSignInLink } from './sign-in-links.service.js';

/** The account of `email`, if there is one; a disabled account is refused (409), naming the address. */
export async function enabledAccountByEmail(
  trx: DbTransaction,
  email: string,
): Promise<accountsRepo.UserRow | undefined> {
  const found = await accountsRepo.findUserByEmail(trx, email);
  if (found?.disabled_at)
    throw new ConflictError(`The account of ${email} is disabled: an admin can enable it.`);
  return found;
}

/** Creates an account for `email`: no password, no role anywhere; what the caller grants is all it has. */
export async function createInviteeAccount(
  trx: DbTransaction,
  clock: Clock,
  email: string,
  actor: Actor,
  name?: string,
): Promise<accountsRepo.UserRow> {
  const id = newId();
  await accountsRepo.insertUser(trx, {
    id,
    email,
    name: name ?? email.split('@')[0] ?? email,
    is_admin: 0,
    created_at: clock.now().toISOString(),
  });
  await appendAuditEvent(trx, clock, {
    actor,
    action: 'user.created',
    subject: { type: 'user', id },
    data: { email, admin: false },
  });
  const user = await accountsRepo.findUserById(trx, id);
  if (!user) throw new Error('user vanished inside its own transaction');
  return user;
}

/**
 * The link that gets someone in: a one-time sign-in link when their account holds nothing but
 * what the caller grants now (not an admin, no password, no project role, and `alsoHolds`, the
 * caller's count of their other grants, is 0), so that handing the link on gives away nothing
 * more; otherwise `fallbackUrl`, behind their own sign-in.
 */
export async function inviteeLink(
  trx: DbTransaction,
  deps: { clock: Clock; publicUrl: string },
  user: accountsRepo.UserRow,
  actor: Actor,
  opts: { alsoHolds: number; fallbackUrl: string },
): Promise<{ url: string; signIn: boolean }> {
  const holdsNothingElse =
    user.is_admin === 0 &&
    opts.alsoHolds === 0 &&
    (await accountsRepo.findPasswordHash(trx, user.id)) === null &&
    (await accountsRepo.listMemberships(trx, user.id)).length === 0;
  if (!holdsNothingElse) return { url: opts.fallbackUrl, signIn: false };
  return { url: (await issueSignInLink(trx, deps, user.id, actor)).url, signIn: true };
}
