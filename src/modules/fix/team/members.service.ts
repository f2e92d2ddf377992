/**
 * Per-case access (PROCESS.md §1, §6, §7): the Fix Lead invites people to one case by email (Fix
 * Team engineers, outside collaborators, the reporter), an account without a password for whoever
 * has none; each sees nothing of the case until they accept the embargo terms, and their access
 * ends when they are removed or the case is published (members.steps.ts). The policy table gives
 * the accepted roles their reach (`loadPrincipal` reads them into the principal's case roles).
 */
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import { actorOf, loadCaseFor } from '../../../authz/access.js';
import { authorize, type InvitedCaseRole, type Principal } from '../../../authz/authz.policy.js';
import type { Db, DbTransaction } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import { ConflictError, NotFoundError, UnauthenticatedError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import * as accountsRepo from '../../accounts/accounts.repo.js';
import {
  createInviteeAccount,
  enabledAccountByEmail,
  inviteeLink,
} from '../../accounts/invitee-account.steps.js';
import { projectContextById } from '../../cases/case-context.js';
import { DISCLOSED_STATES, FIX_OPEN_STATES, type CaseState } from '../../cases/case-transitions.js';
import { findCaseById, lockCase, type CaseRow } from '../../cases/cases.repo.js';
import { embargoTerms, type EmbargoTerms } from './embargo-terms.js';
import { hidesReporter, REPORTER_NAME } from './member-view.js';
import * as repo from './members.repo.js';
import { enqueueInvitationMail, invitationLinkAad } from './members.steps.js';

export interface CaseMembersDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField'>;
  publicUrl: string;
}

/** Where a member's access stands: invited (terms not accepted), active, or ended. */
export type MemberStatus = 'pending' | 'active' | 'ended';
/** Why access ended: removed by the team, or the case was published. */
export type EndedReason = 'removed' | 'published';

function memberStatus(m: { terms_accepted_at: string | null; ended_at: string | null }): MemberStatus {
  if (m.ended_at) return 'ended';
  return m.terms_accepted_at ? 'active' : 'pending';
}

export type CaseMembersService = ReturnType<typeof createCaseMembersService>;

