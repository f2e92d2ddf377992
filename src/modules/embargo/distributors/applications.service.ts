/**
 * Applications to a project's distributors list (PROCESS.md §7): the public form (each membership
 * criterion answered in the applicant's words, the embargo text accepted by its hash, a member who
 * vouches), the vouching member's answer in Vigil, and the security team's decision. An approval
 * makes the organisation and its first person; a refusal mails the applicant the team's reason.
 *
 * Enumeration: naming a vouching member who is not an active person of the list is refused at
 * submission (400 on `vouchEmail`), which does tell the sender that this address is not on the
 * list. The answer is the same for every kind of miss (no account, a removed person, a suspended
 * organisation, the team); it comes only after the rest of the application was found valid, and
 * misses are counted against their own tight limits per client address and per project, so the
 * list cannot be read out by trying addresses. A hit sends the member a vouch request, so probing
 * with members' addresses is visible to them and to the team.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import type { Actor } from '../../../audit/audit.events.js';
import { actorOf, loadProjectFor } from '../../../authz/access.js';
import { authorize, type Principal } from '../../../authz/authz.policy.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import type { Keyring } from '../../../lib/crypto/keyring.js';
import { BadFieldError, ConflictError, NotFoundError, RateLimitedError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { hitRateLimits, type RateLimitRule } from '../../../lib/rate-limit.js';
import { addressBucket } from '../../../lib/client-address.js';
import { projectContextById, type ProjectContext } from '../../cases/case-context.js';
import { readRecipientKey } from '../../pgp/recipient-key.js';
import * as repo from './distributors.repo.js';
import type { ApplicationInput } from './distributors.schemas.js';
import {
  addMonths,
  addPerson,
  enqueueDistributorsMail,
  scheduleReviewReminder,
} from './distributors.steps.js';
import { distributorsEmbargo } from './embargo-text.js';
import { listLabel, openList, type ApplicationState, type VouchState } from './list-view.js';
import { cursorKey, keysetPage, lazyCursorCodec } from '../../../lib/list-page.js';

export interface DistributorApplicationsDeps {
  db: Db;
  clock: Clock;
  cipher: Pick<Keyring, 'encryptField' | 'decryptField'>;
  publicUrl: string;
}

/** Who submits an application: nobody signed in. */
const APPLICANT: Actor = { type: 'system', id: 'applicant' };

export type DistributorApplicationsService = ReturnType<typeof createDistributorApplicationsService>;

