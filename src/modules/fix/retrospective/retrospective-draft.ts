/**
 * The retrospective's draft (PROCESS.md §9), built from what Vigil recorded: who took part, the
 * timeline in words, each phase's due and actual instants, links to what introduced and fixed the
 * issue, and the blameless sections. Pure: the service reads the audit log, the users, the phases,
 * the releases and the CI runs, and this decides what they say. The audit log holds no
 * confidential text, and nothing here adds any: the timeline names people, states, branches,
 * commits and versions only.
 */
import type { PhaseView } from '../phases/phase.types.js';
import { REPORTER_NAME } from '../team/member-view.js';
import {
  SECTION_GUIDES,
  SECTION_KEYS,
  type SectionKey,
  type StoredSections,
} from './retrospective-sections.js';
import { ownValue } from '../../../lib/own-key.js';

/** One audit event of the case, its data parsed. */
export interface DraftEvent {
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  action: string;
  data: Record<string, unknown>;
}

export interface DraftUser {
  id: string;
  name: string;
  email: string;
}

export interface DraftRelease {
  line: string;
  version: string | null;
  url: string | null;
  state: string;
}

/** A CI run of the case's fix repository. */
export interface DraftRun {
  id: string;
  branch: string;
  commitSha: string;
  state: string;
  createdAt: string;
}

export interface DraftInput {
  caseRow: { id: string; fix_lead_user_id: string | null };
  /** The case's audit events, oldest first. */
  events: readonly DraftEvent[];
  /** Every user the events, the members and the team name (unknown ids read "a removed account"). */
  users: readonly DraftUser[];
  /** The project's security team (user ids). */
  securityTeam: readonly string[];
  /** The people invited to the case who accepted the terms, with their role there. */
  members: readonly { userId: string; role: string }[];
  phases: readonly PhaseView[];
  releases: readonly DraftRelease[];
  runs: readonly DraftRun[];
  sections: StoredSections;
  /**
   * The reader sees the member view (no `case.read`): whoever took part only as the reporter is
   * named "The reporter", in the participants and the timeline, and their user id is left out.
   */
  hideReporter: boolean;
}

export const PARTICIPANT_ROLES = [
  'fix-lead',
  'security-team',
  'fix-team',
  'collaborator',
  'reporter',
  'distributor',
] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export interface Participant {
  /** Null for the reporter in the member view. */
  userId: string | null;
  name: string;
  roles: ParticipantRole[];
  /** Audit events they are the actor of. */
  actions: number;
}

export interface TimelineEntry {
  at: string;
  /** The audit action it comes from. */
  action: string;
  /** In words: "Accepted by Alice", "CI passed on release-1.28 at abc1234". */
  what: string;
}

export interface DraftSection {
  key: SectionKey;
  title: string;
  /** What the team wrote; empty until they do. */
  text: string;
  /** The questions that guide the section while it is empty (none once written). */
  questions: string[];
}

export interface RetrospectiveDraft {
  participants: Participant[];
  timeline: TimelineEntry[];
  phases: Pick<PhaseView, 'name' | 'label' | 'startedAt' | 'dueAt' | 'doneAt' | 'status' | 'hoursLate'>[];
  links: {
    introducedBy: string[];
    fixedBy: { branch: string; commit: string; state: string }[];
    releases: DraftRelease[];
  };
  sections: DraftSection[];
}

