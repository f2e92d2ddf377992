/**
 * The retrospective (PROCESS.md §9): drafted from the audit log when the case is published, read by
 * everyone who took part (the Fix Team keeps it after their access ended), written by the security
 * team in blameless sections, added to by every participant's feedback, and closed by the Fix Lead,
 * which closes the case. The team's words and the feedback are encrypted at rest.
 */
import { listUsersByIds } from '../../accounts/accounts.repo.js';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { actorOf, loadCaseFor } from '../../../authz/access.js';
import { recordCaseRead } from '../../access/access-log.js';
import { abilities, type Principal } from '../../../authz/authz.policy.js';
import type { Db, DbReader, DbTransaction } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import { ConflictError, NotFoundError } from '../../../lib/errors.js';
import { newSortableId } from '../../../lib/ids.js';
import { findUserById } from '../../accounts/accounts.repo.js';
import { projectContextById } from '../../cases/case-context.js';
import { enqueueCaseMail } from '../../cases/case-notify.js';
import { caseCrypto, type CaseCipher } from '../../cases/case-view.js';
import { applyTransition } from '../../cases/case-workflow.js';
import * as casesRepo from '../../cases/cases.repo.js';
import type { Policy } from '../../policy/policy.schema.js';
import { createCaseLifecycle } from '../case-lifecycle.js';
import { buildRetrospectiveDraft, reporterOnly, type DraftEvent } from './retrospective-draft.js';
import { hidesReporter, REPORTER_NAME } from '../team/member-view.js';
import { currentPhases } from '../phases/phase-notify.js';
import {
  EMPTY_SECTIONS,
  mergeSections,
  parseStoredSections,
  type StoredSections,
} from './retrospective-sections.js';
import type { RetrospectiveView, SectionsInput } from './retrospective.schemas.js';
import * as repo from './retrospective.repo.js';

export interface RetrospectiveDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
  /** How many of the case's newest audit events make the timeline (default `repo.MAX_CASE_EVENTS`). */
  maxTimelineEvents?: number;
}

export type RetrospectiveService = ReturnType<typeof createRetrospectiveService>;

const ABILITIES = ['case.retrospective.feedback', 'case.retrospective.manage'] as const;

