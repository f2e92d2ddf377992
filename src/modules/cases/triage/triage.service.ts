/**
 * Triage: the security team's side of a case. The inbox sorted by urgency, the case with its
 * conversation and internal notes, messages to the reporter (the only thing that answers the
 * first-response clock), transitions through the one workflow engine, the "publicly known" flag,
 * attachments, and the response metrics. Only the project's security team sees case content.
 */
import { repositorySummary } from '../../fix/repository/repository-view.js';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { UI_ABILITIES, abilities, can, type Principal } from '../../../authz/authz.policy.js';
import type { Db, DbTransaction } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { AppError, BadFieldError, NotFoundError, type FieldIssue } from '../../../lib/errors.js';
import { titleSearchQuery } from '../../../lib/crypto/keyed-index.js';
import { instanceSecretOnce } from '../../../lib/instance-secrets.js';
import { CURSOR_SECRET, cursorCodec, type CursorKey } from '../../../lib/pagination.js';
import { caseSearchKey } from '../search/case-search.js';
import type { InboxClock, InboxFlag, InboxSeverity } from '../cases.schemas.js';
import { newSortableId } from '../../../lib/ids.js';
import { CLOSED_BY_TRIAGE, nextStates, type CaseState } from '../case-transitions.js';
import { countHeldCases } from '../intake/held.repo.js';
import { closeHold } from '../intake/held.steps.js';
import { applyTransition, type TransitionResult } from '../case-workflow.js';
import {
  actorOf,
  loadCaseFor,
  loadCasesFor,
  loadProjectFor,
  listProjectsFor,
  projectLabel,
} from '../../../authz/access.js';
import { projectContextById } from '../case-context.js';
import { enqueueCaseMail, scheduleFirstResponseReminders } from '../case-notify.js';
import { attachmentView, caseCrypto, caseSummary, messageView, type CaseCipher } from '../case-view.js';
import * as repo from '../cases.repo.js';
import type { BulkTransitionInput, TransitionInput } from '../cases.schemas.js';
import type { Policy } from '../../policy/policy.schema.js';
import { firstResponseDue } from '../response-clock.js';
import { findAdvisoryByCase } from '../../advisory/advisory.repo.js';
import { buildPublicIssue } from './public-issue.js';
import { createCaseLifecycle } from '../../fix/case-lifecycle.js';
import { listUsersByIds } from '../../accounts/accounts.repo.js';
import { listProjectsByIds } from '../../projects/projects.repo.js';
import { schedulePhaseReminders } from '../../fix/phases/phase-notify.js';
import { computeResponseMetrics } from './response-metrics.js';
import { recordCaseRead } from '../../access/access-log.js';

export interface TriageDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
  /** Where the cases' fix repositories live (the lifecycle freezes a case's at publication). */
  repositoriesDir?: string | undefined;
  /** The instance's address: the fix repository's clone URL is under it. */
  publicUrl: string;
}

export type TriageService = ReturnType<typeof createTriageService>;

/** The cases the caller was invited to and may still work on (accepted terms, access not ended). */
function invitedCaseIds(principal: Principal): string[] {
  if (principal.kind !== 'user') return [];
  return [...principal.caseRoles.keys()].filter((caseId) =>
    can(principal, 'case.workspace.read', { caseId }),
  );
}

/** Above this many matching cases the inbox's total is not counted further (`totalIsEstimate`). */
export const EXACT_COUNT_LIMIT = 10_000;

/** What the inbox asks (triage.routes.ts parses it). */
export interface InboxQuery {
  limit: number;
  cursor?: string | undefined;
  sort: 'urgency' | 'received';
  q?: string | undefined;
  projectSlug?: string | undefined;
  states?: CaseState[] | undefined;
  clock?: InboxClock | undefined;
  channels?: string[] | undefined;
  severities?: InboxSeverity[] | undefined;
  flags?: InboxFlag[] | undefined;
  assignee?: 'me' | undefined;
  held?: boolean | undefined;
}

