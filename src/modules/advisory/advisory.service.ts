/**
 * The advisory of an accepted case: one record per case, edited by the security team, from which
 * every standard format is derived later. Every save is a new encrypted revision (nothing is
 * overwritten) guarded by the revision it started from; CVE id and CVE request bookkeeping; the
 * withdrawn and rejected states. Only the project's security team sees it (admins do not).
 */
import { appendAuditEvent } from '../../audit/audit.log.js';
import { UI_ABILITIES, abilities, type Principal } from '../../authz/authz.policy.js';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { fieldAad } from '../../lib/crypto/encrypted-fields.js';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { renderMarkdownSafe } from '../../lib/markdown.js';
import { actorOf, loadCaseFor } from '../../authz/access.js';
import { recordCaseRead } from '../access/access-log.js';
import { FIX_OPEN_STATES } from '../cases/case-transitions.js';
import { projectContextById } from '../cases/case-context.js';
import { caseCrypto, type CaseCipher } from '../cases/case-view.js';
import { createCweCatalogue } from '../cwe/cwe-catalogue.js';
import { isUniqueViolation } from '../pgp/pgp.repo.js';
import type { Credit } from '../cases/cases.schemas.js';
import type * as casesRepo from '../cases/cases.repo.js';
import { diffJson, unifiedLineDiff } from './advisory-diff.js';
import { overallSeverity, scoreVectors } from './advisory-severity.js';
import {
  authorName,
  insertAdvisoryRecord,
  openAdvisoryDocument,
  recordCaseSeverity,
} from './advisory-record.js';
import {
  cveIndexKey,
  openCveId,
  openCveRequest,
  sealCveId,
  sealCveRequest,
  type CveRequest,
} from './advisory-cve.js';
import * as repo from './advisory.repo.js';
import {
  parseAdvisoryDocument,
  patchedVersions,
  type AdvisoryDocument,
  type AdvisoryState,
} from './advisory.schemas.js';
import { cursorKey, keysetPage, lazyCursorCodec } from '../../lib/list-page.js';
import { MAX_PAGE_SIZE } from '../../lib/pagination.js';

export interface AdvisoryDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
}

/** Case states in which a draft may be started: from acceptance until the advisory is public. */
const DRAFTABLE_CASE_STATES: readonly string[] = FIX_OPEN_STATES;
/** States from which an advisory may still be edited, withdrawn or rejected. */
const OPEN_STATES: readonly AdvisoryState[] = ['draft', 'published'];

const cweCatalogue = createCweCatalogue();

/**
 * The sanitised HTML of a revision's description, by revision id: a revision never changes once
 * saved, so the rendering (markdown-it and sanitize-html, about 0.5 ms per read in issue 12's
 * profile) is done once per revision and instance. Bounded (RENDERED_CACHE_SIZE, oldest out); it
 * holds what the process decrypts for readers anyway, and nothing outlives a restart.
 */
const renderedDescriptions = new Map<string, string>();
const RENDERED_CACHE_SIZE = 500;

function renderedDescription(revisionId: string, markdown: string): string {
  const cached = renderedDescriptions.get(revisionId);
  if (cached !== undefined) return cached;
  const html = renderMarkdownSafe(markdown);
  if (renderedDescriptions.size >= RENDERED_CACHE_SIZE) {
    const oldest = renderedDescriptions.keys().next().value;
    if (oldest !== undefined) renderedDescriptions.delete(oldest);
  }
  renderedDescriptions.set(revisionId, html);
  return html;
}

/** The credit line a reporter chose at intake, or none when they asked to stay anonymous. */
export function creditFromReporter(credit: Credit | undefined): AdvisoryDocument['credits'] {
  if (!credit || credit.anonymous) return [];
  const who = credit.name ?? credit.handle;
  if (!who) return [];
  const name = credit.affiliation ? `${who} (${credit.affiliation})` : who;
  return [{ name: name.slice(0, 200), type: 'REPORTER' }];
}

