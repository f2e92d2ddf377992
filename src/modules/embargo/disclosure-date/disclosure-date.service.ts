/**
 * The disclosure date of a case (PROCESS.md §7): the team proposes an instant (its zone explicit and
 * stored); the reporter and each distributors-list organisation accept, object with a reason, or
 * counter-propose; the team decides, and the decision is recorded with the guardrails it was taken
 * over. The decision writes the case's `disclosure_at`, which the transition to
 * `disclosure-scheduled` then takes (case-workflow.ts). See disclosure-guardrails.ts for the rules.
 */
import { appendAuditEvent } from '../../../audit/audit.log.js';
import { actorOf, loadCaseFor } from '../../../authz/access.js';
import { can, type Action, type Principal } from '../../../authz/authz.policy.js';
import type { Db, DbTransaction } from '../../../db/connection.js';
import { requireTimeZone } from '../../../lib/calendar/business-time.js';
import type { Clock } from '../../../lib/clock.js';
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import { AppError, ConflictError, NotFoundError, type FieldIssue } from '../../../lib/errors.js';
import { hashSecret, newSortableId } from '../../../lib/ids.js';
import { listUsersByIds } from '../../accounts/accounts.repo.js';
import { projectContextById, type ProjectContext } from '../../cases/case-context.js';
import { FIX_OPEN_STATES, type CaseState } from '../../cases/case-transitions.js';
import type { CaseCipher } from '../../cases/case-view.js';
import * as casesRepo from '../../cases/cases.repo.js';
import { REPORTER } from '../../cases/intake/report-filing.js';
import { loadReleaseBoard, rowName } from '../../fix/releases/release-board.js';
import { casePersonOf, isDistributorOn, requireCurrentEmbargo } from '../portal/portal-access.js';
import { insertAccessLog, listSharedOrgs, type CasePerson } from '../portal/portal.repo.js';
import { buildDateView, type DateViewer } from './disclosure-date-view.js';
import { tellParties, tellTeam } from './disclosure-date-notify.js';
import * as repo from './disclosure-date.repo.js';
import type {
  DecideInput,
  DisclosureDateAction,
  DisclosureDateView,
  ProposeInput,
  RespondInput,
} from './disclosure-date.schemas.js';
import {
  blockingFindings,
  checkDisclosureInstant,
  embargoLimits,
  type Finding,
  type ReleasePlanFacts,
} from './disclosure-guardrails.js';

export interface DisclosureDateDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
}

export type DisclosureDateService = ReturnType<typeof createDisclosureDateService>;

/** Who answers: the reporter (through their link, or invited to the case), or a distributor's organisation. */
type Party =
  { party: 'reporter'; userId: string | null } | { party: 'distributor'; userId: string; person: CasePerson };

/** Who looks, with what the service needs of them. */
type Viewer =
  | { kind: 'team' | 'member' | 'reporter'; principal?: Principal }
  | { kind: 'distributor'; person: CasePerson; userId: string };

