/**
 * The dashboard (issue 13): one's work across one's projects, in bounded lists. The case lists are
 * the inbox's own query (`listInboxPage` and `countInbox` over the same scope as `GET /api/v1/cases`:
 * the projects the caller reads cases of, and the cases they were invited to), each with a filter;
 * the summaries are the inbox's (`caseSummary`, titles decrypted only for those rows). An admin on no
 * team reads no case, and is told so instead of being shown empty lists.
 */
import { authorize, can, type Principal } from '../../authz/authz.policy.js';
import { listProjectsFor } from '../../authz/access.js';
import type { Db } from '../../db/connection.js';
import type { Clock } from '../../lib/clock.js';
import { listUsersByIds } from '../accounts/accounts.repo.js';
import { FIX_OPEN_STATES, type CaseState } from '../cases/case-transitions.js';
import { caseCrypto, caseSummary, type CaseCipher } from '../cases/case-view.js';
import { countInbox, listInboxPage, type InboxFilter, type InboxRow } from '../cases/cases.repo.js';
import { listProjectsByIds } from '../projects/projects.repo.js';
import { EXACT_COUNT_LIMIT } from '../cases/triage/triage.service.js';
import * as repo from './dashboard.repo.js';
import {
  DASHBOARD_LIST_LIMIT,
  EMBARGO_SOON_DAYS,
  type Dashboard,
  type DashboardRole,
} from './dashboard.schemas.js';

export interface DashboardDeps {
  db: Db;
  clock: Clock;
  cipher: CaseCipher;
}

export type DashboardService = ReturnType<typeof createDashboardService>;

const HOUR_MS = 3_600_000;

/** What someone without lists is told (the web shows the same sentences). */
export const DASHBOARD_MESSAGES: Record<Exclude<DashboardRole, 'team'>, string> = {
  'admin-only': "You are on no project's security team; admins do not read cases.",
  'no-access':
    "You are on no project's security team and in no case yet. Ask a project's security team or an " +
    'admin of this instance to add you; a case you are invited to shows here once you accept its terms.',
};

type ProjectNames = Map<string, { slug: string; name: string }>;

/** The user's case ids holding one of `roles`, where the policy still admits them to `action`. */
function caseIdsWith(
  principal: Principal,
  roles: readonly string[],
  action: 'case.workspace.read' | 'case.disclosure-date.read',
): string[] {
  if (principal.kind !== 'user') return [];
  return [...principal.caseRoles.entries()]
    .filter(
      ([caseId, held]) => [...held].some((r) => roles.includes(r)) && can(principal, action, { caseId }),
    )
    .map(([caseId]) => caseId);
}