/** Builds the draft from the case's record. */
export function buildRetrospectiveDraft(input: DraftInput): RetrospectiveDraft {
  const names = new Map(input.users.map((u) => [u.id, u.name.trim() || u.email]));
  const hidden = input.hideReporter ? reporterOnly(input) : new Set<string>();
  const nameOf = (id: string) => (hidden.has(id) ? REPORTER_NAME : (names.get(id) ?? 'a removed account'));
  const runs = new Map(input.runs.map((r) => [r.id, r]));
  const timeline: TimelineEntry[] = [];
  for (const e of input.events) {
    const what = describeEvent(e, nameOf, runs);
    if (what) timeline.push({ at: e.occurredAt, action: e.action, what });
  }
  return {
    participants: participantsOf(input, nameOf).map((p) =>
      p.userId && hidden.has(p.userId) ? { ...p, userId: null } : p,
    ),
    timeline,
    phases: input.phases.map((p) => ({
      name: p.name,
      label: p.label,
      startedAt: p.startedAt,
      dueAt: p.dueAt,
      doneAt: p.doneAt,
      status: p.status,
      hoursLate: p.hoursLate,
    })),
    links: {
      introducedBy: [...input.sections.introducedByLinks],
      fixedBy: latestRunPerBranch(input.runs).map((r) => ({
        branch: r.branch,
        commit: r.commitSha,
        state: r.state,
      })),
      releases: [...input.releases]
        .sort((a, b) => a.line.localeCompare(b.line))
        .map((r) => ({ line: r.line, version: r.version, url: r.url, state: r.state })),
    },
    sections: SECTION_KEYS.map((key) => {
      const text = input.sections.text[key] ?? '';
      const guide = SECTION_GUIDES[key];
      return { key, title: guide.title, text, questions: text.trim() ? [] : [...guide.questions] };
    }),
  };
}

/** Those who were on the case only as the reporter: never a lead, on the team or another member role. */
export function reporterOnly(
  input: Pick<DraftInput, 'caseRow' | 'events' | 'securityTeam' | 'members'>,
): Set<string> {
  const others = new Set<string>(input.securityTeam);
  if (input.caseRow.fix_lead_user_id) others.add(input.caseRow.fix_lead_user_id);
  for (const e of input.events) {
    if (e.action === 'case.fix_lead_assigned' && typeof e.data.userId === 'string') others.add(e.data.userId);
  }
  const reporters = new Set<string>();
  const invited = [
    ...input.members,
    // Invitations not accepted name their invitee in the timeline too.
    ...input.events
      .filter((e) => e.action === 'case.member_invited' && typeof e.data.userId === 'string')
      .map((e) => ({ userId: String(e.data.userId), role: String(e.data.role) })),
  ];
  for (const m of invited) (m.role === 'reporter' ? reporters : others).add(m.userId);
  return new Set([...reporters].filter((id) => !others.has(id)));
}

/** Everyone who took part: the Fix Lead first. */
function participantsOf(input: DraftInput, nameOf: (id: string) => string): Participant[] {
  const roles = new Map<string, Set<ParticipantRole>>();
  const actions = new Map<string, number>();
  const add = (id: string, role?: ParticipantRole) => {
    const set = roles.get(id) ?? new Set<ParticipantRole>();
    if (role) set.add(role);
    roles.set(id, set);
  };
  const team = new Set(input.securityTeam);
  if (input.caseRow.fix_lead_user_id) add(input.caseRow.fix_lead_user_id, 'fix-lead');
  for (const e of input.events) {
    if (e.action === 'case.fix_lead_assigned' && typeof e.data.userId === 'string')
      add(e.data.userId, 'fix-lead');
    if (e.actorType !== 'user' || !e.actorId) continue;
    // A distributors-list person acts on a case only through the portal or by answering on the date.
    const asDistributor =
      e.action.startsWith('portal.') ||
      (e.action === 'disclosure_date.responded' && e.data.party === 'distributor');
    add(e.actorId, asDistributor ? 'distributor' : undefined);
    actions.set(e.actorId, (actions.get(e.actorId) ?? 0) + 1);
  }
  for (const m of input.members) {
    if (m.role === 'fix-team' || m.role === 'collaborator' || m.role === 'reporter') add(m.userId, m.role);
  }
  for (const [id, set] of roles) if (team.has(id)) set.add('security-team');
  const out = [...roles].map(([userId, set]) => ({
    userId,
    name: nameOf(userId),
    roles: PARTICIPANT_ROLES.filter((r) => set.has(r)),
    actions: actions.get(userId) ?? 0,
  }));
  // The Fix Lead, then earlier leads, then by how much they did.
  const rank = (p: Participant) =>
    p.userId === input.caseRow.fix_lead_user_id ? 0 : p.roles.includes('fix-lead') ? 1 : 2;
  return out.sort((a, b) => rank(a) - rank(b) || b.actions - a.actions || a.name.localeCompare(b.name));
}