export function createRetrospectiveService(deps: RetrospectiveDeps) {
  const { db, clock, cipher } = deps;
  const k = db.kysely;
  const crypto = caseCrypto(cipher);
  const maxEvents = deps.maxTimelineEvents ?? repo.MAX_CASE_EVENTS;
  const lifecycle = createCaseLifecycle({ clock, cipher: deps.cipher });

  const sectionsAad = (caseId: string) => fieldAad('retrospectives', 'sections_enc', caseId);
  const feedbackAad = (id: string) => fieldAad('retrospective_feedback', 'body_enc', id);
  const openSections = (caseId: string, enc: string | null): StoredSections =>
    enc ? parseStoredSections(cipher.decryptField(enc, sectionsAad(caseId))) : EMPTY_SECTIONS;

  /** 409 naming why the retrospective of `c` takes no more writes: none yet, or closed. */
  async function notDraft(trx: DbReader, c: casesRepo.CaseRow): Promise<ConflictError> {
    const r = await repo.findRetrospective(trx, c.id);
    return new ConflictError(
      r
        ? `The retrospective of case ${c.human_id} is closed: it takes no more changes.`
        : `Case ${c.human_id} has no retrospective yet: it is drafted when the case is published.`,
    );
  }

  /** Locks the draft of `c` for a write inside `trx`, or throws the 409. */
  async function lockDraft(trx: DbTransaction, c: casesRepo.CaseRow): Promise<void> {
    if (!(await repo.lockDraftRetrospective(trx, c.id))) throw await notDraft(trx, c);
  }

  async function view(
    principal: Principal,
    c: casesRepo.CaseRow,
    policy: Policy,
  ): Promise<RetrospectiveView> {
    const r = await repo.findRetrospective(k, c.id);
    const base = {
      caseId: c.id,
      humanId: c.human_id,
      blameless: policy.fix.retrospective.blameless,
      abilities: abilities(principal, ABILITIES, { projectId: c.project_id, caseId: c.id }),
    };
    if (!r) {
      return {
        ...base,
        state: 'none',
        message: noRetrospectiveMessage(c, policy),
        draftedAt: null,
        closedAt: null,
        closedBy: null,
        participants: [],
        timeline: [],
        timelineTruncated: false,
        phases: [],
        links: { introducedBy: [], fixedBy: [], releases: [] },
        sections: [],
        feedback: [],
      };
    }
    const [newest, members, releases, runs, team, feedback] = await Promise.all([
      // One more than kept: whether older events were left out.
      repo.listCaseAuditEvents(k, c.id, maxEvents + 1),
      repo.listCaseMemberRoles(k, c.id),
      repo.listCaseReleases(k, c.id),
      repo.listCaseRuns(k, c.id),
      casesRepo.listTeamMembers(k, c.project_id),
      repo.listFeedback(k, c.id),
    ]);
    const timelineTruncated = newest.length > maxEvents;
    const parsed = newest.slice(0, maxEvents).reverse().map(toDraftEvent);
    const userIds = new Set<string>(members.map((m) => m.userId));
    for (const e of parsed) {
      if (e.actorType === 'user' && e.actorId) userIds.add(e.actorId);
      if (typeof e.data.userId === 'string') userIds.add(e.data.userId);
    }
    if (c.fix_lead_user_id) userIds.add(c.fix_lead_user_id);
    if (r.closed_by) userIds.add(r.closed_by);
    const users = await listUsersByIds(k, [...userIds]);
    const record = { caseRow: c, events: parsed, securityTeam: team.map((m) => m.id), members };
    const hideReporter = hidesReporter(principal, c);
    const hidden = hideReporter ? reporterOnly(record) : new Set<string>();
    const draft = buildRetrospectiveDraft({
      ...record,
      users,
      phases: currentPhases(cipher, c, policy, clock.now(), r.closed_at),
      releases,
      runs,
      sections: openSections(c.id, r.sections_enc),
      hideReporter,
    });
    const closer = r.closed_by ? users.find((u) => u.id === r.closed_by) : undefined;
    return {
      ...base,
      state: r.state === 'closed' ? 'closed' : 'draft',
      message: null,
      draftedAt: r.drafted_at,
      closedAt: r.closed_at,
      closedBy: r.closed_by
        ? { userId: r.closed_by, name: closer ? closer.name || closer.email : 'a removed account' }
        : null,
      ...draft,
      timelineTruncated,
      feedback: feedback.map((f) => ({
        id: f.id,
        author:
          f.author_user_id && hidden.has(f.author_user_id)
            ? { userId: null, name: REPORTER_NAME }
            : { userId: f.author_user_id, name: f.author_name },
        body: cipher.decryptField(f.body_enc, feedbackAad(f.id)),
        createdAt: f.created_at,
      })),
    };
  }

  return {
    /** The retrospective of a case: its draft from the record, the team's sections and the feedback. */
    async getRetrospective(principal: Principal, ref: string): Promise<RetrospectiveView> {
      const c = await loadCaseFor(k, principal, ref, 'case.retrospective.read');
      await recordCaseRead(db, clock, principal, c, 'retrospective');
      const project = await projectContextById(k, c.project_id);
      return view(principal, c, project.policy);
    },

    /** Replaces the sections the input names; the audit event names them, never their text. */
    async updateSections(
      principal: Principal,
      ref: string,
      input: SectionsInput,
    ): Promise<RetrospectiveView> {
      const c = await loadCaseFor(k, principal, ref, 'case.retrospective.manage');
      const project = await projectContextById(k, c.project_id);
      await k.transaction().execute(async (trx) => {
        await lockDraft(trx, c);
        const r = await repo.findRetrospective(trx, c.id);
        const { sections, changed } = mergeSections(
          openSections(c.id, r?.sections_enc ?? null),
          input.sections,
        );
        if (changed.length === 0) return;
        const sealed = cipher.encryptField(JSON.stringify(sections), sectionsAad(c.id));
        await repo.updateRetrospectiveSections(trx, c.id, sealed, clock.now().toISOString());
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'retrospective.updated',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { caseId: c.id, sections: changed },
        });
      });
      return view(principal, c, project.policy);
    },

    /** A participant's feedback, kept as plain text and encrypted; 409 unless the draft is open. */
    async addFeedback(principal: Principal, ref: string, input: { body: string }) {
      const c = await loadCaseFor(k, principal, ref, 'case.retrospective.feedback');
      // The policy admits users alone to feedback; this narrows the type.
      if (principal.kind !== 'user') throw new NotFoundError(`Case ${ref}`);
      const user = await findUserById(k, principal.userId);
      const author = { userId: principal.userId, name: user?.name || principal.email };
      const id = newSortableId();
      const createdAt = clock.now().toISOString();
      await k.transaction().execute(async (trx) => {
        await lockDraft(trx, c);
        if ((await repo.countFeedback(trx, c.id)) >= repo.MAX_FEEDBACK) {
          throw new ConflictError(
            `The retrospective of case ${c.human_id} holds ${repo.MAX_FEEDBACK} pieces of feedback, as many as it takes.`,
          );
        }
        await repo.insertFeedback(trx, {
          id,
          case_id: c.id,
          author_user_id: author.userId,
          author_name: author.name,
          body_enc: cipher.encryptField(input.body, feedbackAad(id)),
          created_at: createdAt,
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'retrospective.feedback_added',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { caseId: c.id, feedbackId: id },
        });
      });
      return { id, author, body: input.body, createdAt };
    },

    /**
     * The Fix Lead closes the retrospective, and the case closes (published -> closed through the
     * workflow engine), in one transaction: either both happen or neither.
     */
    async close(principal: Principal, ref: string) {
      const c = await loadCaseFor(k, principal, ref, 'case.retrospective.manage');
      const project = await projectContextById(k, c.project_id);
      const actor = actorOf(principal);
      return k.transaction().execute(async (trx) => {
        const at = clock.now().toISOString();
        if (!(await repo.closeRetrospective(trx, c.id, actor.id, at))) throw await notDraft(trx, c);
        await appendAuditEvent(trx, clock, {
          actor,
          action: 'retrospective.closed',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { caseId: c.id },
        });
        const current = (await casesRepo.findCaseById(trx, c.id)) ?? c;
        const moved = await applyTransition(
          trx,
          { clock, crypto, lifecycle },
          current,
          project.policy,
          { kind: 'team', audit: actor, userId: principal.kind === 'user' ? principal.userId : null },
          { to: 'closed' },
        );
        await enqueueCaseMail(trx, clock, c.id, 'transition.reporter', `${moved.to}:${moved.row.updated_at}`);
        return { state: 'closed' as const, closedAt: at, caseState: moved.to };
      });
    },
  };
}

/** Why a case has no retrospective to show. */
function noRetrospectiveMessage(c: casesRepo.CaseRow, policy: Policy): string {
  if (!policy.fix.retrospective.enabled) return "This project's policy holds no retrospective.";
  if (c.state === 'published' || c.state === 'closed')
    return `Case ${c.human_id} was published without a retrospective (before the policy held one).`;
  return `The retrospective of case ${c.human_id} is drafted when the case is published.`;
}

function toDraftEvent(e: Awaited<ReturnType<typeof repo.listCaseAuditEvents>>[number]): DraftEvent {
  let data: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(e.data_json) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      data = parsed as Record<string, unknown>;
  } catch {
    // An unreadable event says nothing; the chain's verification is `vigil audit verify`'s job.
  }
  return { occurredAt: e.occurred_at, actorType: e.actor_type, actorId: e.actor_id, action: e.action, data };
}
