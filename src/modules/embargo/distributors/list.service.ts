/**
 * The members of a project's distributors list (PROCESS.md §7), as the security team runs them:
 * organisations (state, contact alias, review due), their named people (accounts, OpenPGP keys,
 * the embargo text each accepted), suspension, reinstatement and removal with a reason, removal
 * per the policy's leak rule with an explicit confirmation, and the yearly reviews. And a person's
 * own side: their memberships, and accepting the current embargo text before anything embargoed
 * reaches them.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { actorOf, loadProjectFor } from '../../../authz/access.js';
import { authorize, type Principal } from '../../../authz/authz.policy.js';
import type { Db, DbTransaction } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import { ConflictError, NotFoundError, UnauthenticatedError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { projectContextById, type ProjectContext } from '../../cases/case-context.js';
import { readRecipientKey } from '../../pgp/recipient-key.js';
import * as repo from './distributors.repo.js';
import { addMonths, addPerson, scheduleReviewReminder } from './distributors.steps.js';
import { distributorsEmbargo } from './embargo-text.js';
import type { OrgState, PersonState } from './list-view.js';

export interface DistributorsListDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
  publicUrl: string;
}

/** Where an organisation may go from each state: removal is final (a removed one applies again). */
const NEXT_STATES: Record<OrgState, readonly OrgState[]> = {
  active: ['suspended', 'removed'],
  suspended: ['active', 'removed'],
  removed: [],
};

export type DistributorsListService = ReturnType<typeof createDistributorsListService>;

