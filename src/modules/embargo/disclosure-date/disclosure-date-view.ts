/**
 * The disclosure date as each party sees it (pure, from the loaded rows). The team sees everything:
 * who proposed and decided, each organisation by name, every reason and its own notes. A party sees
 * the proposals (with the team's note to the parties), every party's answer (accept, object,
 * counter and the counter's instant), but the words of its own answer only; other organisations are
 * "another distributor" (a distributor's objections are between it and the team), the reporter is
 * "the reporter", and the team is the project's security team, not a person.
 */
import type { Finding } from './disclosure-guardrails.js';
import type { DecisionRow, ProposalRow, ResponseRow } from './disclosure-date.repo.js';
import type { DisclosureDateView } from './disclosure-date.schemas.js';

export type ViewerKind = DisclosureDateView['viewer'];

/** Who is looking: the team, a Fix Team member (reads), the reporter, or a distributor of `orgId`. */
export type DateViewer =
  { kind: 'team' | 'member' | 'reporter' } | { kind: 'distributor'; orgId: string; orgName: string };

export interface DateViewInput {
  viewer: DateViewer;
  teamName: string;
  proposals: ProposalRow[];
  responses: ResponseRow[];
  decisions: DecisionRow[];
  /** The organisations the case is shared with (id -> name). */
  orgs: ReadonlyMap<string, string>;
  /** Who is expected to answer: the reporter, and the shared organisations. */
  parties: { reporter: boolean; distributors: boolean };
  /** User names by id (the team's view). */
  names: ReadonlyMap<string, string>;
  /** Decrypts a note or a reason of a row. */
  open: {
    proposalNote(row: ProposalRow): string | null;
    reason(row: ResponseRow): string | null;
    decisionNote(row: DecisionRow): string | null;
  };
  /** The guardrails on an instant, as of now. */
  findingsAt(at: Date): Finding[];
}

type PartyRef = { party: 'reporter' } | { party: 'distributor'; orgId: string };

/** How `viewer` names a party, and whether it is the viewer's own. */
function naming(input: DateViewInput, ref: PartyRef): { who: string; mine: boolean } {
  const v = input.viewer;
  if (ref.party === 'reporter') {
    return v.kind === 'reporter' ? { who: 'You', mine: true } : { who: 'The reporter', mine: false };
  }
  if (v.kind === 'distributor' && v.orgId === ref.orgId) {
    return { who: `${v.orgName} (your organisation)`, mine: true };
  }
  if (v.kind === 'team') {
    return { who: input.orgs.get(ref.orgId) ?? 'A distributor no longer on the list', mine: false };
  }
  return { who: v.kind === 'distributor' ? 'Another distributor' : 'A distributor', mine: false };
}

function userName(input: DateViewInput, id: string | null): string {
  if (input.viewer.kind !== 'team') return input.teamName;
  return (id && input.names.get(id)) ?? input.teamName;
}

function responseView(input: DateViewInput, r: ResponseRow, open: boolean) {
  const ref: PartyRef =
    r.party === 'distributor' && r.org_id ? { party: 'distributor', orgId: r.org_id } : { party: 'reporter' };
  const { who, mine } = naming(input, ref);
  const team = input.viewer.kind === 'team';
  return {
    id: r.id,
    party: ref.party,
    who,
    mine,
    answer: r.answer as 'accept' | 'object' | 'counter',
    reason: team || mine ? input.open.reason(r) : null,
    counterAt: r.counter_at,
    counterTimeZone: r.counter_time_zone,
    counterFindings: open && r.counter_at ? input.findingsAt(new Date(r.counter_at)) : [],
    respondedBy: team ? (r.user_id ? (input.names.get(r.user_id) ?? 'unknown') : 'the reporter') : null,
    at: r.updated_at,
  };
}

function awaitingOf(input: DateViewInput, answered: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (input.parties.reporter && !answered.has('reporter')) out.push(naming(input, { party: 'reporter' }).who);
  if (input.parties.distributors) {
    for (const orgId of input.orgs.keys()) {
      if (!answered.has(`org:${orgId}`)) out.push(naming(input, { party: 'distributor', orgId }).who);
    }
  }
  return out;
}

function decisionView(input: DateViewInput, d: DecisionRow) {
  return {
    id: d.id,
    proposalId: d.proposal_id,
    at: d.at,
    timeZone: d.time_zone,
    previousAt: d.previous_at,
    overrides: parseList<string>(d.overrides_json),
    findings: parseList<Finding>(d.findings_json),
    note: input.viewer.kind === 'team' ? input.open.decisionNote(d) : null,
    decidedBy: userName(input, d.decided_by_user_id),
    decidedAt: d.decided_at,
  };
}

function parseList<T>(json: string): T[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

/** The proposals (oldest first), the current decision and, for the team, every decision. */
export function buildDateView(input: DateViewInput) {
  const proposals = input.proposals.map((p) => {
    const open = p.closed_at === null;
    const answers = input.responses.filter((r) => r.proposal_id === p.id);
    return {
      id: p.id,
      at: p.at,
      timeZone: p.time_zone,
      note: input.open.proposalNote(p),
      proposedBy: userName(input, p.proposed_by_user_id),
      createdAt: p.created_at,
      open,
      findings: open ? input.findingsAt(new Date(p.at)) : [],
      responses: answers.map((r) => responseView(input, r, open)),
      awaiting: open ? awaitingOf(input, new Set(answers.map((r) => r.party_key))) : [],
    };
  });
  const decisions = input.decisions.map((d) => decisionView(input, d));
  const current = decisions[decisions.length - 1] ?? null;
  return {
    proposals,
    decision: current,
    decisions: input.viewer.kind === 'team' ? decisions : current ? [current] : [],
  };
}
