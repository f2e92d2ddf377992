/**
 * The disclosure date of a case (PROCESS.md §7): the team proposes an instant (its zone explicit and
 * stored); the reporter and each distributors-list organisation accept, object with a reason, or
 * counter-propose; the team decides, and the decision is recorded with the guardrails it was taken
 * over. The decision writes the case's `disclosure_at`, which the transition to
 * `disclosure-scheduled` then takes (case-workflow.ts). See disclosure-guardrails.ts for the rules.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { actorOf, loadCaseFor } from '../../../authz/access.js';
import type { Action, Principal } from '../../../authz/authz.policy.js';
import type { Db, DbTransaction } from '../../../db/connection.js';
import { requireTimeZone } from '../../../lib/calendar/business-time.js';
import type { Clock } from '../../../lib/clock.js';
import { AppError, ConflictError, NotFoundError, type FieldIssue } from '../../../lib/errors.js';
import { hashSecret, newSortableId } from '../../../lib/ids.js';
import { projectContextById, type ProjectContext } from '../../cases/case-context.js';
import { FIX_OPEN_STATES, type CaseState } from '../../cases/case-transitions.js';
import type { CaseCipher } from '../../cases/case-view.js';
import * as casesRepo from '../../cases/cases.repo.js';
import { REPORTER } from '../../cases/intake/report-filing.js';
import { insertAccessLog, type CasePerson } from '../portal/portal.repo.js';
import { createDisclosureDateReader, dateAad } from './disclosure-date-reader.js';
import { tellParties, tellTeam } from './disclosure-date-notify.js';
import * as repo from './disclosure-date.repo.js';
import type {
  DecideInput,
  DisclosureDateAction,
  DisclosureDateView,
  ProposeInput,
  RespondInput,
} from './disclosure-date.schemas.js';
import { blockingFindings, type Finding } from './disclosure-guardrails.js';
import { schedulePublication } from '../publication/publication.steps.js';

export interface DisclosureDateDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
}

export type DisclosureDateService = ReturnType<typeof createDisclosureDateService>;

/** Who answers: the reporter (through their link, or invited to the case), or a distributor's organisation. */
type Party =
  { party: 'reporter'; userId: string | null } | { party: 'distributor'; userId: string; person: CasePerson };

