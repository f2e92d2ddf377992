/**
 * Reading a case's disclosure date: who the caller is to it (the team, a Fix Team member, the
 * reporter, a distributor whose embargo acceptance is current), the guardrails on an instant as of
 * now (with the release matrix), whether the policy's final say admits the caller, and the view
 * each viewer gets (disclosure-date-view.ts). The service (disclosure-date.service.ts) writes.
 */
import { can, type Action, type Principal } from '../../../authz/authz.policy.js';
import type { Db } from '../../../db/connection.js';
import type { Clock } from '../../../lib/clock.js';
import { fieldAad } from '../../../lib/crypto/encrypted-fields.js';
import { listUsersByIds } from '../../accounts/accounts.repo.js';
import type { ProjectContext } from '../../cases/case-context.js';
import { FIX_OPEN_STATES, type CaseState } from '../../cases/case-transitions.js';
import type { CaseCipher } from '../../cases/case-view.js';
import type * as casesRepo from '../../cases/cases.repo.js';
import { loadReleaseBoard, rowName } from '../../fix/releases/release-board.js';
import { casePersonOf, isDistributorOn, requireCurrentEmbargo } from '../portal/portal-access.js';
import { listSharedOrgs, type CasePerson } from '../portal/portal.repo.js';
import { buildDateView, type DateViewer } from './disclosure-date-view.js';
import * as repo from './disclosure-date.repo.js';
import type { DisclosureDateView } from './disclosure-date.schemas.js';
import {
  checkDisclosureInstant,
  embargoLimits,
  type Finding,
  type ReleasePlanFacts,
} from './disclosure-guardrails.js';

/** Who looks, with what the service needs of them. */
export type Viewer =
  | { kind: 'team' | 'member' | 'reporter'; principal?: Principal }
  | { kind: 'distributor'; person: CasePerson; userId: string };

/** The associated data of the negotiation's encrypted words, by row. */
export const dateAad = {
  note: (id: string) => fieldAad('disclosure_proposals', 'note_enc', id),
  reason: (id: string) => fieldAad('disclosure_responses', 'reason_enc', id),
  decision: (id: string) => fieldAad('disclosure_decisions', 'note_enc', id),
};

export type DisclosureDateReader = ReturnType<typeof createDisclosureDateReader>;

export function createDisclosureDateReader(deps: { db: Db; clock: Clock; cipher: CaseCipher }) {
  const { db, clock, cipher } = deps;
  const k = db.kysely;
  const unseal = (enc: string | null, ad: string) => (enc ? cipher.decryptField(enc, ad) : null);
  const aad = dateAad;

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

  /** The negotiation as `viewer` may see it, with its abilities. */
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

  return { guardrailsOf, partiesOf, viewerOf, finalSayRefusal, view };
}
