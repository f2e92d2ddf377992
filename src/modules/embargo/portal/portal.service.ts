/**
 * The distributors' portal (issue 10 item 4; PROCESS.md §7): a person of a distributors-list
 * organisation, signed in, sees the cases shared with the organisation while they are embargoed
 * (`loadCaseFor(…, 'case.portal.read')`: the `distributor` case role, which publication ends): the
 * embargo's end in their zone and UTC, the advisory draft as distributors may see it
 * (distributor-view.ts), the patches per release line, the release plan; they acknowledge and give
 * feedback. Nothing is shown to a person whose accepted embargo text is not the current one (409),
 * and everything they open or do is logged (`portal_access_log`), which the team reads on the case.
 */
import { recordCaseRead } from '../../access/access-log.js';
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { actorOf, loadCaseFor } from '../../../authz/access.js';
import { can, type Principal } from '../../../authz/authz.policy.js';
import type { Db, DbTransaction, DbWriter } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import { NotFoundError } from '../../../lib/errors.js';
import { formatInstant } from '../../../lib/format-instant.js';
import { newSortableId } from '../../../lib/ids.js';
import { currentAdvisoryDocument } from '../../advisory/advisory-record.js';
import { projectContextById, type ProjectContext } from '../../cases/case-context.js';
import { caseCrypto, type CaseCipher } from '../../cases/case-view.js';
import type { CaseRow } from '../../cases/cases.repo.js';
import { loadReleaseBoard, type ReleaseBoard } from '../../fix/releases/release-board.js';
import { createGitStore } from '../../fix/repository/git-store.js';
import { tellTeam } from '../disclosure-date/disclosure-date-notify.js';
import { markCopiesAcknowledged, markCopiesOpened } from '../early-disclosure/early-disclosure.steps.js';
import { creditIdentities, distributorAdvisoryView } from './distributor-view.js';
import { acceptedCurrentEmbargo, casePersonOf, requireCurrentEmbargo } from './portal-access.js';
import { patchesOf } from './portal-patches.js';
import * as repo from './portal.repo.js';
import type { PortalCaseSummary } from './portal.schemas.js';
import { cursorKey, keysetPage, lazyCursorCodec } from '../../../lib/list-page.js';

export interface PortalDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
  /** Where the cases' fix repositories live (the patches). */
  repositoriesDir: string;
}

export type PortalService = ReturnType<typeof createPortalService>;