export type AdvisoryService = ReturnType<typeof createAdvisoryService>;

export function createAdvisoryService(deps: AdvisoryDeps) {
  const { db, clock, cipher } = deps;
  const k = db.kysely;
  const cases = caseCrypto(cipher);
  const cursors = lazyCursorCodec(deps);
  const indexKey = cveIndexKey(deps);

  const seal = {
    document: (id: string, doc: AdvisoryDocument) =>
      cipher.encryptField(JSON.stringify(doc), fieldAad('advisory_revisions', 'document_enc', id)),
    reason: (id: string, reason: string) =>
      cipher.encryptField(reason, fieldAad('advisories', 'state_reason_enc', id)),
  };
  const open = {
    document: (row: repo.RevisionRow): AdvisoryDocument => openAdvisoryDocument(cipher, row),
    reason: (row: repo.AdvisoryRow) =>
      row.state_reason_enc
        ? cipher.decryptField(row.state_reason_enc, fieldAad('advisories', 'state_reason_enc', row.id))
        : null,
  };

  /** The case by id, human id or advisory id, if the caller may `action` its advisory; otherwise 404. */
  /** Every path here shows the draft (or the case it is drafted from): each is recorded as a read. */
  const loadCase = async (principal: Principal, ref: string, action: 'advisory.read' | 'advisory.edit') => {
    const c = await loadCaseFor(k, principal, ref, action);
    await recordCaseRead(db, clock, principal, c, 'advisory');
    return c;
  };

  async function loadAdvisory(principal: Principal, ref: string, action: 'advisory.read' | 'advisory.edit') {
    const c = await loadCase(principal, ref, action);
    const a = await repo.findAdvisoryByCase(k, c.id);
    if (!a) throw new NotFoundError(`The advisory of case ${c.human_id}`);
    return { c, a };
  }

  function requireOpen(a: repo.AdvisoryRow, doing: string): void {
    if (!(OPEN_STATES as readonly string[]).includes(a.state)) {
      throw new ConflictError(`Advisory ${a.advisory_id} is ${a.state}: it cannot ${doing}.`);
    }
  }

  async function revisionOf(a: repo.AdvisoryRow, n: number) {
    const r = await repo.findRevision(k, a.id, n);
    if (!r) throw new NotFoundError(`Revision ${n} of advisory ${a.advisory_id}`);
    return r;
  }

  async function view(principal: Principal, c: casesRepo.CaseRow, a: repo.AdvisoryRow) {
    const rev = await revisionOf(a, a.current_revision);
    const document = open.document(rev);
    const scored = scoreVectors(document);
    const overall = overallSeverity(scored);
    return {
      id: a.id,
      advisoryId: a.advisory_id,
      caseId: c.id,
      caseHumanId: c.human_id,
      state: a.state as AdvisoryState,
      stateReason: open.reason(a),
      cveId: openCveId(cipher, a),
      cveRequest: openCveRequest(cipher, a),
      revision: a.current_revision,
      document,
      affected: document.affected,
      credits: document.credits,
      cwes: document.cwes.map((id) => ({ id, name: cweCatalogue.getCwe(id).name })),
      cvss: scored.map(({ vector, version, score, severity }) => ({ vector, version, score, severity })),
      severity: overall && {
        vector: overall.vector,
        version: overall.version,
        score: overall.score,
        severity: overall.severity,
      },
      descriptionHtml: renderedDescription(rev.id, document.description),
      patchedVersions: patchedVersions(document),
      createdAt: a.created_at,
      updatedAt: a.updated_at,
      abilities: abilities(principal, UI_ABILITIES.advisory, { projectId: a.project_id, caseId: c.id }),
    };
  }

  /** Moves to withdrawn or rejected with the reason (kept encrypted; the audit records no text). */
  async function close(principal: Principal, ref: string, to: 'withdrawn' | 'rejected', reason: string) {
    const { c, a } = await loadAdvisory(principal, ref, 'advisory.edit');
    requireOpen(a, to === 'withdrawn' ? 'be withdrawn' : 'be rejected');
    await k.transaction().execute(async (trx) => {
      const moved = await repo.closeAdvisory(trx, a.id, a.state, {
        state: to,
        state_reason_enc: seal.reason(a.id, reason),
        updated_at: clock.now().toISOString(),
      });
      if (!moved) throw new ConflictError(`Advisory ${a.advisory_id} changed meanwhile; reload.`);
      await appendAuditEvent(trx, clock, {
        actor: actorOf(principal),
        action: to === 'withdrawn' ? 'advisory.withdrawn' : 'advisory.rejected',
        subject: { type: 'advisory', id: a.id },
        projectId: a.project_id,
        data: { advisoryId: a.advisory_id, from: a.state },
      });
    });
    return getCurrent(principal, c);
  }

  async function getCurrent(principal: Principal, c: casesRepo.CaseRow) {
    const a = await repo.findAdvisoryByCase(k, c.id);
    if (!a) throw new NotFoundError(`The advisory of case ${c.human_id}`);
    return view(principal, c, a);
  }

  return {
    /**
     * Starts the advisory of an accepted case (409 otherwise), pre-filled from the case: the title
     * from its subject, the credit from the reporter's own choice (none when anonymous).
     * Idempotent: an existing advisory is returned as it is (`created: false`).
     */
    async createDraft(principal: Principal, caseRef: string) {
      const c = await loadCase(principal, caseRef, 'advisory.edit');
      const existing = await repo.findAdvisoryByCase(k, c.id);
      if (existing) return { created: false, advisory: await view(principal, c, existing) };
      if (!DRAFTABLE_CASE_STATES.includes(c.state)) {
        throw new ConflictError(
          `Case ${c.human_id} is ${c.state}: an advisory is drafted once the case is accepted.`,
        );
      }
      const project = await projectContextById(k, c.project_id);
      const credit = c.reporter_credit_enc ? cases.credit.open(c.id, c.reporter_credit_enc) : undefined;
      const document = parseAdvisoryDocument({
        title: cases.title.open(c.id, c.title_enc).slice(0, 300),
        credits: creditFromReporter(credit),
      });
      const insert = () =>
        k.transaction().execute(async (trx) => {
          const again = await repo.findAdvisoryByCase(trx, c.id);
          if (again) return false;
          const now = clock.now();
          const nowIso = now.toISOString();
          const { id, advisoryId } = await insertAdvisoryRecord(trx, cipher, principal, {
            caseId: c.id,
            projectId: c.project_id,
            casePrefix: project.policy.intake.caseIdPrefix ?? 'VGL',
            year: now.getUTCFullYear(),
            state: 'draft',
            cveId: null,
            document,
            createdAt: nowIso,
            updatedAt: nowIso,
            revisionAt: nowIso,
          });
          await appendAuditEvent(trx, clock, {
            actor: actorOf(principal),
            action: 'advisory.created',
            subject: { type: 'advisory', id },
            projectId: c.project_id,
            data: { advisoryId, caseId: c.id, revision: 1 },
          });
          return true;
        });
      let created: boolean;
      try {
        created = await insert();
      } catch (err) {
        // Two first clicks at once: the loser hits the unique case_id and returns the winner's draft.
        if (!(await repo.findAdvisoryByCase(k, c.id))) throw err;
        created = false;
      }
      return { created, advisory: await getCurrent(principal, c) };
    },

    /** The current document with its metadata and the sanitised HTML of its description. */
    async getAdvisory(principal: Principal, caseRef: string) {
      const { c, a } = await loadAdvisory(principal, caseRef, 'advisory.read');
      return view(principal, c, a);
    },

    /**
     * Saves the document as a new revision. `baseRevision` is the revision the edit started from:
     * when someone saved in between, nothing is written and the answer is 409.
     */
    async saveRevision(
      principal: Principal,
      caseRef: string,
      input: { document: unknown; baseRevision: number },
    ) {
      const { c, a } = await loadAdvisory(principal, caseRef, 'advisory.edit');
      const document = parseAdvisoryDocument(input.document);
      requireOpen(a, 'be edited');
      await k.transaction().execute(async (trx) => {
        const nowIso = clock.now().toISOString();
        const revision = await repo.bumpRevision(trx, a.id, input.baseRevision, nowIso);
        if (revision === undefined) {
          const current = await repo.findAdvisoryByCase(trx, c.id);
          throw new ConflictError(
            `Advisory ${a.advisory_id} was changed by someone else (now revision ${current?.current_revision ?? '?'}, you edited revision ${input.baseRevision}). Reload and apply your change again.`,
          );
        }
        const revId = newId();
        await repo.insertRevision(trx, {
          id: revId,
          advisory_id: a.id,
          revision,
          document_enc: seal.document(revId, document),
          author_user_id: principal.kind === 'user' ? principal.userId : null,
          author_name: await authorName(trx, principal),
          created_at: nowIso,
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'advisory.revised',
          subject: { type: 'advisory', id: a.id },
          projectId: a.project_id,
          data: { advisoryId: a.advisory_id, revision, baseRevision: input.baseRevision },
        });
        await recordCaseSeverity(trx, c.id, document);
      });
      return getCurrent(principal, c);
    },

    /** A page of the revisions: number, author and time, oldest first. */
    async listRevisions(
      principal: Principal,
      caseRef: string,
      page: { cursor?: string | undefined; limit: number },
    ) {
      const { a } = await loadAdvisory(principal, caseRef, 'advisory.read');
      const codec = await cursors();
      const filter = { advisoryId: a.id };
      const after = cursorKey(codec.decode('advisory.revisions', filter, page.cursor), ['number']);
      const { rows, nextCursor } = keysetPage(
        await repo.listRevisions(k, a.id, after?.[0], page.limit + 1),
        page.limit,
        (last) => codec.encode('advisory.revisions', filter, [last.revision]),
      );
      return {
        revisions: rows.map((r) => ({
          revision: r.revision,
          author: { userId: r.author_user_id, name: r.author_name },
          createdAt: r.created_at,
        })),
        nextCursor,
      };
    },

    /** Every revision (number, author, time), oldest first: the history a CSAF export lists whole. */
    async revisionHistory(principal: Principal, caseRef: string) {
      const { a } = await loadAdvisory(principal, caseRef, 'advisory.read');
      const rows: Awaited<ReturnType<typeof repo.listRevisions>> = [];
      for (let after: number | undefined; ;) {
        const page = await repo.listRevisions(k, a.id, after, MAX_PAGE_SIZE);
        rows.push(...page);
        const last = page.at(-1);
        if (page.length < MAX_PAGE_SIZE || last === undefined) break;
        after = last.revision;
      }
      return rows.map((r) => ({
        revision: r.revision,
        author: { userId: r.author_user_id, name: r.author_name },
        createdAt: r.created_at,
      }));
    },

    /** One revision's document as it was saved. */
    async getRevision(principal: Principal, caseRef: string, n: number) {
      const { a } = await loadAdvisory(principal, caseRef, 'advisory.read');
      const r = await revisionOf(a, n);
      const document = open.document(r);
      return {
        revision: r.revision,
        author: { userId: r.author_user_id, name: r.author_name },
        createdAt: r.created_at,
        document,
        descriptionHtml: renderMarkdownSafe(document.description),
      };
    },

    /** What changed from revision `from` to `to`: each JSON path, and the description line by line. */
    async diffRevisions(principal: Principal, caseRef: string, from: number, to: number) {
      const { a } = await loadAdvisory(principal, caseRef, 'advisory.read');
      const [ra, rb] = await Promise.all([revisionOf(a, from), revisionOf(a, to)]);
      const before = open.document(ra);
      const after = open.document(rb);
      return {
        from,
        to,
        changes: diffJson(before, after),
        descriptionDiff: unifiedLineDiff(before.description, after.description),
      };
    },

    /** Records the CVE id (private until publication; the audit notes only that one was set). */
    async setCve(principal: Principal, caseRef: string, input: { cveId: string }) {
      const { c, a } = await loadAdvisory(principal, caseRef, 'advisory.edit');
      const cveId = input.cveId.trim().toUpperCase();
      if (!/^CVE-\d{4}-\d{4,19}$/.test(cveId)) {
        throw new ValidationError('The CVE id is invalid.', [
          { path: 'cveId', message: 'must be CVE-YYYY-NNNN (four or more digits)' },
        ]);
      }
      requireOpen(a, 'take a CVE id');
      const sealed = sealCveId(cipher, await indexKey(), a.id, cveId);
      // One live advisory per CVE id in the instance. The message names no other advisory: the
      // one holding it may be another project's, under embargo.
      const taken = new ConflictError(
        `${cveId} is already the CVE id of another advisory on this instance: check the id with the CNA.`,
      );
      const holder = sealed.cve_id_index
        ? await repo.findLiveAdvisoryByCveIndex(k, sealed.cve_id_index)
        : undefined;
      if (holder && holder.id !== a.id) throw taken;
      try {
        await k.transaction().execute(async (trx) => {
          await repo.updateAdvisory(trx, a.id, { ...sealed, updated_at: clock.now().toISOString() });
          await appendAuditEvent(trx, clock, {
            actor: actorOf(principal),
            action: 'advisory.cve_set',
            subject: { type: 'advisory', id: a.id },
            projectId: a.project_id,
            data: { advisoryId: a.advisory_id, replaced: a.cve_id_enc !== null },
          });
        });
      } catch (err) {
        // Another advisory took it between the check and the write.
        if (isUniqueViolation(err)) throw taken;
        throw err;
      }
      return getCurrent(principal, c);
    },

    /** Records that a CVE was requested from a CNA: which one, when, by whom. */
    async recordCveRequest(
      principal: Principal,
      caseRef: string,
      input: { cna: string; requestedAt?: string | undefined },
    ) {
      const { c, a } = await loadAdvisory(principal, caseRef, 'advisory.edit');
      requireOpen(a, 'record a CVE request');
      const now = clock.now();
      const request: CveRequest = {
        cna: input.cna.trim(),
        requestedAt: input.requestedAt ? new Date(input.requestedAt).toISOString() : now.toISOString(),
        requestedBy:
          principal.kind === 'user'
            ? principal.userId
            : principal.kind === 'operator'
              ? `operator:${principal.name}`
              : 'anonymous',
      };
      await k.transaction().execute(async (trx) => {
        await repo.updateAdvisory(trx, a.id, {
          cve_request_enc: sealCveRequest(cipher, a.id, request),
          updated_at: now.toISOString(),
        });
        await appendAuditEvent(trx, clock, {
          actor: actorOf(principal),
          action: 'advisory.cve_requested',
          subject: { type: 'advisory', id: a.id },
          projectId: a.project_id,
          data: { advisoryId: a.advisory_id },
        });
      });
      return getCurrent(principal, c);
    },

    /** Withdraws the advisory (OSV `withdrawn`), with the reason. Terminal. */
    withdraw(principal: Principal, caseRef: string, input: { reason: string }) {
      return close(principal, caseRef, 'withdrawn', input.reason);
    },

    /** Rejects the advisory (not a vulnerability after all, a duplicate CVE...), with the reason. Terminal. */
    reject(principal: Principal, caseRef: string, input: { reason: string }) {
      return close(principal, caseRef, 'rejected', input.reason);
    },
  };
}