/** Builds the applications service. */
export function createDistributorApplicationsService(deps: DistributorApplicationsDeps) {
  const cursors = lazyCursorCodec(deps);
  const { db, clock, cipher, publicUrl } = deps;
  const k = db.kysely;

  const answersAad = (id: string) => fieldAad('distributor_applications', 'answers_enc', id);
  const vouchNoteAad = (id: string) => fieldAad('distributor_applications', 'vouch_note_enc', id);
  const reasonAad = (id: string) => fieldAad('distributor_applications', 'decision_reason_enc', id);

  /** The criteria the application answered, each with its answer. */
  function answersOf(a: repo.ApplicationRow): { criterion: string; answer: string }[] {
    const criteria = JSON.parse(a.criteria_json) as string[];
    const answers = JSON.parse(cipher.decryptField(a.answers_enc, answersAad(a.id))) as string[];
    return criteria.map((criterion, i) => ({ criterion, answer: answers[i] ?? '' }));
  }

  /** Counts a submission, or a vouch that names nobody on the list, against its limits (429 past them). */
  async function limit(rules: RateLimitRule[], what: string): Promise<void> {
    try {
      await hitRateLimits(k, clock, rules);
    } catch (err) {
      if (!(err instanceof RateLimitedError)) throw err;
      const wait = Number(err.headers['retry-after'] ?? 60);
      throw new RateLimitedError(
        wait,
        `Too many ${what} have been sent recently. Keep your text and send it again in ${Math.ceil(wait / 60)} minutes.`,
      );
    }
  }

  /** Every criterion answered, in its own words: a missing or empty answer names its index. */
  function checkAnswers(criteria: readonly string[], answers: readonly string[]): string[] {
    if (answers.length > criteria.length) {
      throw new BadFieldError(
        'body.answers',
        `Give one answer per criterion: this list has ${criteria.length}.`,
      );
    }
    return criteria.map((criterion, i) => {
      const answer = answers[i]?.trim() ?? '';
      if (!answer) {
        throw new BadFieldError(`body.answers.${i}`, `Answer criterion ${i + 1}: “${criterion}”`);
      }
      return answer;
    });
  }

  /** The application `applicationId` of the project, for the team; 404 for another project's. */
  async function teamApplication(principal: Principal, slug: string, applicationId: string) {
    const project = await loadProjectFor(k, principal, slug, 'distributors.manage');
    const a = await repo.findApplication(k, applicationId);
    if (!a || a.project_id !== project.id) throw new NotFoundError(`Application ${applicationId}`);
    return { project: await projectContextById(k, project.id), a };
  }

  /**
   * The vouch request `applicationId` if the caller is the person asked, still active in an active
   * organisation; 404 for anyone else, exactly as for a request that does not exist.
   */
  async function ownVouch(principal: Principal, applicationId: string) {
    authorize(principal, 'distributors.vouch');
    const a = await repo.findApplication(k, applicationId);
    const person = a ? await repo.findPerson(k, a.vouch_person_id) : undefined;
    const org = person ? await repo.findOrgById(k, person.org_id) : undefined;
    const mine =
      principal.kind === 'user' &&
      person?.user_id === principal.userId &&
      person.state === 'active' &&
      org?.state === 'active';
    if (!a || !person || !mine) throw new NotFoundError(`Vouch request ${applicationId}`);
    return { a, person };
  }

  function vouchSummary(a: repo.ApplicationRow, project: { slug: string; name: string }) {
    return {
      applicationId: a.id,
      project,
      orgName: a.org_name,
      applicantName: a.applicant_name,
      applicantEmail: a.applicant_email,
      state: a.vouch_state as VouchState,
      askedAt: a.created_at,
      answeredAt: a.vouch_answered_at,
    };
  }

  async function teamView(project: ProjectContext, rows: repo.ApplicationRow[]) {
    const people = new Map((await repo.listPeople(k, project.id)).map((p) => [p.id, p]));
    const orgs = new Map((await repo.listOrgs(k, project.id)).map((o) => [o.id, o]));
    const current = distributorsEmbargo(project)?.hash;
    return rows.map((a) => {
      const voucher = people.get(a.vouch_person_id);
      return {
        id: a.id,
        orgName: a.org_name,
        contactAlias: a.contact_alias,
        applicant: { name: a.applicant_name, email: a.applicant_email },
        pgpFingerprint: a.pgp_fingerprint,
        pgpExpiresAt: a.pgp_expires_at,
        answers: answersOf(a),
        embargo: {
          hash: a.embargo_hash,
          acceptedAt: a.embargo_accepted_at,
          current: a.embargo_hash === current,
        },
        vouch: {
          personId: a.vouch_person_id,
          name: voucher?.name ?? '',
          email: voucher?.email ?? '',
          orgName: (voucher && orgs.get(voucher.org_id)?.name) ?? '',
          state: a.vouch_state as VouchState,
          note: a.vouch_note_enc ? cipher.decryptField(a.vouch_note_enc, vouchNoteAad(a.id)) : null,
          answeredAt: a.vouch_answered_at,
        },
        state: a.state as ApplicationState,
        reason: a.decision_reason_enc ? cipher.decryptField(a.decision_reason_enc, reasonAad(a.id)) : null,
        decidedAt: a.decided_at,
        orgId: a.org_id,
        createdAt: a.created_at,
      };
    });
  }

  return {
    /** What the public application form shows: the list's name, criteria and embargo text (404 without a list). */
    async applyInfo(slug: string) {
      const { project, embargo } = await openList(k, slug);
      const list = project.policy.disclosure.distributorsList;
      return {
        project: { slug: project.slug, name: project.name },
        listName: listLabel(project),
        criteria: [...list.membershipCriteria],
        embargo,
      };
    },

    /**
     * Files an application (no account): every criterion answered, the current embargo text
     * accepted by its hash (409 when it changed since it was read), a key that encrypts (400 naming
     * `pgpPublicKey`), and a vouching member who is an active person of the list (400 naming
     * `vouchEmail`). The member is asked by mail, the team told; nothing is stored on refusal.
     */
    async submitApplication(slug: string, input: ApplicationInput, meta: { ip?: string | undefined }) {
      const { project, embargo } = await openList(k, slug);
      const ip = meta.ip ?? 'unknown';
      await limit(
        [
          { bucket: addressBucket('distributor-application', ip), limit: 5, windowSeconds: 3600 },
          { bucket: `distributor-application:project:${project.id}`, limit: 50, windowSeconds: 3600 },
        ],
        'applications',
      );
      const criteria = project.policy.disclosure.distributorsList.membershipCriteria;
      const answers = checkAnswers(criteria, input.answers);
      if (input.embargoHash !== embargo.hash) {
        throw new ConflictError('The embargo policy changed since you read it: read it again, then apply.');
      }
      const key = input.pgpPublicKey
        ? await readRecipientKey(input.pgpPublicKey, 'body.pgpPublicKey', clock.now())
        : null;
      if (input.vouchEmail === input.applicantEmail) {
        throw new BadFieldError(
          'body.vouchEmail',
          'The vouching member must be someone other than the applicant.',
        );
      }
      const voucher = await repo.findActivePersonByEmail(k, project.id, input.vouchEmail);
      if (!voucher) {
        await limit(
          [
            { bucket: addressBucket('distributor-vouch-miss', ip), limit: 10, windowSeconds: 86_400 },
            { bucket: `distributor-vouch-miss:project:${project.id}`, limit: 50, windowSeconds: 86_400 },
          ],
          'applications naming someone not on the list',
        );
        throw new BadFieldError(
          'body.vouchEmail',
          'This is not the address of a person on the list: name a member who agreed to vouch for you.',
        );
      }
      const id = newId();
      const now = clock.now().toISOString();
      await k.transaction().execute(async (trx) => {
        await repo.insertApplication(trx, {
          id,
          project_id: project.id,
          org_name: input.orgName,
          contact_alias: input.contactAlias,
          applicant_name: input.applicantName,
          applicant_email: input.applicantEmail,
          pgp_public_key: key?.armored ?? null,
          pgp_fingerprint: key?.fingerprint ?? null,
          pgp_expires_at: key?.expiresAt ?? null,
          criteria_json: JSON.stringify(criteria),
          answers_enc: cipher.encryptField(JSON.stringify(answers), answersAad(id)),
          embargo_hash: embargo.hash,
          embargo_accepted_at: now,
          vouch_person_id: voucher.id,
          vouch_state: 'asked',
          vouch_note_enc: null,
          vouch_answered_at: null,
          state: 'pending',
          decision_reason_enc: null,
          decided_by_user_id: null,
          decided_at: null,
          org_id: null,
          created_at: now,
          updated_at: now,
        });
        await appendAuditEvent(trx, clock, {
          actor: APPLICANT,
          action: 'distributors.application_submitted',
          subject: { type: 'distributor_application', id },
          projectId: project.id,
          data: {
            applicationId: id,
            orgName: input.orgName,
            vouchPersonId: voucher.id,
            embargoHash: embargo.hash,
            criteria: criteria.length,
          },
        });
        await enqueueDistributorsMail(trx, clock, { mail: 'vouch-request', applicationId: id });
        await enqueueDistributorsMail(trx, clock, {
          mail: 'team',
          projectId: project.id,
          notice: 'application-received',
          ref: id,
        });
      });
      return { applicationId: id, submittedAt: now };
    },

    /** The vouch requests addressed to the caller (as an active person of an active organisation). */
    async listMyVouches(principal: Principal) {
      authorize(principal, 'distributors.vouch');
      if (principal.kind !== 'user') return [];
      const rows = await repo.listVouchRequests(k, principal.userId);
      return rows.map((r) => vouchSummary(r, { slug: r.project_slug, name: r.project_name }));
    },

    /** One vouch request, with the application's answers: only for the person asked. */
    async getVouch(principal: Principal, applicationId: string) {
      const { a } = await ownVouch(principal, applicationId);
      const project = await projectContextById(k, a.project_id);
      return {
        ...vouchSummary(a, { slug: project.slug, name: project.name }),
        contactAlias: a.contact_alias,
        answers: answersOf(a),
        note: a.vouch_note_enc ? cipher.decryptField(a.vouch_note_enc, vouchNoteAad(a.id)) : null,
        open: a.state === 'pending' && a.vouch_state === 'asked',
      };
    },

    /** The asked person vouches or declines, once, while the application is pending; the team is told. */
    async answerVouch(
      principal: Principal,
      applicationId: string,
      input: { decision: 'vouch' | 'decline'; note?: string | undefined },
    ) {
      const { a, person } = await ownVouch(principal, applicationId);
      const state: VouchState = input.decision === 'vouch' ? 'vouched' : 'declined';
      const now = clock.now().toISOString();
      const note = input.note ? cipher.encryptField(input.note, vouchNoteAad(a.id)) : null;
      await k.transaction().execute(async (trx) => {
        const answered = await repo.answerVouch(trx, a.id, {
          vouch_state: state,
          vouch_note_enc: note,
          vouch_answered_at: now,
        });
        if (!answered) throw new ConflictError('This vouch request was answered or decided already.');
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'distributors.vouch_answered',
          subject: { type: 'distributor_application', id: a.id },
          projectId: a.project_id,
          data: { applicationId: a.id, personId: person.id, decision: state },
        });
        await enqueueDistributorsMail(trx, clock, {
          mail: 'team',
          projectId: a.project_id,
          notice: 'vouch-answered',
          ref: a.id,
        });
      });
      return { applicationId: a.id, state, answeredAt: now };
    },

    /** The project's applications with their answers and vouch, newest first (the team). */
    async listApplications(
      principal: Principal,
      slug: string,
      page: { cursor?: string | undefined; limit: number },
    ) {
      const found = await loadProjectFor(k, principal, slug, 'distributors.read');
      const project = await projectContextById(k, found.id);
      const codec = await cursors();
      const filter = { projectId: project.id };
      const before = cursorKey(codec.decode('distributors.applications', filter, page.cursor), [
        'string',
        'string',
      ]);
      const { rows, nextCursor } = keysetPage(
        await repo.listApplications(k, project.id, before, page.limit + 1),
        page.limit,
        (last) => codec.encode('distributors.applications', filter, [last.created_at, last.id]),
      );
      return { applications: await teamView(project, rows), nextCursor };
    },

    /**
     * Approves a vouched application: the organisation joins (active, its contact alias, its
     * review due after the policy's period), the applicant becomes its first person (an account
     * made if needed) and is mailed the link. The application's embargo acceptance stays with the
     * application: whoever sent it proved no hold on the address, so the person accepts the text
     * themselves, signed in, on their account page before anything embargoed reaches them.
     */
    async approveApplication(principal: Principal, slug: string, applicationId: string) {
      const { project, a } = await teamApplication(principal, slug, applicationId);
      if (a.state !== 'pending') throw new ConflictError(`Application ${a.id} was ${a.state} already.`);
      if (a.vouch_state !== 'vouched') {
        throw new ConflictError(
          a.vouch_state === 'declined'
            ? 'The member asked to vouch declined: refuse the application, or have them apply again.'
            : 'The member asked to vouch has not vouched yet.',
        );
      }
      if (await repo.orgNameTaken(k, project.id, a.org_name)) {
        throw new ConflictError(`An organisation named “${a.org_name}” is on the list already.`);
      }
      const actor = actorOf(principal);
      const userId = principal.kind === 'user' ? principal.userId : null;
      const list = project.policy.disclosure.distributorsList;
      return k.transaction().execute(async (trx) => {
        const now = clock.now().toISOString();
        const voucher = await repo.findPerson(trx, a.vouch_person_id);
        const orgId = newId();
        const reviewDueAt = addMonths(now, list.reviewEveryMonths);
        if (
          !(await repo.decideApplication(trx, a.id, {
            state: 'approved',
            decision_reason_enc: null,
            decided_by_user_id: userId,
            decided_at: now,
            org_id: orgId,
          }))
        ) {
          throw new ConflictError(`Application ${a.id} was decided already.`);
        }
        await repo.insertOrg(trx, {
          id: orgId,
          project_id: project.id,
          name: a.org_name,
          contact_alias: a.contact_alias,
          state: 'active',
          state_note_enc: null,
          vouched_by_org_id: voucher?.org_id ?? null,
          application_id: a.id,
          joined_at: now,
          review_due_at: reviewDueAt,
          removed_at: null,
          created_at: now,
          updated_at: now,
        });
        const subject = { type: 'distributor_org', id: orgId };
        await appendAuditEvent(trx, clock, {
          actor,
          action: 'distributors.application_approved',
          subject: { type: 'distributor_application', id: a.id },
          projectId: project.id,
          data: { applicationId: a.id, orgId },
        });
        await appendAuditEvent(trx, clock, {
          actor,
          action: 'distributors.org_joined',
          subject,
          projectId: project.id,
          data: { orgId, name: a.org_name, applicationId: a.id, reviewDueAt },
        });
        const added = await addPerson(
          trx,
          { clock, publicUrl, cipher },
          {
            project,
            orgId,
            name: a.applicant_name,
            email: a.applicant_email,
            key: a.pgp_public_key
              ? {
                  armored: a.pgp_public_key,
                  fingerprint: a.pgp_fingerprint ?? '',
                  expiresAt: a.pgp_expires_at,
                }
              : null,
            actor,
            addedBy: userId,
          },
        );
        await scheduleReviewReminder(trx, clock, orgId, reviewDueAt);
        return { applicationId: a.id, orgId, ...added };
      });
    },

    /** Refuses a pending application for `reason`, kept encrypted and mailed to the applicant. */
    async refuseApplication(principal: Principal, slug: string, applicationId: string, reason: string) {
      const { project, a } = await teamApplication(principal, slug, applicationId);
      const now = clock.now().toISOString();
      const userId = principal.kind === 'user' ? principal.userId : null;
      await k.transaction().execute(async (trx) => {
        const decided = await repo.decideApplication(trx, a.id, {
          state: 'refused',
          decision_reason_enc: cipher.encryptField(reason, reasonAad(a.id)),
          decided_by_user_id: userId,
          decided_at: now,
          org_id: null,
        });
        if (!decided) throw new ConflictError(`Application ${a.id} was ${a.state} already.`);
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'distributors.application_refused',
          subject: { type: 'distributor_application', id: a.id },
          projectId: project.id,
          data: { applicationId: a.id },
        });
        await enqueueDistributorsMail(trx, clock, { mail: 'refused', applicationId: a.id });
      });
      return { applicationId: a.id, state: 'refused' as const, decidedAt: now };
    },
  };
}