export function createDisclosureDateService(deps: DisclosureDateDeps) {
  const { db, clock, cipher } = deps;
  const k = db.kysely;
  const aad = dateAad;
  const seal = (text: string | undefined, ad: string) => (text ? cipher.encryptField(text, ad) : null);
  const { guardrailsOf, partiesOf, viewerOf, finalSayRefusal, view } = createDisclosureDateReader(deps);

  function requireOpenCase(c: casesRepo.CaseRow): void {
    if (!FIX_OPEN_STATES.includes(c.state as CaseState)) {
      throw new ConflictError(
        `Case ${c.human_id} is ${c.state}: its disclosure date is negotiated from acceptance until publication.`,
      );
    }
  }

  /** 400 naming `field` for each refusal, and `overrides` for each release-window day not overridden. */
  function refusal(c: casesRepo.CaseRow, field: string, blocking: Finding[]): AppError {
    const issues: FieldIssue[] = blocking.map((f) => ({
      path: f.level === 'override' ? 'overrides' : field,
      message: f.message,
    }));
    return new AppError(
      'bad_request',
      400,
      `That instant cannot be the disclosure date of ${c.human_id}: ${blocking.map((f) => f.message).join(' ')}`,
      issues,
    );
  }

  /** Logs what a distributor person opened or did (standalone, or in the action's transaction). */
  function logAccess(
    to: DbTransaction | typeof k,
    c: casesRepo.CaseRow,
    person: CasePerson,
    userId: string,
    what: string,
    detail: string | null,
  ) {
    return insertAccessLog(to, {
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

  async function propose(
    principal: Principal,
    c: casesRepo.CaseRow,
    project: ProjectContext,
    input: ProposeInput,
  ) {
    requireOpenCase(c);
    const at = new Date(input.at);
    const timeZone = requireTimeZone(input.timeZone);
    const findings = (await guardrailsOf(c, project))(at);
    const refused = findings.filter((f) => f.level === 'refused');
    if (refused.length > 0) throw refusal(c, 'at', refused);
    const id = newSortableId();
    await k.transaction().execute(async (trx) => {
      const now = clock.now().toISOString();
      await repo.closeOpenProposals(trx, c.id, now);
      await repo.insertProposal(trx, {
        id,
        case_id: c.id,
        project_id: c.project_id,
        at: at.toISOString(),
        time_zone: timeZone,
        note_enc: seal(input.note, aad.note(id)),
        proposed_by_user_id: principal.kind === 'user' ? principal.userId : null,
        created_at: now,
        closed_at: null,
      });
      await appendAuditEvent(trx, clock, {
        actor: actorOf(principal),
        action: 'disclosure_date.proposed',
        subject: { type: 'case', id: c.id },
        projectId: c.project_id,
        data: { proposalId: id, at: at.toISOString(), timeZone },
      });
      await tellParties(trx, clock, c.id, 'proposed', id, partiesOf(project));
      await tellTeam(trx, clock, c.id, 'proposed', id);
    });
  }

  async function respond(c: casesRepo.CaseRow, project: ProjectContext, party: Party, input: RespondInput) {
    requireOpenCase(c);
    const parties = partiesOf(project);
    if (party.party === 'reporter' ? !parties.reporter : !parties.distributors) {
      throw new ConflictError(
        `The policy of ${project.name} does not negotiate the disclosure date with ${party.party === 'reporter' ? 'the reporter' : 'the distributors'}.`,
      );
    }
    const proposal = await repo.findProposal(k, c.id, input.proposalId);
    if (!proposal) throw new NotFoundError(`Proposal ${input.proposalId} of case ${c.human_id}`);
    if (proposal.closed_at) {
      throw new ConflictError(
        `That proposal of ${c.human_id} was replaced by a newer proposal or a decision: answer the current one.`,
      );
    }
    const counterAt = input.answer === 'counter' && input.counterAt ? new Date(input.counterAt) : null;
    if (counterAt) {
      const refused = (await guardrailsOf(c, project))(counterAt).filter((f) => f.level === 'refused');
      if (refused.length > 0) throw refusal(c, 'counterAt', refused);
    }
    const counterZone = counterAt ? requireTimeZone(input.timeZone ?? proposal.time_zone) : null;
    const partyKey = party.party === 'reporter' ? 'reporter' : `org:${party.person.orgId}`;
    const orgId = party.party === 'distributor' ? party.person.orgId : null;
    await k.transaction().execute(async (trx) => {
      const now = clock.now().toISOString();
      const before = await repo.findResponse(trx, proposal.id, partyKey);
      const id = before?.id ?? newSortableId();
      const fields = {
        user_id: party.userId,
        answer: input.answer,
        reason_enc: seal(input.reason, aad.reason(id)),
        counter_at: counterAt?.toISOString() ?? null,
        counter_time_zone: counterZone,
        updated_at: now,
      };
      if (before) await repo.updateResponse(trx, id, fields);
      else {
        await repo.insertResponse(trx, {
          id,
          proposal_id: proposal.id,
          case_id: c.id,
          party: party.party,
          party_key: partyKey,
          org_id: orgId,
          created_at: now,
          ...fields,
        });
      }
      await appendAuditEvent(trx, clock, {
        actor: party.userId ? { type: 'user', id: party.userId } : REPORTER,
        action: 'disclosure_date.responded',
        subject: { type: 'case', id: c.id },
        projectId: c.project_id,
        data: {
          proposalId: proposal.id,
          party: party.party,
          orgId,
          answer: input.answer,
          counterAt: fields.counter_at,
        },
      });
      if (party.party === 'distributor') {
        await logAccess(
          trx,
          c,
          party.person,
          party.userId,
          'date-response',
          `${input.answer} (proposal ${proposal.id})`,
        );
      }
      await tellTeam(trx, clock, c.id, 'responded', `${id}:${now}`);
    });
  }

  async function decide(
    principal: Principal,
    c: casesRepo.CaseRow,
    project: ProjectContext,
    input: DecideInput,
  ) {
    requireOpenCase(c);
    const refusedSay = finalSayRefusal(principal, c, project);
    if (refusedSay) throw new ConflictError(refusedSay);
    let at: Date;
    let timeZone: string;
    let proposalId: string | null = null;
    if (input.proposalId) {
      const p = await repo.findProposal(k, c.id, input.proposalId);
      if (!p) throw new NotFoundError(`Proposal ${input.proposalId} of case ${c.human_id}`);
      [at, timeZone, proposalId] = [new Date(p.at), p.time_zone, p.id];
    } else {
      at = new Date(input.at ?? '');
      timeZone = requireTimeZone(input.timeZone ?? '');
    }
    const findings = (await guardrailsOf(c, project))(at);
    const { blocking, applied } = blockingFindings(findings, input.overrides);
    if (blocking.length > 0) throw refusal(c, input.proposalId ? 'proposalId' : 'at', blocking);
    const atIso = at.toISOString();
    const id = newSortableId();
    await k.transaction().execute(async (trx) => {
      // The case's lock first (as a transition and a publication attempt take it), then read it
      // again: a case published or closed meanwhile takes no decision (409).
      await casesRepo.lockCase(trx, c.id);
      const fresh = await casesRepo.findCaseById(trx, c.id);
      if (!fresh) throw new NotFoundError(`Case ${c.human_id}`);
      requireOpenCase(fresh);
      const stillRefused = finalSayRefusal(principal, fresh, project);
      if (stillRefused) throw new ConflictError(stillRefused);
      if (proposalId && !(await repo.findProposal(trx, c.id, proposalId))) {
        throw new NotFoundError(`Proposal ${proposalId} of case ${c.human_id}`);
      }
      const now = clock.now().toISOString();
      const previousAt = fresh.disclosure_at;
      await repo.closeOpenProposals(trx, c.id, now);
      await repo.insertDecision(trx, {
        id,
        case_id: c.id,
        project_id: c.project_id,
        proposal_id: proposalId,
        at: atIso,
        time_zone: timeZone,
        previous_at: previousAt,
        overrides_json: JSON.stringify(applied),
        findings_json: JSON.stringify(findings),
        note_enc: seal(input.note, aad.decision(id)),
        decided_by_user_id: principal.kind === 'user' ? principal.userId : null,
        decided_at: now,
      });
      await casesRepo.updateCase(trx, c.id, { disclosure_at: atIso, updated_at: now });
      await appendAuditEvent(trx, clock, {
        actor: actorOf(principal),
        action: 'disclosure_date.decided',
        subject: { type: 'case', id: c.id },
        projectId: c.project_id,
        data: {
          decisionId: id,
          proposalId,
          at: atIso,
          timeZone,
          previousAt,
          overrides: applied,
          warnings: findings.filter((f) => f.level === 'warning').map((f) => f.code),
        },
      });
      if (fresh.state === 'disclosure-scheduled' && previousAt !== atIso) {
        await schedulePublication(trx, clock, c.id, atIso);
      }
      await tellParties(trx, clock, c.id, 'decided', id, { reporter: true, distributors: true });
      await tellTeam(trx, clock, c.id, 'decided', id);
    });
  }

  /** The case of a reporter's private link, or 404. */
  async function caseOfToken(token: string): Promise<casesRepo.CaseRow> {
    const c = await casesRepo.findCaseByReporterToken(k, hashSecret(token));
    if (!c) throw new NotFoundError('This report link');
    return c;
  }

  const ACTION_OF: Record<DisclosureDateAction['action'], Action> = {
    propose: 'case.disclosure-date.propose',
    respond: 'case.disclosure-date.respond',
    decide: 'case.disclosure-date.decide',
  };

  return {
    /** The negotiation as the caller may see it; a distributor's look is logged. */
    async get(principal: Principal, ref: string): Promise<DisclosureDateView> {
      const c = await loadCaseFor(k, principal, ref, 'case.disclosure-date.read');
      const project = await projectContextById(k, c.project_id);
      const viewer = await viewerOf(principal, c, project);
      if (viewer.kind === 'distributor')
        await logAccess(k, c, viewer.person, viewer.userId, 'disclosure-date', null);
      return view(c, project, viewer);
    },

    /** Proposes (team), answers (reporter, distributor) or decides (team); answers the new view. */
    async act(principal: Principal, ref: string, input: DisclosureDateAction): Promise<DisclosureDateView> {
      const c = await loadCaseFor(k, principal, ref, ACTION_OF[input.action]);
      const project = await projectContextById(k, c.project_id);
      if (input.action === 'propose') await propose(principal, c, project, input);
      else if (input.action === 'decide') await decide(principal, c, project, input);
      else {
        const viewer = await viewerOf(principal, c, project);
        const party: Party =
          viewer.kind === 'distributor'
            ? { party: 'distributor', userId: viewer.userId, person: viewer.person }
            : { party: 'reporter', userId: principal.kind === 'user' ? principal.userId : null };
        await respond(c, project, party, input);
      }
      const fresh = (await casesRepo.findCaseById(k, c.id)) ?? c;
      return view(fresh, project, await viewerOf(principal, fresh, project));
    },

    /** The reporter's view, through their private link. */
    async getForReporter(token: string): Promise<DisclosureDateView> {
      const c = await caseOfToken(token);
      return view(c, await projectContextById(k, c.project_id), { kind: 'reporter' });
    },

    /** The reporter answers a proposal through their private link. */
    async respondAsReporter(token: string, input: RespondInput): Promise<DisclosureDateView> {
      const c = await caseOfToken(token);
      const project = await projectContextById(k, c.project_id);
      await respond(c, project, { party: 'reporter', userId: null }, input);
      return view((await casesRepo.findCaseById(k, c.id)) ?? c, project, { kind: 'reporter' });
    },
  };
}