/**
 * The clock filters as a range of the urgency key (`0` + due instant while the clock runs):
 * overdue = due at or before now (also "as soon as possible": publicly known, due when flagged);
 * due within 24 hours = after now, up to now + 24 h.
 */
function clockRange(
  clock: InboxClock | undefined,
  now: Date,
): Pick<repo.InboxFilter, 'urgencyAfter' | 'urgencyUpTo'> {
  if (clock === 'overdue') return { urgencyAfter: '0', urgencyUpTo: `0${now.toISOString()}` };
  if (clock === 'due-24h') {
    return {
      urgencyAfter: `0${now.toISOString()}`,
      urgencyUpTo: `0${new Date(now.getTime() + 24 * 3_600_000).toISOString()}`,
    };
  }
  return {};
}

/** The position a cursor holds: the last row's sort key and id (anything else was not ours). */
function cursorPosition(key: CursorKey | undefined): readonly [string, string] | undefined {
  if (key === undefined) return undefined;
  const [sortKey, id, ...rest] = key;
  if (typeof sortKey !== 'string' || typeof id !== 'string' || rest.length > 0) {
    throw new BadFieldError('querystring.cursor', 'is not a cursor this list gave out');
  }
  return [sortKey, id];
}

function principalUserId(principal: Principal): string {
  // Nobody else leads a case: a non-user asking for its own cases gets none.
  return principal.kind === 'user' ? principal.userId : '';
}

/**
 * The answer to a bulk transition refused for some of its cases: the first refusal's status and
 * code, one issue per refused case naming its place in the request (`body.ids.N`) with the
 * engine's sentence (its state, the guard, the missing piece), and the fields the engine named
 * (`reasonCategory`, `duplicateOf`...) once each.
 */
function bulkRefusal(refused: { index: number; error: AppError }[], total: number, to: CaseState): AppError {
  const first = refused[0];
  if (!first) throw new Error('bulkRefusal needs a refusal');
  const issues: FieldIssue[] = refused.map(({ index, error }) => ({
    path: `body.ids.${index}`,
    message: error.message,
  }));
  const fields = new Set<string>();
  for (const { error } of refused) {
    for (const issue of error.issues) {
      const key = `${issue.path}\u0000${issue.message}`;
      if (issue.path === 'state' || fields.has(key)) continue;
      fields.add(key);
      issues.push(issue);
    }
  }
  const more = refused.length > 1 ? ` (and ${refused.length - 1} more: see the issues)` : '';
  return new AppError(
    first.error.code,
    first.error.status,
    `${refused.length} of ${total} cases cannot go to ${to}, so none was moved. body.ids.${first.index}: ${first.error.message}${more}`,
    issues,
  );
}