export function createPortalService(deps: PortalDeps) {
  const { db, clock, cipher } = deps;
  const k = db.kysely;
  const crypto = caseCrypto(cipher);
  const store = createGitStore(deps.repositoriesDir);
  const feedbackAad = (id: string) => fieldAad('portal_feedback', 'body_enc', id);
  const cursors = lazyCursorCodec(deps);

  function log(
    to: DbWriter,
    c: CaseRow,
    person: repo.CasePerson,
    userId: string,
    what: string,
    detail: string | null,
  ) {
    return repo.insertAccessLog(to, {
      id: newSortableId(),
      case_id: c.id,
      project_id: c.project_id,
      user_id: userId,
      org_id: person.orgId,
      what,
      detail,
      at: clock.now().toISOString(),
    });
  }

  /** The case, the person and the project, for a portal action: 404 unless shared, 409 on a stale embargo. */
  async function open(principal: Principal, ref: string, action: 'case.portal.read' | 'case.portal.respond') {
    const c = await loadCaseFor(k, principal, ref, action);
    const project = await projectContextById(k, c.project_id);
    const person = await casePersonOf(k, principal, c);
    requireCurrentEmbargo(person, project.policy, project.name);
    return { c, project, person, userId: principal.kind === 'user' ? principal.userId : '' };
  }

  /** The reporter's identity, which the distributors' view masks wherever the draft quotes it. */
  function reporterIdentities(c: CaseRow): string[] {
    const out: string[] = [];
    if (c.reporter_email_enc) out.push(crypto.reporterEmail.open(c.id, c.reporter_email_enc));
    if (c.reporter_credit_enc) {
      const credit = crypto.credit.open(c.id, c.reporter_credit_enc);
      out.push(...[credit.name, credit.handle, credit.affiliation].filter((s): s is string => Boolean(s)));
    }
    return out;
  }

  /** The distributors' view of the advisory draft, and the words withheld from them (the patches' too). */
  async function advisoryOf(c: CaseRow) {
    const current = await currentAdvisoryDocument(k, cipher, c.id);
    const identities = reporterIdentities(c);
    if (!current) return { advisory: null, withheld: { cveId: null, identities } };
    const withheld = { cveId: current.cveId, identities };
    return {
      advisory: distributorAdvisoryView(
        { advisoryId: current.advisory.advisory_id, state: current.advisory.state },
        current.document,
        withheld,
      ),
      withheld: { ...withheld, identities: [...identities, ...creditIdentities(current.document)] },
    };
  }

  /** The release matrix and the recorded releases, without the team's words (override reasons) or CI logs. */
  function releasePlanOf(board: ReleaseBoard) {
    return {
      outcome: board.outcome,
      explanation: board.explanation,
      rows: board.rows.map((r) => ({
        line: r.line,
        branch: r.branch,
        kind: r.kind,
        ready: !board.ciRequired || r.green || r.override !== null,
        release: r.release,
      })),
    };
  }

  function embargoOf(c: CaseRow, project: ProjectContext, timeZone: string) {
    const at = c.disclosure_at ? new Date(c.disclosure_at) : null;
    return {
      endsAt: c.disclosure_at,
      utc: at && formatInstant(at, 'UTC', 'long'),
      local: at && formatInstant(at, timeZone, 'long'),
      timeZone,
      projectTimeZone: project.policy.timeZone,
    };
  }

  return {
    /** The cases shared with the caller's organisations while embargoed; each one listed is logged. */
    async listCases(principal: Principal) {
      if (principal.kind !== 'user') throw new NotFoundError('The distributors’ portal');
      const shared = [...principal.caseRoles]
        .filter(([, roles]) => roles.has('distributor'))
        .map(([id]) => id);
      const projects = new Map<string, ProjectContext>();
      const cases: PortalCaseSummary[] = [];
      for (const id of shared) {
        const c = await loadCaseFor(k, principal, id, 'case.portal.read').catch((err: unknown) => {
          if (err instanceof NotFoundError) return undefined;
          throw err;
        });
        const [person] = c ? await repo.findCasePeople(k, c.id, principal.userId) : [];
        if (!c || !person) continue;
        const project = projects.get(c.project_id) ?? (await projectContextById(k, c.project_id));
        projects.set(c.project_id, project);
        if (!acceptedCurrentEmbargo(person, project.policy)) {
          // Nothing of a case before the current text: only that the project asks for it, once.
          if (!cases.some((x) => !x.embargoAccepted && x.project.slug === project.slug)) {
            cases.push({
              caseId: null,
              humanId: null,
              project: { slug: project.slug, name: project.name },
              organisation: null,
              title: null,
              embargoEndsAt: null,
              embargoAccepted: false,
              acknowledgedAt: null,
            });
          }
          continue;
        }
        const { advisory } = await advisoryOf(c);
        await log(k, c, person, principal.userId, 'listed', null);
        cases.push({
          caseId: c.id,
          humanId: c.human_id,
          project: { slug: project.slug, name: project.name },
          organisation: person.orgName,
          title: advisory?.title ?? null,
          embargoEndsAt: c.disclosure_at,
          embargoAccepted: true,
          acknowledgedAt:
            (await repo.findAcknowledgement(k, c.id, principal.userId))?.acknowledged_at ?? null,
        });
      }
      cases.sort((a, b) => (a.embargoEndsAt ?? '9999').localeCompare(b.embargoEndsAt ?? '9999'));
      return { cases };
    },

    /** One shared case, as distributors may see it; opening it is logged (and marks their copies opened). */
    async getCase(principal: Principal, ref: string, timeZone: string) {
      const { c, project, person, userId } = await open(principal, ref, 'case.portal.read');
      await recordCaseRead(db, clock, principal, c, 'portal');
      const board = await loadReleaseBoard(k, cipher, c, project.policy);
      const { advisory, withheld } = await advisoryOf(c);
      const [patches, ack, feedback] = await Promise.all([
        patchesOf(k, store, c.id, board, withheld),
        repo.findAcknowledgement(k, c.id, userId),
        repo.listFeedback(k, c.id, person.orgId),
      ]);
      const exported = patches.filter((p) => p.state === 'ready').map((p) => p.line);
      // Why a series was withheld is the team's to read, in this log: the person sees only that it was.
      const held = patches.filter((p) => p.state === 'withheld').map((p) => `${p.line} (${p.reason ?? ''})`);
      const detail = [
        advisory ? `advisory ${advisory.advisoryId}` : 'no advisory yet',
        exported.length > 0 ? `patches ${exported.join(', ')}` : 'no patches',
        ...(held.length > 0 ? [`patches withheld ${held.join(', ')}`] : []),
        'release plan',
      ].join('; ');
      await k.transaction().execute(async (trx: DbTransaction) => {
        await log(trx, c, person, userId, 'case', detail);
        await markCopiesOpened(trx, clock, { caseId: c.id, userId });
      });
      const res = { projectId: c.project_id, caseId: c.id };
      return {
        caseId: c.id,
        humanId: c.human_id,
        project: { slug: project.slug, name: project.name },
        organisation: person.orgName,
        embargo: embargoOf(c, project, timeZone),
        advisory,
        patches: patches.map(({ reason: _reason, ...p }) => p),
        releasePlan: releasePlanOf(board),
        acknowledgedAt: ack?.acknowledged_at ?? null,
        feedback: feedback.map((f) => ({
          id: f.id,
          by: f.user_name,
          body: cipher.decryptField(f.body_enc, feedbackAad(f.id)),
          at: f.created_at,
        })),
        abilities: {
          respond: can(principal, 'case.portal.respond', res),
          answerDate:
            can(principal, 'case.disclosure-date.respond', res) &&
            project.policy.disclosure.negotiationParties.includes('distributors'),
        },
      };
    },

    /** The person acknowledges the case (once: again answers the first time). */
    async acknowledge(principal: Principal, ref: string): Promise<{ acknowledgedAt: string }> {
      const { c, person, userId } = await open(principal, ref, 'case.portal.respond');
      const now = clock.now().toISOString();
      await k.transaction().execute(async (trx) => {
        const inserted = await repo.insertAcknowledgement(trx, {
          case_id: c.id,
          user_id: userId,
          org_id: person.orgId,
          acknowledged_at: now,
        });
        if (!inserted) return;
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'portal.case_acknowledged',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { orgId: person.orgId },
        });
        await log(trx, c, person, userId, 'acknowledged', null);
        await markCopiesAcknowledged(trx, clock, { caseId: c.id, userId });
      });
      const ack = await repo.findAcknowledgement(k, c.id, userId);
      return { acknowledgedAt: ack?.acknowledged_at ?? now };
    },

    /** The organisation's feedback to the team (kept encrypted); the team is told. */
    async addFeedback(principal: Principal, ref: string, input: { body: string }) {
      const { c, person, userId } = await open(principal, ref, 'case.portal.respond');
      const id = newSortableId();
      const createdAt = clock.now().toISOString();
      await k.transaction().execute(async (trx) => {
        await repo.insertFeedback(trx, {
          id,
          case_id: c.id,
          project_id: c.project_id,
          org_id: person.orgId,
          user_id: userId,
          body_enc: cipher.encryptField(input.body, feedbackAad(id)),
          created_at: createdAt,
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'portal.feedback_added',
          subject: { type: 'case', id: c.id },
          projectId: c.project_id,
          data: { orgId: person.orgId, feedbackId: id },
        });
        await log(trx, c, person, userId, 'feedback', null);
        await tellTeam(trx, clock, c.id, 'feedback', id);
      });
      return { id, createdAt };
    },

    /** What the distributors opened and did on the case, their acknowledgements and feedback: the team's. */
    async getPortalLog(
      principal: Principal,
      ref: string,
      page: { cursor?: string | undefined; limit: number },
    ) {
      const c = await loadCaseFor(k, principal, ref, 'case.read');
      const codec = await cursors();
      const filter = { caseId: c.id };
      const before = cursorKey(codec.decode('case.portal-log', filter, page.cursor), ['string', 'string']);
      const [fetched, acks, feedback] = await Promise.all([
        repo.listAccessLog(k, c.id, before, page.limit + 1),
        repo.listAcknowledgements(k, c.id),
        repo.listFeedback(k, c.id),
      ]);
      const { rows: entries, nextCursor } = keysetPage(fetched, page.limit, (last) =>
        codec.encode('case.portal-log', filter, [last.at, last.id]),
      );
      return {
        nextCursor,
        entries: entries.map((e) => ({
          id: e.id,
          at: e.at,
          who: { userId: e.user_id, name: e.user_name, email: e.user_email },
          organisation: e.org_name,
          what: e.what,
          detail: e.detail,
        })),
        acknowledgements: acks.map((a) => ({
          userId: a.user_id,
          name: a.user_name,
          organisation: a.org_name,
          at: a.acknowledged_at,
        })),
        feedback: feedback.map((f) => ({
          id: f.id,
          by: f.user_name,
          organisation: f.org_name,
          body: cipher.decryptField(f.body_enc, feedbackAad(f.id)),
          at: f.created_at,
        })),
      };
    },
  };
}