/** Builds the distributors list service. */
export function createDistributorsListService(deps: DistributorsListDeps) {
  const { db, clock, cipher, publicUrl } = deps;
  const k = db.kysely;
  const noteAad = (orgId: string) => fieldAad('distributor_orgs', 'state_note_enc', orgId);
  const reviewAad = (id: string) => fieldAad('distributor_reviews', 'note_enc', id);
  const userIdOf = (principal: Principal) => (principal.kind === 'user' ? principal.userId : null);

  /** The project (the caller may `action` on it), its policy, and the organisation `orgId` of it. */
  async function teamOrg(
    principal: Principal,
    slug: string,
    orgId: string,
    action: 'distributors.read' | 'distributors.manage' = 'distributors.manage',
  ): Promise<{ project: ProjectContext; org: repo.OrgRow }> {
    const found = await loadProjectFor(k, principal, slug, action);
    const org = await repo.findOrg(k, found.id, orgId);
    if (!org) throw new NotFoundError(`Organisation ${orgId}`);
    return { project: await projectContextById(k, found.id), org };
  }

  /** The person `personId` of the organisation; 404 for another organisation's. */
  async function personOf(org: repo.OrgRow, personId: string): Promise<repo.PersonRow> {
    const person = await repo.findPerson(k, personId);
    if (!person || person.org_id !== org.id) throw new NotFoundError(`Person ${personId}`);
    return person;
  }

  /** Moves `org` to `to` for `reason` (kept encrypted with the organisation), with its audit event. */
  async function changeState(
    trx: DbTransaction,
    principal: Principal,
    org: repo.OrgRow,
    to: OrgState,
    reason: string,
  ): Promise<string> {
    const from = org.state as OrgState;
    if (from === to) throw new ConflictError(`Organisation “${org.name}” is ${to} already.`);
    if (!NEXT_STATES[from].includes(to)) {
      throw new ConflictError(
        `Organisation “${org.name}” was removed: removal is final, and the organisation applies again to rejoin.`,
      );
    }
    const now = clock.now().toISOString();
    const changed = await repo.setOrgState(trx, org.id, from, {
      state: to,
      state_note_enc: cipher.encryptField(reason, noteAad(org.id)),
      removed_at: to === 'removed' ? now : null,
      updated_at: now,
    });
    if (!changed) throw new ConflictError(`Organisation “${org.name}” changed meanwhile: look again.`);
    await appendAuditEvent(trx, clock, {
      actor: actorOf(principal),
      action: 'distributors.org_state_changed',
      subject: { type: 'distributor_org', id: org.id },
      projectId: org.project_id,
      data: { orgId: org.id, from, to },
    });
    return now;
  }

  function personView(p: repo.PersonRow & { email: string }, currentHash: string | null) {
    return {
      id: p.id,
      userId: p.user_id,
      name: p.name,
      email: p.email,
      state: p.state as PersonState,
      pgpFingerprint: p.pgp_fingerprint,
      pgpExpiresAt: p.pgp_expires_at,
      embargo: !p.embargo_hash
        ? ('none' as const)
        : p.embargo_hash === currentHash
          ? ('current' as const)
          : ('outdated' as const),
      embargoAcceptedAt: p.embargo_accepted_at,
      createdAt: p.created_at,
      removedAt: p.removed_at,
    };
  }

  return {
    /** The list as the team sees it: its settings, and every organisation with its people. */
    async overview(principal: Principal, slug: string) {
      const found = await loadProjectFor(k, principal, slug, 'distributors.read');
      const project = await projectContextById(k, found.id);
      const list = project.policy.disclosure.distributorsList;
      const embargo = distributorsEmbargo(project);
      const now = clock.now().toISOString();
      const [orgs, people, incidents, reviews] = await Promise.all([
        repo.listOrgs(k, project.id),
        repo.listPeople(k, project.id),
        repo.countIncidentsByOrg(k, project.id),
        repo.listReviews(k, project.id),
      ]);
      const names = new Map(orgs.map((o) => [o.id, o.name]));
      return {
        list: {
          enabled: list.enabled,
          name: list.name,
          criteria: [...list.membershipCriteria],
          embargoHash: embargo?.hash ?? null,
          leaksBeforeRemoval: list.leaksBeforeRemoval,
          reviewEveryMonths: list.reviewEveryMonths,
        },
        orgs: orgs.map((o) => {
          const count = incidents.get(o.id) ?? 0;
          const last = reviews.find((r) => r.org_id === o.id);
          return {
            id: o.id,
            name: o.name,
            contactAlias: o.contact_alias,
            state: o.state as OrgState,
            stateNote: o.state_note_enc ? cipher.decryptField(o.state_note_enc, noteAad(o.id)) : null,
            vouchedByOrg: o.vouched_by_org_id ? (names.get(o.vouched_by_org_id) ?? null) : null,
            joinedAt: o.joined_at,
            reviewDueAt: o.review_due_at,
            reviewDue: o.state !== 'removed' && o.review_due_at <= now,
            lastReview: last
              ? {
                  reviewedAt: last.reviewed_at,
                  note: last.note_enc ? cipher.decryptField(last.note_enc, reviewAad(last.id)) : null,
                }
              : null,
            removedAt: o.removed_at,
            incidents: count,
            removalProposed: o.state !== 'removed' && count >= list.leaksBeforeRemoval,
            people: people.filter((p) => p.org_id === o.id).map((p) => personView(p, embargo?.hash ?? null)),
          };
        }),
      };
    },

    /**
     * Puts an organisation on the list by hand (members from before Vigil, or the list's first
     * ones, whom nobody could vouch for): active, its review due after the policy's period.
     */
    async createOrg(principal: Principal, slug: string, input: { name: string; contactAlias: string }) {
      const found = await loadProjectFor(k, principal, slug, 'distributors.manage');
      const project = await projectContextById(k, found.id);
      if (!distributorsEmbargo(project)) {
        throw new ConflictError(`The policy of ${project.name} has no distributors list: enable it first.`);
      }
      if (await repo.orgNameTaken(k, project.id, input.name)) {
        throw new ConflictError(`An organisation named “${input.name}” is on the list already.`);
      }
      const now = clock.now().toISOString();
      const orgId = newId();
      const reviewDueAt = addMonths(now, project.policy.disclosure.distributorsList.reviewEveryMonths);
      await k.transaction().execute(async (trx) => {
        await repo.insertOrg(trx, {
          id: orgId,
          project_id: project.id,
          name: input.name,
          contact_alias: input.contactAlias,
          state: 'active',
          state_note_enc: null,
          vouched_by_org_id: null,
          application_id: null,
          joined_at: now,
          review_due_at: reviewDueAt,
          removed_at: null,
          created_at: now,
          updated_at: now,
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'distributors.org_joined',
          subject: { type: 'distributor_org', id: orgId },
          projectId: project.id,
          data: { orgId, name: input.name, applicationId: null, reviewDueAt },
        });
        await scheduleReviewReminder(trx, clock, orgId, reviewDueAt);
      });
      return { orgId, joinedAt: now, reviewDueAt };
    },

    /**
     * Names a person of an organisation (not a removed one): an account is made if needed, and
     * the link mailed; they see nothing embargoed before accepting the embargo text.
     */
    async addPerson(
      principal: Principal,
      slug: string,
      orgId: string,
      input: { name: string; email: string; pgpPublicKey?: string | undefined },
    ) {
      const { project, org } = await teamOrg(principal, slug, orgId);
      if (org.state === 'removed') throw new ConflictError(`Organisation “${org.name}” was removed.`);
      const key = input.pgpPublicKey
        ? await readRecipientKey(input.pgpPublicKey, 'body.pgpPublicKey', clock.now())
        : null;
      return k.transaction().execute((trx) =>
        addPerson(
          trx,
          { clock, publicUrl, cipher },
          {
            project,
            orgId: org.id,
            name: input.name,
            email: input.email,
            key,
            actor: actorOf(principal),
            addedBy: userIdOf(principal),
          },
        ),
      );
    },

    /** Removes a person from their organisation: from then on they receive and see nothing of the list. */
    async removePerson(principal: Principal, slug: string, orgId: string, personId: string): Promise<void> {
      const { org } = await teamOrg(principal, slug, orgId);
      const person = await personOf(org, personId);
      await k.transaction().execute(async (trx) => {
        if (!(await repo.removePerson(trx, person.id, clock.now().toISOString()))) {
          throw new ConflictError(`Person ${person.id} was removed already.`);
        }
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'distributors.person_removed',
          subject: { type: 'distributor_org', id: org.id },
          projectId: org.project_id,
          data: { orgId: org.id, personId: person.id, userId: person.user_id },
        });
      });
    },

    /** Sets (or clears, with null) a person's OpenPGP public key: it must parse and encrypt (400 naming the field). */
    async setPersonKey(
      principal: Principal,
      slug: string,
      orgId: string,
      personId: string,
      armored: string | null,
    ) {
      const { org } = await teamOrg(principal, slug, orgId);
      const person = await personOf(org, personId);
      const key = armored ? await readRecipientKey(armored, 'body.pgpPublicKey', clock.now()) : null;
      await k.transaction().execute(async (trx) => {
        await repo.setPersonKey(trx, person.id, {
          pgp_public_key: key?.armored ?? null,
          pgp_fingerprint: key?.fingerprint ?? null,
          pgp_expires_at: key?.expiresAt ?? null,
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'distributors.person_key_set',
          subject: { type: 'distributor_org', id: org.id },
          projectId: org.project_id,
          data: { orgId: org.id, personId: person.id, fingerprint: key?.fingerprint ?? null },
        });
      });
      return {
        personId: person.id,
        pgpFingerprint: key?.fingerprint ?? null,
        pgpExpiresAt: key?.expiresAt ?? null,
      };
    },

    /** Suspends, reinstates or removes an organisation, for a reason (kept encrypted). */
    async setOrgState(
      principal: Principal,
      slug: string,
      orgId: string,
      input: { state: OrgState; reason: string },
    ) {
      const { org } = await teamOrg(principal, slug, orgId);
      const at = await k
        .transaction()
        .execute((trx) => changeState(trx, principal, org, input.state, input.reason));
      return { orgId: org.id, state: input.state, changedAt: at };
    },

    /**
     * Removes an organisation by the policy's leak rule ("If you continue to leak information ...
     * you will be permanently removed"): only once its incidents reach `leaksBeforeRemoval`, and
     * only with the explicit confirmation the body carries. Audited as such.
     */
    async removePerPolicy(principal: Principal, slug: string, orgId: string, reason: string) {
      const { project, org } = await teamOrg(principal, slug, orgId);
      const threshold = project.policy.disclosure.distributorsList.leaksBeforeRemoval;
      return k.transaction().execute(async (trx) => {
        const incidents = await repo.countIncidents(trx, org.id);
        if (incidents < threshold) {
          throw new ConflictError(
            `The policy removes an organisation at ${threshold} incidents; “${org.name}” has ${incidents}.`,
          );
        }
        const at = await changeState(trx, principal, org, 'removed', reason);
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'distributors.org_removed_per_policy',
          subject: { type: 'distributor_org', id: org.id },
          projectId: org.project_id,
          data: { orgId: org.id, incidents, leaksBeforeRemoval: threshold },
        });
        return { orgId: org.id, state: 'removed' as const, changedAt: at };
      });
    },

    /** Records the organisation's review: the next is due the policy's period after it, reminded then. */
    async recordReview(principal: Principal, slug: string, orgId: string, note: string | undefined) {
      const { project, org } = await teamOrg(principal, slug, orgId);
      if (org.state === 'removed') throw new ConflictError(`Organisation “${org.name}” was removed.`);
      const reviewedAt = clock.now().toISOString();
      const nextDueAt = addMonths(reviewedAt, project.policy.disclosure.distributorsList.reviewEveryMonths);
      const reviewId = newId();
      await k.transaction().execute(async (trx) => {
        await repo.insertReview(trx, {
          id: reviewId,
          project_id: project.id,
          org_id: org.id,
          reviewed_by_user_id: userIdOf(principal),
          reviewed_at: reviewedAt,
          note_enc: note ? cipher.encryptField(note, reviewAad(reviewId)) : null,
          next_due_at: nextDueAt,
        });
        await repo.setOrgReviewDue(trx, org.id, nextDueAt, reviewedAt);
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'distributors.review_recorded',
          subject: { type: 'distributor_org', id: org.id },
          projectId: project.id,
          data: { orgId: org.id, reviewId, nextDueAt },
        });
        await scheduleReviewReminder(trx, clock, org.id, nextDueAt);
      });
      return { reviewId, reviewedAt, nextDueAt };
    },

    /**
     * The caller's memberships of distributors lists (active person, organisation not removed, the
     * list still enabled), each with the current embargo text: to accept when never accepted or
     * when the text changed since.
     */
    async myMemberships(principal: Principal) {
      authorize(principal, 'self.manage');
      if (principal.kind !== 'user') throw new UnauthenticatedError();
      const rows = await repo.listMembershipsOfUser(k, principal.userId);
      const contexts = new Map<string, ProjectContext>();
      for (const id of new Set(rows.map((r) => r.project_id)))
        contexts.set(id, await projectContextById(k, id));
      return rows.flatMap((r) => {
        const project = contexts.get(r.project_id);
        const embargo = project ? distributorsEmbargo(project) : null;
        if (!project || !embargo) return [];
        return [
          {
            personId: r.id,
            project: { slug: r.project_slug, name: r.project_name },
            listName: project.policy.disclosure.distributorsList.name,
            org: { id: r.org_id, name: r.org_name, state: r.org_state as OrgState },
            embargo,
            acceptedHash: r.embargo_hash,
            acceptedAt: r.embargo_accepted_at,
            mustAccept: r.embargo_hash !== embargo.hash,
          },
        ];
      });
    },

    /**
     * The caller accepts the current embargo text of the list of membership `personId`, naming it
     * by its hash (409 when it changed since it was read). Stored with the time; audited.
     */
    async acceptEmbargo(principal: Principal, personId: string, embargoHash: string) {
      authorize(principal, 'self.manage');
      if (principal.kind !== 'user') throw new UnauthenticatedError();
      const person = await repo.findPerson(k, personId);
      const org = person ? await repo.findOrgById(k, person.org_id) : undefined;
      if (!person || !org || person.user_id !== principal.userId)
        throw new NotFoundError(`Membership ${personId}`);
      if (person.state !== 'active' || org.state === 'removed') {
        throw new ConflictError('You are no longer on this distributors list.');
      }
      const embargo = distributorsEmbargo(await projectContextById(k, person.project_id));
      if (!embargo) throw new ConflictError('This project has no distributors list any more.');
      if (embargoHash !== embargo.hash) {
        throw new ConflictError('The embargo policy changed since you read it: read it again, then accept.');
      }
      if (person.embargo_hash === embargo.hash && person.embargo_accepted_at) {
        return {
          personId: person.id,
          embargoHash: embargo.hash,
          embargoAcceptedAt: person.embargo_accepted_at,
        };
      }
      const at = clock.now().toISOString();
      await k.transaction().execute(async (trx) => {
        if (!(await repo.acceptEmbargo(trx, person.id, embargo.hash, at))) {
          throw new ConflictError('You are no longer on this distributors list.');
        }
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'distributors.embargo_accepted',
          subject: { type: 'distributor_org', id: org.id },
          projectId: person.project_id,
          data: { orgId: org.id, personId: person.id, userId: person.user_id, embargoHash: embargo.hash },
        });
      });
      return { personId: person.id, embargoHash: embargo.hash, embargoAcceptedAt: at };
    },
  };
}