export function createTriageService(deps: TriageDeps) {
  const { db, clock } = deps;
  const k = db.kysely;
  const crypto = caseCrypto(deps.cipher);
  const lifecycle = createCaseLifecycle({
    clock,
    cipher: deps.cipher,
    repositoriesDir: deps.repositoriesDir,
  });

  const searchKey = caseSearchKey(deps);
  const cursorKey = instanceSecretOnce(deps, CURSOR_SECRET);

  /** The Fix Lead of each row, by case id: one query for the whole list. */
  async function fixLeadsOf(
    rows: readonly Pick<repo.CaseRow, 'id' | 'fix_lead_user_id'>[],
  ): Promise<Map<string, { userId: string; name: string }>> {
    const ids = [...new Set(rows.map((r) => r.fix_lead_user_id).filter((id): id is string => id !== null))];
    const names = new Map((await listUsersByIds(k, ids)).map((u) => [u.id, u.name]));
    const out = new Map<string, { userId: string; name: string }>();
    for (const r of rows) {
      const name = r.fix_lead_user_id ? names.get(r.fix_lead_user_id) : undefined;
      if (r.fix_lead_user_id && name !== undefined) out.set(r.id, { userId: r.fix_lead_user_id, name });
    }
    return out;
  }

  /**
   * One case moved by the team inside `trx`: the workflow engine, then what a move by the team adds
   * (the hold a closing outcome ends, the reporter's mail, the reminders). The single and the bulk
   * transition routes both move cases through here.
   */
  async function moveCase(
    trx: DbTransaction,
    principal: Principal,
    c: repo.CaseRow,
    policy: Policy,
    input: TransitionInput,
  ): Promise<TransitionResult> {
    // A held report (possibly a flood) is released or closed, nothing between: the table's
    // `notHeld` guard refuses the rest; a closing outcome also ends the hold.
    const closesHold = c.held_at !== null && (CLOSED_BY_TRIAGE as readonly string[]).includes(input.to);
    const actor = actorOf(principal);
    const r = await applyTransition(
      trx,
      { clock, crypto, lifecycle },
      c,
      policy,
      { kind: 'team', audit: actor, userId: principal.kind === 'user' ? principal.userId : null },
      input,
    );
    if (closesHold) await closeHold(trx, clock, c, actor, r.to);
    if (r.messageId) await enqueueCaseMail(trx, clock, c.id, 'message.reporter', r.messageId);
    await enqueueCaseMail(trx, clock, c.id, 'transition.reporter', `${r.to}:${r.row.updated_at}`);
    await scheduleFirstResponseReminders(trx, clock, r.row);
    return r;
  }

  const loadCase = (
    principal: Principal,
    ref: string,
    action: 'case.read' | 'case.triage' | 'case.message',
  ) => loadCaseFor(k, principal, ref, action);

  return {
    /**
     * The inbox: one page of the cases of the caller's projects (or one project), and of the cases
     * they were invited to and whose terms they accepted (those rows only: nothing else of that
     * project), in urgency order (docs/ARCHITECTURE.md, "The inbox") or newest first, filtered.
     * `nextCursor` continues with the same filters (null on the last page); `total` counts every
     * match, exactly up to EXACT_COUNT_LIMIT and beyond it `totalIsEstimate` (then at least that
     * many). Reports held as possibly a flood are left out unless `held` asks for them (then only
     * they are listed); `heldCount` is how many the listed projects hold, whatever the filter.
     */
    async listCases(principal: Principal, query: InboxQuery) {
      let projects = await listProjectsFor(k, principal, 'case.read');
      if (query.projectSlug !== undefined) {
        projects = projects.filter((p) => p.slug === query.projectSlug);
        if (projects.length === 0) throw new NotFoundError(projectLabel(query.projectSlug));
      }
      const byId = new Map(projects.map((p) => [p.id, { slug: p.slug, name: p.name }]));
      const now = clock.now();
      const filter: repo.InboxFilter = {
        projectIds: [...byId.keys()],
        caseIds: query.projectSlug === undefined ? invitedCaseIds(principal) : [],
        sort: query.sort,
        held: query.held ?? false,
        states: query.states,
        channels: query.channels,
        severities: query.severities?.map((s) => (s === 'unscored' ? null : s)),
        flags: query.flags?.filter((f) => f !== 'publicly-known'),
        publiclyKnown: query.flags?.includes('publicly-known'),
        fixLeadUserId: query.assignee === 'me' ? principalUserId(principal) : undefined,
        ...clockRange(query.clock, now),
        search: query.q === undefined ? undefined : titleSearchQuery(await searchKey(), query.q),
      };
      const codec = cursorCodec(await cursorKey());
      const fingerprint = { ...query, limit: undefined, cursor: undefined };
      const after = cursorPosition(codec.decode('cases', fingerprint, query.cursor));
      const [rows, counted, held] = await Promise.all([
        repo.listInboxPage(k, filter, after, query.limit + 1),
        repo.countInbox(k, filter, EXACT_COUNT_LIMIT),
        countHeldCases(k, filter.projectIds),
      ]);
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      const missing = [...new Set(page.map((r) => r.project_id).filter((id) => !byId.has(id)))];
      for (const p of await listProjectsByIds(k, missing)) byId.set(p.id, { slug: p.slug, name: p.name });
      const leads = await fixLeadsOf(page);
      return {
        cases: page.map((r) =>
          caseSummary(r, byId.get(r.project_id) ?? { slug: '?', name: '?' }, crypto, now, leads.get(r.id)),
        ),
        nextCursor:
          rows.length > query.limit && last
            ? codec.encode('cases', fingerprint, [last.sort_key, last.id])
            : null,
        total: Math.min(counted, EXACT_COUNT_LIMIT),
        totalIsEstimate: counted > EXACT_COUNT_LIMIT,
        heldCount: held.reduce((n, p) => n + p.held, 0),
      };
    },

    /**
     * The case. The team sees all of it; someone invited to this one case (Fix Team, collaborator,
     * the reporter) sees the member view: the report, the state, the advisory and the Fix Lead, but
     * not the conversation, notes, attachments or the reporter's identity.
     */
    async getCase(principal: Principal, ref: string) {
      const c = await loadCaseFor(k, principal, ref, 'case.workspace.read');
      await recordCaseRead(db, clock, principal, c, 'case');
      const resource = { projectId: c.project_id, caseId: c.id };
      const team = can(principal, 'case.read', resource);
      const project = await projectContextById(k, c.project_id);
      const [messages, attachments, duplicate, advisory, leads, repository] = await Promise.all([
        team ? repo.listMessages(k, c.id, true) : Promise.resolve([]),
        team ? repo.listAttachments(k, c.id) : Promise.resolve([]),
        team && c.duplicate_of ? repo.findCaseById(k, c.duplicate_of) : Promise.resolve(undefined),
        can(principal, 'advisory.read', resource) ? findAdvisoryByCase(k, c.id) : Promise.resolve(undefined),
        listUsersByIds(k, c.fix_lead_user_id ? [c.fix_lead_user_id] : []),
        can(principal, 'case.repository.read', resource)
          ? repositorySummary(k, c, deps.publicUrl)
          : Promise.resolve(null),
      ]);
      const report = crypto.report.open(c.id, c.report_enc);
      const lead = leads[0];
      const fixLead = lead ? { userId: lead.id, name: lead.name, email: lead.email } : null;
      return {
        ...caseSummary(c, { slug: project.slug, name: project.name }, crypto, clock.now(), fixLead),
        report,
        reporter: team
          ? {
              email: c.reporter_email_enc ? crypto.reporterEmail.open(c.id, c.reporter_email_enc) : null,
              credit: c.reporter_credit_enc
                ? crypto.credit.open(c.id, c.reporter_credit_enc)
                : { anonymous: false },
            }
          : { email: null, credit: { anonymous: true } },
        privateHandling: c.private_handling,
        duplicateOf: duplicate?.human_id ?? null,
        // The case's advisory, if one was started (and the caller may read it): id and state only.
        advisory: advisory ? { advisoryId: advisory.advisory_id, state: advisory.state } : null,
        triagedAt: c.triaged_at,
        fixLead,
        // The private fix repository (from acceptance), for those who may clone it.
        repository,
        messages: messages.map((m) => messageView(crypto, m)),
        attachments: attachments.map((a) => attachmentView(crypto, a)),
        nextStates: can(principal, 'case.triage', resource) ? nextStates(c.state as CaseState, 'team') : [],
        rejectionCategories: team ? [...project.policy.triage.rejectionReasons] : [],
        abilities: abilities(principal, UI_ABILITIES.case, resource),
      };
    },

    /**
     * A message from the team: to the reporter (conversation; the first one answers the clock), or
     * an internal note that the reporter never sees.
     */
    async addMessage(principal: Principal, ref: string, input: { body: string; internal: boolean }) {
      const c = await loadCase(principal, ref, 'case.message');
      const id = newSortableId();
      await k.transaction().execute(async (trx) => {
        const nowIso = clock.now().toISOString();
        const visibility = input.internal ? 'internal' : 'conversation';
        await repo.insertMessage(trx, {
          id,
          case_id: c.id,
          visibility,
          author_type: 'team',
          author_user_id: principal.kind === 'user' ? principal.userId : null,
          body_enc: crypto.message.seal(id, input.body),
          automatic: 0,
          channel: 'web',
          email_message_id: null,
          flags_json: '[]',
          created_at: nowIso,
        });
        await repo.updateCase(trx, c.id, { updated_at: nowIso });
        const actor = actorOf(principal);
        await appendAuditEvent(trx, clock, {
          actor,
          action: 'case.message_added',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { messageId: id, visibility, authorType: 'team', channel: 'web' },
        });
        if (!input.internal) {
          if (await repo.markFirstResponse(trx, c.id, nowIso)) {
            await appendAuditEvent(trx, clock, {
              actor,
              action: 'case.first_responded',
              subject: { type: 'case', id: c.id },
              projectId: c.project_id,
              data: { messageId: id },
            });
          }
          await enqueueCaseMail(trx, clock, c.id, 'message.reporter', id);
        }
      });
      return { id };
    },

    /** Moves the case through the workflow engine; the reporter is told in plain words. */
    async transition(principal: Principal, ref: string, input: TransitionInput) {
      const c = await loadCase(principal, ref, 'case.triage');
      const project = await projectContextById(k, c.project_id);
      return k.transaction().execute(async (trx) => {
        // The case's lock, then the row as it is now (as a bulk transition does): a move made
        // meanwhile (a teammate's bulk rejection) is seen, and this one starts from where it left
        // the case instead of moving it a second time out of the state read before.
        await repo.lockCase(trx, c.id);
        const current = (await repo.findCaseById(trx, c.id)) ?? c;
        const r = await moveCase(trx, principal, current, project.policy, input);
        return { state: r.to, from: r.from };
      });
    },

    /**
     * One transition for many cases (a flood rejected with one reason, many reports marked
     * duplicates of one case): every case is authorized first (any the caller may not triage, or
     * that does not exist, answers the single route's 404), then each goes through `moveCase`,
     * exactly as the single route moves it (its guards, reporter mail and audit event), all in one
     * transaction. A case the transition is refused for refuses the whole batch, naming every such
     * case by its place in `ids` (`body.ids.N`): nothing is changed.
     */
    async bulkTransition(principal: Principal, input: BulkTransitionInput) {
      const { ids, ...change } = input;
      const cases = await loadCasesFor(k, principal, ids, 'case.triage');
      // The same case named twice (its human id and its uuid): asked after the access check, so
      // that it says nothing of cases the caller may not see.
      const named = new Map<string, number>();
      cases.forEach((c, i) => {
        const first = named.get(c.id);
        if (first !== undefined)
          throw new BadFieldError(`body.ids.${i}`, `names the same case as ids.${first}`);
        named.set(c.id, i);
      });
      // Each project's policy once for the batch (a flood is mostly one project).
      const policies = new Map<string, Policy>();
      for (const c of cases) {
        if (!policies.has(c.project_id))
          policies.set(c.project_id, (await projectContextById(k, c.project_id)).policy);
      }
      return k.transaction().execute(async (trx) => {
        // The cases' locks first, then the rows as they are now: a batch that overlaps another one
        // (two of the team rejecting the same flood) waits for it and reads what it left, so no
        // case moves twice from the state it had before.
        const caseIds = cases.map((c) => c.id);
        await repo.lockCases(trx, caseIds);
        const current = await repo.findCasesByIds(trx, caseIds);
        const moved: { id: string; humanId: string; state: CaseState }[] = [];
        const refused: { index: number; error: AppError }[] = [];
        for (const [index, read] of cases.entries()) {
          const c = current.get(read.id) ?? read;
          const policy = policies.get(c.project_id);
          if (!policy) throw new Error(`no policy loaded for project ${c.project_id}`);
          try {
            const r = await moveCase(trx, principal, c, policy, change);
            moved.push({ id: c.id, humanId: c.human_id, state: r.to });
          } catch (err) {
            // The engine's refusals (409, 422, 400) are the caller's to read; anything else fails the batch at once.
            if (!(err instanceof AppError) || err.status >= 500) throw err;
            refused.push({ index, error: err });
          }
        }
        // Thrown inside the transaction: it rolls back every case already moved.
        if (refused.length > 0) throw bulkRefusal(refused, ids.length, change.to);
        return { cases: moved };
      });
    },

    /** Marks a case publicly known (or not): every clock becomes "as soon as possible" (§2). */
    async setPubliclyKnown(principal: Principal, ref: string, publiclyKnown: boolean) {
      const c = await loadCase(principal, ref, 'case.triage');
      const project = await projectContextById(k, c.project_id);
      await k.transaction().execute(async (trx) => {
        const now = clock.now();
        const due = firstResponseDue(new Date(c.received_at), project.policy, publiclyKnown);
        await repo.updateCase(trx, c.id, {
          publicly_known: publiclyKnown ? 1 : 0,
          first_response_due_at: publiclyKnown ? now.toISOString() : (due?.toISOString() ?? null),
          private_handling:
            publiclyKnown && c.private_handling === 'not-asked' ? 'asked' : c.private_handling,
          updated_at: now.toISOString(),
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'case.publicly_known_changed',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { publiclyKnown },
        });
        const row = await repo.findCaseById(trx, c.id);
        if (row) {
          await scheduleFirstResponseReminders(trx, clock, row);
          // An accepted case's phases become due at once (or due again by their windows).
          await schedulePhaseReminders(trx, clock, deps.cipher, row, project.policy);
        }
      });
    },

    /** An attachment's bytes, decrypted, for a download that is never rendered inline. */
    async getAttachment(principal: Principal, ref: string, attachmentId: string) {
      const c = await loadCase(principal, ref, 'case.read');
      const a = await repo.findAttachment(k, c.id, attachmentId);
      if (!a) throw new NotFoundError(`Attachment ${attachmentId}`);
      await recordCaseRead(db, clock, principal, c, `attachment:${a.id}`);
      return {
        filename: crypto.filename.open(a.id, a.filename_enc),
        bytes: crypto.attachment.open(a.id, a.data_enc),
      };
    },

    /** The public issue a not-security report becomes: private details left out, for the team to review. */
    async publicIssueDraft(principal: Principal, ref: string) {
      const c = await loadCase(principal, ref, 'case.read');
      await recordCaseRead(db, clock, principal, c, 'public-issue');
      const project = await projectContextById(k, c.project_id);
      return buildPublicIssue(
        crypto.title.open(c.id, c.title_enc),
        crypto.report.open(c.id, c.report_enc),
        project.policy.project.issueTrackerUrl,
      );
    },

    /**
     * Time to first response and to triage over 90 days; the share that met the deadline with every
     * unanswered case's clock (overdue, running, paused) counted, whenever it came in.
     */
    async metrics(principal: Principal, slug: string) {
      const project = await loadProjectFor(k, principal, slug, 'project.metrics.read');
      const now = clock.now();
      const since = new Date(now.getTime() - 90 * 24 * 3_600_000).toISOString();
      const rows = await repo.listCasesReceivedSince(k, project.id, since);
      const open = await repo.countOpenClocks(k, project.id, now.toISOString());
      return computeResponseMetrics(rows, open, now);
    },
  };
}