export function createDisclosureDateService(deps: DisclosureDateDeps) {
  const { db, clock, cipher } = deps;
  const k = db.kysely;
  const aad = {
    note: (id: string) => fieldAad('disclosure_proposals', 'note_enc', id),
    reason: (id: string) => fieldAad('disclosure_responses', 'reason_enc', id),
    decision: (id: string) => fieldAad('disclosure_decisions', 'note_enc', id),
  };
  const seal = (text: string | undefined, ad: string) => (text ? cipher.encryptField(text, ad) : null);
  const unseal = (enc: string | null, ad: string) => (enc ? cipher.decryptField(enc, ad) : null);

  function requireOpenCase(c: casesRepo.CaseRow): void {
    if (!FIX_OPEN_STATES.includes(c.state as CaseState)) {
      throw new ConflictError(
        `Case ${c.human_id} is ${c.state}: its disclosure date is negotiated from acceptance until publication.`,
      );
    }
  }

  /** The release matrix as the "can it be met by then" warning reads it. */
  async function releaseFacts(c: casesRepo.CaseRow, project: ProjectContext): Promise<ReleasePlanFacts> {
    const board = await loadReleaseBoard(k, cipher, c, project.policy);
    return {
      outcome: board.outcome,
      explanation: board.explanation,
      rows: board.rows.map((r) => ({
        name: rowName(r),
        needsRelease: r.kind !== 'main-fix',
        blocked: r.blocked,
        release: r.release && { state: r.release.state, plannedAt: r.release.plannedAt },
      })),
    };
  }

  /** The guardrails for the case, as a function of the instant (the release board loaded once). */
  async function guardrailsOf(c: casesRepo.CaseRow, project: ProjectContext) {
    const releases = await releaseFacts(c, project);
    const now = clock.now();
    return (at: Date): Finding[] =>
      checkDisclosureInstant({
        at,
        now,
        receivedAt: new Date(c.received_at),
        policy: project.policy,
        cvssScore: c.cvss_score,
        releases,
      });
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

  /** The parties the policy negotiates with. */
  function partiesOf(project: ProjectContext) {
    const p = project.policy.disclosure.negotiationParties;
    return { reporter: p.includes('reporter'), distributors: p.includes('distributors') };
  }

  /** Who `principal` is to the case, having read it; a distributor whose embargo is stale gets 409. */
  async function viewerOf(
    principal: Principal,
    c: casesRepo.CaseRow,
    project: ProjectContext,
  ): Promise<Viewer> {
    const res = { projectId: c.project_id, caseId: c.id };
    if (can(principal, 'case.disclosure-date.propose', res)) return { kind: 'team', principal };
    if (principal.kind === 'user' && isDistributorOn(principal, c.id)) {
      const person = await casePersonOf(k, principal, c);
      requireCurrentEmbargo(person, project.policy, project.name);
      return { kind: 'distributor', person, userId: principal.userId };
    }
    if (principal.kind === 'user' && principal.caseRoles.get(c.id)?.has('reporter'))
      return { kind: 'reporter', principal };
    return { kind: 'member', principal };
  }

  /** May the Fix Lead alone decide (the policy's finalSay), and is `principal` not them? */
  function finalSayRefusal(
    principal: Principal,
    c: casesRepo.CaseRow,
    project: ProjectContext,
  ): string | null {
    if (project.policy.disclosure.finalSay !== 'fix-lead' || !c.fix_lead_user_id) return null;
    if (principal.kind === 'user' && principal.userId === c.fix_lead_user_id) return null;
    return `The policy of ${project.name} gives the final say on the disclosure date to the Fix Lead of ${c.human_id}.`;
  }

  async function view(
    c: casesRepo.CaseRow,
    project: ProjectContext,
    viewer: Viewer,
  ): Promise<DisclosureDateView> {
    const [proposals, responses, decisions, orgRows, findingsAt] = await Promise.all([
      repo.listProposals(k, c.id),
      repo.listResponses(k, c.id),
      repo.listDecisions(k, c.id),
      listSharedOrgs(k, c.id),
      guardrailsOf(c, project),
    ]);
    const ids = new Set<string>();
    for (const x of [
      ...proposals.map((p) => p.proposed_by_user_id),
      ...responses.map((r) => r.user_id),
      ...decisions.map((d) => d.decided_by_user_id),
    ])
      if (x) ids.add(x);
    const names =
      viewer.kind === 'team'
        ? new Map((await listUsersByIds(k, [...ids])).map((u) => [u.id, u.name]))
        : new Map<string, string>();
    const dateViewer: DateViewer =
      viewer.kind === 'distributor'
        ? { kind: 'distributor', orgId: viewer.person.orgId, orgName: viewer.person.orgName }
        : { kind: viewer.kind };
    const parties = partiesOf(project);
    const built = buildDateView({
      viewer: dateViewer,
      teamName: `The ${project.name} security team`,
      proposals,
      responses,
      decisions,
      orgs: new Map(orgRows.map((o) => [o.id, o.name])),
      parties,
      names,
      open: {
        proposalNote: (p) => unseal(p.note_enc, aad.note(p.id)),
        reason: (r) => unseal(r.reason_enc, aad.reason(r.id)),
        decisionNote: (d) => unseal(d.note_enc, aad.decision(d.id)),
      },
      findingsAt,
    });
    const limits = embargoLimits({
      receivedAt: new Date(c.received_at),
      policy: project.policy,
      cvssScore: c.cvss_score,
    });
    const open = FIX_OPEN_STATES.includes(c.state as CaseState);
    const hasOpenProposal = proposals.some((p) => p.closed_at === null);
    const principal = viewer.kind === 'distributor' ? undefined : viewer.principal;
    const may = (action: Action) =>
      principal !== undefined && can(principal, action, { projectId: c.project_id, caseId: c.id });
    const respond =
      open &&
      hasOpenProposal &&
      (viewer.kind === 'distributor' ? parties.distributors : viewer.kind === 'reporter' && parties.reporter);
    return {
      caseId: c.id,
      humanId: c.human_id,
      state: c.state,
      viewer: viewer.kind,
      projectTimeZone: project.policy.timeZone,
      holidays: project.policy.holidays,
      parties: [...project.policy.disclosure.negotiationParties],
      finalSay: project.policy.disclosure.finalSay,
      limits: {
        receivedAt: c.received_at,
        maxAt: limits.maxAt.toISOString(),
        critical: limits.critical,
        targetAt: limits.targetAt?.toISOString() ?? null,
      },
      disclosureAt: c.disclosure_at,
      ...built,
      abilities: {
        propose: open && may('case.disclosure-date.propose'),
        respond,
        decide:
          open &&
          may('case.disclosure-date.decide') &&
          (!principal || finalSayRefusal(principal, c, project) === null),
      },
    };
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
      const now = clock.now().toISOString();
      const fresh = (await casesRepo.findCaseById(trx, c.id)) ?? c;
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
        // LEAD: schedulePublication(trx, clock, c.id, atIso)
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