export function createDashboardService(deps: DashboardDeps) {
  const k = deps.db.kysely;
  const crypto = caseCrypto(deps.cipher);

  /** Project names for rows of projects outside `names` (invited cases), one query. */
  async function completeNames(names: ProjectNames, projectIds: readonly string[]): Promise<void> {
    const missing = [...new Set(projectIds.filter((id) => !names.has(id)))];
    for (const p of await listProjectsByIds(k, missing)) names.set(p.id, { slug: p.slug, name: p.name });
  }

  /** The Fix Lead of each row, by case id: one query for all the lists. */
  async function fixLeadsOf(
    rows: readonly InboxRow[],
  ): Promise<Map<string, { userId: string; name: string }>> {
    const ids = [...new Set(rows.flatMap((r) => (r.fix_lead_user_id ? [r.fix_lead_user_id] : [])))];
    const names = new Map((await listUsersByIds(k, ids)).map((u) => [u.id, u.name]));
    const out = new Map<string, { userId: string; name: string }>();
    for (const r of rows) {
      const name = r.fix_lead_user_id ? names.get(r.fix_lead_user_id) : undefined;
      if (r.fix_lead_user_id && name !== undefined) out.set(r.id, { userId: r.fix_lead_user_id, name });
    }
    return out;
  }

  /** One list: its first rows (one more, to know), and its total as the inbox counts it. */
  async function list(filter: InboxFilter) {
    const [rows, counted] = await Promise.all([
      listInboxPage(k, filter, undefined, DASHBOARD_LIST_LIMIT),
      countInbox(k, filter, EXACT_COUNT_LIMIT),
    ]);
    return {
      rows,
      total: Math.min(counted, EXACT_COUNT_LIMIT),
      totalIsEstimate: counted > EXACT_COUNT_LIMIT,
    };
  }

  return {
    /**
     * The caller's dashboard. Lists: overdue, due within 24 hours, and the rest of the unanswered
     * cases (disjoint, by the inbox's urgency key); the open cases they lead or are on the Fix Team
     * of; agreed disclosure instants within EMBARGO_SOON_DAYS; per project, its clocks counted.
     */
    async getDashboard(principal: Principal): Promise<Dashboard> {
      authorize(principal, 'self.manage');
      const now = deps.clock.now();
      const projects = await listProjectsFor(k, principal, 'case.read');
      const names: ProjectNames = new Map(projects.map((p) => [p.id, { slug: p.slug, name: p.name }]));
      const projectIds = [...names.keys()];
      const invited = caseIdsWith(principal, ['fix-team', 'collaborator', 'reporter'], 'case.workspace.read');
      const role: DashboardRole =
        projectIds.length > 0 || invited.length > 0
          ? 'team'
          : principal.kind === 'user' && principal.isAdmin
            ? 'admin-only'
            : 'no-access';
      const empty = { cases: [], total: 0, totalIsEstimate: false };
      if (role !== 'team') {
        return {
          role,
          message: DASHBOARD_MESSAGES[role],
          generatedAt: now.toISOString(),
          listLimit: DASHBOARD_LIST_LIMIT,
          overdue: { ...empty, inboxPath: '/cases?clock=overdue' },
          dueSoon: { ...empty, inboxPath: '/cases?clock=due-24h' },
          waiting: { ...empty, inboxPath: '/cases' },
          fixWork: { ...empty, inboxPath: '/cases?assigned=me' },
          embargoes: { days: EMBARGO_SOON_DAYS, total: 0, cases: [] },
          projects: [],
        };
      }

      const nowKey = `0${now.toISOString()}`;
      const soon = new Date(now.getTime() + 24 * HOUR_MS).toISOString();
      const soonKey = `0${soon}`;
      const inbox: InboxFilter = { projectIds, caseIds: invited, sort: 'urgency', held: false };
      const userId = principal.kind === 'user' ? principal.userId : '';
      const fixTeam = caseIdsWith(principal, ['fix-team'], 'case.workspace.read');
      const fixStates: CaseState[] = [...FIX_OPEN_STATES];
      const embargoScope = {
        projectIds: projects
          .filter((p) => can(principal, 'case.disclosure-date.read', { projectId: p.id }))
          .map((p) => p.id),
        caseIds: caseIdsWith(
          principal,
          ['fix-team', 'collaborator', 'reporter'],
          'case.disclosure-date.read',
        ),
      };
      const embargoUpTo = new Date(now.getTime() + EMBARGO_SOON_DAYS * 24 * HOUR_MS).toISOString();

      const none = Promise.resolve({ rows: [], total: 0, totalIsEstimate: false });
      const [overdue, dueSoon, waiting, leading, onTeam, leadingOnTeam, embargoRows, embargoTotal, clocks] =
        await Promise.all([
          list({ ...inbox, urgencyAfter: '0', urgencyUpTo: nowKey }),
          list({ ...inbox, urgencyAfter: nowKey, urgencyUpTo: soonKey }),
          // The rest of the unanswered: due later (`0`), paused (`1`), without a deadline (`2`).
          list({ ...inbox, urgencyAfter: soonKey, urgencyUpTo: '3' }),
          list({
            projectIds,
            caseIds: [],
            sort: 'urgency',
            held: false,
            states: fixStates,
            fixLeadUserId: userId,
          }),
          fixTeam.length > 0
            ? list({ projectIds: [], caseIds: fixTeam, sort: 'urgency', held: false, states: fixStates })
            : none,
          // The cases in both lists (one leads and is on the team), counted once in the total.
          fixTeam.length > 0
            ? list({
                projectIds: [],
                caseIds: fixTeam,
                sort: 'urgency',
                held: false,
                states: fixStates,
                fixLeadUserId: userId,
              })
            : none,
          repo.listEmbargoesEnding(k, embargoScope, now.toISOString(), embargoUpTo, DASHBOARD_LIST_LIMIT),
          repo.countEmbargoesEnding(k, embargoScope, now.toISOString(), embargoUpTo),
          repo.countClocksByProject(k, projectIds, now.toISOString(), soon),
        ]);

      // The cases one leads and those one is on the Fix Team of, most urgent first, each once.
      const seen = new Set<string>();
      const fixRows = [
        ...leading.rows.map((r) => ({ r, yourRole: 'fix-lead' as const })),
        ...onTeam.rows.map((r) => ({ r, yourRole: 'fix-team' as const })),
      ]
        .sort((a, b) =>
          a.r.sort_key === b.r.sort_key ? cmp(a.r.id, b.r.id) : cmp(a.r.sort_key, b.r.sort_key),
        )
        .filter(({ r }) => (seen.has(r.id) ? false : (seen.add(r.id), true)))
        .slice(0, DASHBOARD_LIST_LIMIT);

      const allRows = [...overdue.rows, ...dueSoon.rows, ...waiting.rows, ...fixRows.map((f) => f.r)];
      await completeNames(
        names,
        [...allRows, ...embargoRows].map((r) => r.project_id),
      );
      const leads = await fixLeadsOf(allRows);
      const projectOf = (id: string) => names.get(id) ?? { slug: '?', name: '?' };
      const summary = (r: InboxRow) => caseSummary(r, projectOf(r.project_id), crypto, now, leads.get(r.id));
      const counts = new Map(clocks.map((c) => [c.project_id, c]));

      return {
        role,
        message: null,
        generatedAt: now.toISOString(),
        listLimit: DASHBOARD_LIST_LIMIT,
        overdue: { ...totals(overdue), cases: overdue.rows.map(summary), inboxPath: '/cases?clock=overdue' },
        dueSoon: { ...totals(dueSoon), cases: dueSoon.rows.map(summary), inboxPath: '/cases?clock=due-24h' },
        waiting: { ...totals(waiting), cases: waiting.rows.map(summary), inboxPath: '/cases' },
        fixWork: {
          cases: fixRows.map(({ r, yourRole }) => ({ ...summary(r), yourRole })),
          total: leading.total + onTeam.total - leadingOnTeam.total,
          totalIsEstimate: leading.totalIsEstimate || onTeam.totalIsEstimate || leadingOnTeam.totalIsEstimate,
          inboxPath: '/cases?assigned=me',
        },
        embargoes: {
          days: EMBARGO_SOON_DAYS,
          total: embargoTotal,
          cases: embargoRows.map((r) => ({
            id: r.id,
            humanId: r.human_id,
            project: projectOf(r.project_id),
            state: r.state as CaseState,
            title: crypto.title.open(r.id, r.title_enc),
            disclosureAt: r.disclosure_at,
          })),
        },
        projects: projects.map((p) => ({
          slug: p.slug,
          name: p.name,
          unanswered: counts.get(p.id)?.unanswered ?? 0,
          overdue: counts.get(p.id)?.overdue ?? 0,
          dueWithin24h: counts.get(p.id)?.due_within_24h ?? 0,
        })),
      };
    },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function totals(l: { total: number; totalIsEstimate: boolean }) {
  return { total: l.total, totalIsEstimate: l.totalIsEstimate };
}