/** Builds the case members service. */
export function createCaseMembersService(deps: CaseMembersDeps) {
  const { db, clock, cipher, publicUrl } = deps;
  const k = db.kysely;

  /**
   * The link that gets the invitee in: a one-time sign-in link when their account holds nothing
   * but this invitation (new, or never signed in and invited nowhere else), so that handing it on
   * gives away nothing more than the case; otherwise the invitations page, behind their own sign-in.
   */
  async function invitationLink(
    trx: DbTransaction,
    user: accountsRepo.UserRow,
    caseId: string,
    actor: Actor,
  ): Promise<{ url: string; signIn: boolean }> {
    return inviteeLink(trx, { clock, publicUrl }, user, actor, {
      alsoHolds: await repo.countOtherMemberships(trx, user.id, caseId),
      fallbackUrl: `${publicUrl}/invitations`,
    });
  }

  /** The account to invite: found by email (enabled, not on the security team) or created. */
  async function inviteeAccount(trx: DbTransaction, c: CaseRow, email: string, actor: Actor) {
    const found = await enabledAccountByEmail(trx, email);
    if (found) {
      const memberships = await accountsRepo.listMemberships(trx, found.id);
      if (memberships.some((m) => m.projectId === c.project_id && m.role === 'security-team')) {
        throw new ConflictError(`${email} is on the project's security team, and sees every case already.`);
      }
      return { user: found, newAccount: false };
    }
    return { user: await createInviteeAccount(trx, clock, email, actor), newAccount: true };
  }

  /** The member row of `user` on `c`, invited (again) as `role`; refuses someone whose access runs. */
  async function upsertInvitation(
    trx: DbTransaction,
    c: CaseRow,
    user: accountsRepo.UserRow,
    role: InvitedCaseRole,
    invitedBy: string | null,
  ): Promise<{ memberId: string; invitedAt: string }> {
    const invitedAt = clock.now().toISOString();
    const existing = await repo.findMemberOfCase(trx, c.id, user.id);
    if (existing?.ended_reason === 'published') {
      throw new ConflictError(`Refused: case ${c.human_id} was published, and access to it has ended.`);
    }
    if (existing && !existing.ended_at && existing.terms_accepted_at) {
      throw new ConflictError(
        `${user.email} is on case ${c.human_id} already, as ${existing.role}: remove them first to change that.`,
      );
    }
    const invite = { role, invited_by: invitedBy, invited_at: invitedAt };
    if (existing) {
      await repo.reinviteMember(trx, existing.id, invite);
      return { memberId: existing.id, invitedAt };
    }
    const memberId = newId();
    await repo.insertMember(trx, {
      id: memberId,
      case_id: c.id,
      user_id: user.id,
      ...invite,
      terms_hash: null,
      terms_accepted_at: null,
      ended_at: null,
      ended_reason: null,
    });
    return { memberId, invitedAt };
  }

  /** The invitation of `memberId` if it is the caller's; 404 for anyone else's, like a missing one. */
  async function ownInvitation(principal: Principal, memberId: string) {
    authorize(principal, 'self.manage');
    if (principal.kind !== 'user') throw new UnauthenticatedError();
    const m = await repo.findMemberById(k, memberId);
    const c = m && m.user_id === principal.userId ? await findCaseById(k, m.case_id) : undefined;
    if (!m || !c) throw new NotFoundError(`Invitation ${memberId}`);
    return { userId: principal.userId, m, c };
  }

  /** Refuses an invitation whose access ended, or whose case was published (nothing changes). */
  function refuseEnded(m: repo.MemberRow, c: CaseRow): void {
    if (DISCLOSED_STATES.includes(c.state as CaseState) || m.ended_reason === 'published') {
      throw new ConflictError(`Refused: case ${c.human_id} was published, and access to it has ended.`);
    }
    if (m.ended_at) throw new ConflictError(`Refused: your access to case ${c.human_id} has ended.`);
  }

  return {
    /**
     * Invites `email` to the case as `role`, creating an account without a password if nobody has
     * that address. The answer always carries the link to hand on; the invitee is mailed it too.
     */
    async inviteMember(principal: Principal, ref: string, input: { email: string; role: InvitedCaseRole }) {
      const c = await loadCaseFor(k, principal, ref, 'case.members.manage');
      const actor = actorOf(principal);
      return k.transaction().execute(async (trx) => {
        // Read under the case row's lock: an invitation never lands after the case's publication.
        const state = (await lockCase(trx, c.id)) ?? c.state;
        if (!FIX_OPEN_STATES.includes(state as CaseState)) {
          throw new ConflictError(
            `Case ${c.human_id} is ${state}: people are invited from its acceptance until it is published.`,
          );
        }
        const { user, newAccount } = await inviteeAccount(trx, c, input.email, actor);
        const invitedBy = principal.kind === 'user' ? principal.userId : null;
        const { memberId, invitedAt } = await upsertInvitation(trx, c, user, input.role, invitedBy);
        await appendAuditEvent(trx, clock, {
          actor,
          action: 'case.member_invited',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { userId: user.id, role: input.role, newAccount },
        });
        const link = await invitationLink(trx, user, c.id, actor);
        const linkEnc = cipher.encryptField(link.url, invitationLinkAad(memberId, invitedAt));
        await enqueueInvitationMail(trx, clock, { memberId, invitedAt, linkEnc, newAccount: link.signIn });
        return { memberId, userId: user.id, role: input.role, invitationUrl: link.url, newAccount };
      });
    },

    /**
     * Everyone invited to the case, with where their invitation stands. A caller without `case.read`
     * (a member) sees the reporter's row as "The reporter", without their address: the member view
     * never names the reporter.
     */
    async listMembers(principal: Principal, ref: string) {
      const c = await loadCaseFor(k, principal, ref, 'case.workspace.read');
      const hideReporter = hidesReporter(principal, c);
      const rows = await repo.listMembers(k, c.id);
      return rows.map((r) => {
        const hidden = hideReporter && r.role === 'reporter';
        return {
          memberId: r.id,
          userId: r.user_id,
          role: r.role as InvitedCaseRole,
          name: hidden ? REPORTER_NAME : r.name,
          email: hidden ? null : r.email,
          status: memberStatus(r),
          invitedAt: r.invited_at,
          termsAcceptedAt: r.terms_accepted_at,
          endedAt: r.ended_at,
          endedReason: r.ended_reason as EndedReason | null,
        };
      });
    },

    /** Ends a member's access (or withdraws a pending invitation), for `reason` (kept encrypted with the member). */
    async removeMember(principal: Principal, ref: string, memberId: string, reason: string): Promise<void> {
      const c = await loadCaseFor(k, principal, ref, 'case.members.manage');
      const m = await repo.findMemberById(k, memberId);
      if (!m || m.case_id !== c.id) throw new NotFoundError(`Member ${memberId}`);
      const note = deps.cipher.encryptField(reason, fieldAad('case_members', 'ended_note_enc', m.id));
      await k.transaction().execute(async (trx) => {
        if (!(await repo.endMember(trx, m.id, 'removed', clock.now().toISOString(), note))) {
          throw new ConflictError(
            `The access of member ${memberId} to case ${c.human_id} has ended already.`,
          );
        }
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'case.member_removed',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { userId: m.user_id, role: m.role },
        });
      });
    },

    /** The caller's pending invitations, each with the terms to accept: nothing else of the case. */
    async listInvitations(principal: Principal) {
      authorize(principal, 'self.manage');
      if (principal.kind !== 'user') throw new UnauthenticatedError();
      const rows = (await repo.listPendingInvitations(k, principal.userId)).filter(
        (r) => !DISCLOSED_STATES.includes(r.state as CaseState),
      );
      const terms = new Map<string, EmbargoTerms>();
      for (const projectId of new Set(rows.map((r) => r.project_id))) {
        terms.set(projectId, embargoTerms(await projectContextById(k, projectId)));
      }
      return rows.map((r) => ({
        memberId: r.id,
        project: { slug: r.project_slug, name: r.project_name },
        caseHumanId: r.human_id,
        role: r.role as InvitedCaseRole,
        invitedAt: r.invited_at,
        terms: terms.get(r.project_id) ?? { text: '', hash: '' },
      }));
    },

    /**
     * Accepts the embargo terms of the caller's invitation: `termsHash` must name the current text
     * (409 when it changed: read it again). Refused, with nothing changed, once access has ended or
     * the case was published. The case role holds from the caller's next request.
     */
    async acceptInvitation(principal: Principal, memberId: string, termsHash: string) {
      const { userId, m, c } = await ownInvitation(principal, memberId);
      refuseEnded(m, c);
      const terms = embargoTerms(await projectContextById(k, c.project_id));
      if (termsHash !== terms.hash) {
        throw new ConflictError(
          'The embargo terms changed since you read them: read them again, then accept.',
        );
      }
      const role = m.role as InvitedCaseRole;
      const view = (at: string) => ({ memberId: m.id, caseHumanId: c.human_id, role, termsAcceptedAt: at });
      if (m.terms_accepted_at) return view(m.terms_accepted_at);
      return k.transaction().execute(async (trx) => {
        const now = clock.now().toISOString();
        const current = await findCaseById(trx, c.id);
        if (current) refuseEnded(m, current);
        if (!(await repo.acceptTerms(trx, m.id, terms.hash, now))) {
          throw new ConflictError(`Refused: this invitation to case ${c.human_id} is no longer open.`);
        }
        await appendAuditEvent(trx, clock, {
          actor: { type: 'user', id: userId },
          action: 'case.member_terms_accepted',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { userId, role: m.role, termsHash: terms.hash },
        });
        return view(now);
      });
    },
  };
}
