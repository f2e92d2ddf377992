/** The dashboard's answer (`GET /api/v1/me/dashboard`): bounded lists of one's work, and counts. */
import { z } from 'zod';
import { CASE_STATES } from '../cases/case-transitions.js';
import { caseSummarySchema } from '../cases/cases.schemas.js';

/** At most this many cases in each list; `total` says how many there are. */
export const DASHBOARD_LIST_LIMIT = 20;
/** "Ending soon": an agreed disclosure instant within this many days. */
export const EMBARGO_SOON_DAYS = 14;

/**
 * - `team`: on a project's security team, or invited to cases (the lists are theirs);
 * - `admin-only`: an instance admin on no team and in no case: admins do not read cases;
 * - `no-access`: neither: nothing to show until someone adds them.
 */
export const DASHBOARD_ROLES = ['team', 'admin-only', 'no-access'] as const;
export type DashboardRole = (typeof DASHBOARD_ROLES)[number];

const caseList = z.object({
  cases: z.array(caseSummarySchema),
  /** Every case of the list, not only those shown: exact, or at least this many when `totalIsEstimate`. */
  total: z.number(),
  totalIsEstimate: z.boolean(),
  /** The app's inbox, filtered to this list where the inbox has the filter. */
  inboxPath: z.string(),
});

export const dashboardSchema = z.object({
  role: z.enum(DASHBOARD_ROLES),
  /** What to tell someone who has no lists (`admin-only`, `no-access`); null otherwise. */
  message: z.string().nullable(),
  generatedAt: z.string(),
  /** The most cases a list holds. */
  listLimit: z.number(),
  /** Not answered and past their first-response deadline (or "as soon as possible"). */
  overdue: caseList,
  /** Not answered and due within 24 hours. */
  dueSoon: caseList,
  /** Not answered, and due later, paused, or without a deadline. */
  waiting: caseList,
  /** Open cases (accepted to disclosure-scheduled) one leads or is on the Fix Team of. */
  fixWork: caseList.extend({
    cases: z.array(caseSummarySchema.extend({ yourRole: z.enum(['fix-lead', 'fix-team']) })),
  }),
  /** Agreed disclosure instants in the next `days` days, soonest first. */
  embargoes: z.object({
    days: z.number(),
    total: z.number(),
    cases: z.array(
      z.object({
        id: z.string(),
        humanId: z.string(),
        project: z.object({ slug: z.string(), name: z.string() }),
        state: z.enum(CASE_STATES),
        title: z.string(),
        disclosureAt: z.string(),
      }),
    ),
  }),
  /** Each project whose cases one reads, with its first-response clocks counted. */
  projects: z.array(
    z.object({
      slug: z.string(),
      name: z.string(),
      unanswered: z.number(),
      overdue: z.number(),
      dueWithin24h: z.number(),
    }),
  ),
});

export type Dashboard = z.infer<typeof dashboardSchema>;