/** The newest run of each branch (the branch's last pushed head), branches in name order. */
function latestRunPerBranch(runs: readonly DraftRun[]): DraftRun[] {
  const latest = new Map<string, DraftRun>();
  for (const r of runs) {
    const seen = latest.get(r.branch);
    if (!seen || r.createdAt > seen.createdAt || (r.createdAt === seen.createdAt && r.id > seen.id))
      latest.set(r.branch, r);
  }
  return [...latest.values()].sort((a, b) => a.branch.localeCompare(b.branch));
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const shortSha = (sha: string) => sha.slice(0, 7);
const shortRef = (ref: string) => ref.replace(/^refs\/(heads|tags)\//, '');
/** "2026-12-10 15:00 UTC" */
const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

const MEMBER_ROLE: Record<string, string> = {
  'fix-team': 'to the Fix Team',
  collaborator: 'as a collaborator',
  reporter: 'as the reporter',
};

/** Case transitions: the state reached, in words. */
const TRANSITION_WORDS: Record<string, string> = {
  'case.triage_started': 'Triage started',
  'case.accepted': 'Accepted',
  'case.rejected': 'Rejected',
  'case.marked_duplicate': 'Marked a duplicate',
  'case.redirected': 'Redirected as not a security issue',
  'case.info_requested': 'More information asked of the reporter',
  'case.info_received': 'Information received',
  'case.reopened': 'Reopened',
  'case.fix_started': 'Fix started',
  'case.fix_ready': 'Fix ready in every line',
  'case.fix_reopened': 'Fix reopened',
  'case.published': 'Published',
  'case.closed': 'Closed',
};

/** Events that read the same whoever took them. */
const FIXED_WORDS: Record<string, string> = {
  'case.received': 'Report received',
  'case.first_responded': 'First response sent to the reporter',
  'case.team_organised': 'Fix Team organised',
  'case.users_told_of_fix': 'Users told a fix is coming',
  'case.repository_created': 'Fix repository created',
  'case.repository_seed_failed': 'Fix repository could not be seeded from upstream',
  'case.repository_frozen': 'Fix repository made read-only',
  'advisory.created': 'Advisory drafted',
  'advisory.cve_set': 'CVE id recorded',
  'advisory.withdrawn': 'Advisory withdrawn',
  'advisory.rejected': 'Advisory rejected',
  'retrospective.drafted': 'Retrospective drafted',
  'retrospective.closed': 'Retrospective closed',
};

/**
 * One event in words, or null for those a timeline leaves out (messages, revisions, run claims:
 * they count as actions of their author, but would drown the story).
 */
export function describeEvent(
  e: DraftEvent,
  nameOf: (id: string) => string,
  runs: ReadonlyMap<string, DraftRun>,
): string | null {
  const by = e.actorType === 'user' && e.actorId ? ` by ${nameOf(e.actorId)}` : '';
  const d = e.data;
  const transition = ownValue(TRANSITION_WORDS, e.action);
  if (transition) return transition + by;
  const fixed = ownValue(FIXED_WORDS, e.action);
  if (fixed) return fixed + by;
  switch (e.action) {
    case 'case.disclosure_scheduled':
      return `Disclosure scheduled${str(d.disclosureAt) ? ` for ${utc(String(d.disclosureAt))}` : ''}${by}`;
    case 'disclosure_date.proposed':
      return `Disclosure date proposed${str(d.at) ? ` for ${utc(String(d.at))}` : ''}${by}`;
    case 'disclosure_date.decided': {
      const over =
        Array.isArray(d.overrides) && d.overrides.length > 0 ? ` (over: ${listOf(d.overrides, '')})` : '';
      return `Disclosure date decided${str(d.at) ? `: ${utc(String(d.at))}` : ''}${over}${by}`;
    }
    case 'case.publicly_known_changed':
      return (d.publiclyKnown ? 'Marked publicly known' : 'No longer marked publicly known') + by;
    case 'case.fix_lead_assigned': {
      const lead = str(d.userId) ? nameOf(String(d.userId)) : 'nobody';
      return `Fix Lead: ${lead} (${d.method === 'rotation' ? 'rotation' : `chosen${by || ' by hand'}`})`;
    }
    case 'case.fix_lead_unassignable':
      return `No Fix Lead could be chosen${str(d.reason) ? ` (${String(d.reason)})` : ''}`;
    case 'case.member_invited':
    case 'case.member_terms_accepted':
    case 'case.member_removed':
    case 'case.member_access_ended':
      return describeMember(e.action, d, nameOf, by);
    case 'case.watchwords_updated':
      return `Watchwords updated (${Number(d.count) || 0})${by}`;
    case 'case.slowed_down':
      return `Slowed down as low severity${typeof d.cvss === 'number' ? ` (CVSS ${d.cvss})` : ''}${by}`;
    case 'case.upstream_set':
      return `Upstream timeline followed${str(d.disclosureAt) ? `: disclosure ${utc(String(d.disclosureAt))}` : ''}${by}`;
    case 'case.repository_seeded':
      return `Fix repository seeded with ${listOf(d.branches, 'no branch')}`;
    case 'case.repository_pushed':
      return `Pushed ${listOf(d.refs, 'nothing', shortRef)}${by}`;
    case 'case.push_refused':
      return `Push refused: ${listOf(d.refs, 'no ref', shortRef)}${by}`;
    case 'case.release_recorded':
      return describeRelease(d, by);
    case 'case.release_line_overridden':
      return `Release line ${str(d.line) ?? '?'} may ship without a green CI run${by}`;
    case 'advisory.cve_requested':
      return `CVE requested${str(d.cna) ? ` from ${String(d.cna)}` : ''}${by}`;
    case 'ci.run_finished':
      return describeRun(d, runs);
    case 'retrospective.feedback_added':
      return `Feedback${by}`;
    default:
      return null;
  }
}

function listOf(v: unknown, none: string, map: (s: string) => string = (s) => s): string {
  const items = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').map(map) : [];
  return items.length ? items.join(', ') : none;
}

function describeMember(
  action: string,
  d: Record<string, unknown>,
  nameOf: (id: string) => string,
  by: string,
): string {
  const who = str(d.userId) ? nameOf(String(d.userId)) : 'someone';
  const role = ownValue(MEMBER_ROLE, String(d.role)) ?? 'to the case';
  if (action === 'case.member_invited') return `${who} invited ${role}${by}`;
  if (action === 'case.member_terms_accepted') return `${who} accepted the embargo terms`;
  if (action === 'case.member_removed') return `${who} removed from the case${by}`;
  return `${who}'s access to the case ended`;
}

function describeRelease(d: Record<string, unknown>, by: string): string {
  const name = str(d.version) ? `Release ${String(d.version)}` : `Release on ${str(d.line) ?? '?'}`;
  const state = str(d.state) ?? 'recorded';
  return `${name} ${state}${state === 'published' ? '' : by}`;
}

/** "CI passed on release-1.28 at abc1234", from the run the event names. */
function describeRun(d: Record<string, unknown>, runs: ReadonlyMap<string, DraftRun>): string {
  const run = str(d.runId) ? runs.get(String(d.runId)) : undefined;
  const status = str(d.status) ?? 'finished';
  const verb = status === 'passed' ? 'passed' : status === 'failed' ? 'failed' : `ended (${status})`;
  return run ? `CI ${verb} on ${run.branch} at ${shortSha(run.commitSha)}` : `CI ${verb}`;
}
