/**
 * `vigil demo`'s made-up instance (issue 13, item 6): the four seed projects from their presets, a
 * demo admin and a demo security-team member, and cases in every state of the transition table,
 * each with a short conversation and, from acceptance on, an advisory. Everything goes through the
 * services the API calls (their authorization, audit events, mail jobs and clocks), nothing is
 * written behind their back except the instance's `demo` mark itself.
 *
 * The story happens in the past: the services run on a clock the seed moves forward, step by step,
 * from three weeks ago to now, so that clocks are overdue or due soon, and disclosure instants that
 * were in the future when they were scheduled have passed when the cases are published. The steps of
 * every case are run in one time order, so the audit log's times only go forward.
 */
import type { Principal } from '../../src/authz/authz.policy.js';
import type { Db } from '../../src/db/connection.js';
import type { Clock } from '../../src/lib/clock.js';
import { AppError } from '../../src/lib/errors.js';
import { instanceHasData, isDemoInstance } from '../../src/lib/instance-settings.js';
import type { Services } from '../../src/server/services.js';
import { loadPrincipal } from '../../src/modules/accounts/user-view.js';
import { firstResponseDue } from '../../src/modules/cases/response-clock.js';
import type { CaseState, RejectionCategory } from '../../src/modules/cases/case-transitions.js';
import { getPresetYaml, PRESET_NAMES, type PresetName } from '../../src/modules/policy/policy.presets.js';
import { projectContextBySlug } from '../../src/modules/cases/case-context.js';
import {
  blockingFindings,
  checkDisclosureInstant,
} from '../../src/modules/embargo/disclosure-date/disclosure-guardrails.js';
import type { Policy } from '../../src/modules/policy/policy.schema.js';

/** A clock the seed sets: the instant its story is at. */
export interface DemoClock extends Clock {
  set(at: Date): void;
}

export function demoClock(start: Date): DemoClock {
  let at = start;
  return {
    now: () => new Date(at),
    set: (next) => {
      at = next;
    },
  };
}

export const DEMO_ADMIN_EMAIL = 'demo-admin@demo.example';
export const DEMO_TEAM_EMAIL = 'demo-team@demo.example';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The demo's projects: each seed's preset, with its fix repository starting empty (nothing cloned)
 * and every mail address in it at `<preset>.demo.example` (a reserved domain).
 */
const PROJECTS: Record<PresetName, { name: string; ecosystem: string; pkg: string }> = {
  contour: { name: 'Contour', ecosystem: 'Go', pkg: 'github.com/projectcontour/contour' },
  sesame: { name: 'Sesame', ecosystem: 'Go', pkg: 'github.com/projectsesame/sesame' },
  emissary: { name: 'Emissary-ingress', ecosystem: 'Go', pkg: 'github.com/emissary-ingress/emissary' },
  k8spolicy: { name: 'k8spolicy', ecosystem: 'Go', pkg: 'github.com/ckotzbauer/k8spolicy' },
};

interface Vuln {
  title: string;
  summary: string;
  cvss: string;
  cwe: string;
  introduced: string;
  fixed: string;
}

/** One made-up case: where it ends, what the reporter wrote, and its advisory once accepted. */
interface DemoCase {
  key: string;
  project: PresetName;
  state: CaseState;
  subject: string;
  reporter: string;
  report: string;
  /** Hours before now the report arrives (absent: chosen so that its first answer is due within 24 h). */
  filedHoursAgo?: number;
  vuln?: Vuln;
  rejection?: { category: RejectionCategory; reason: string };
  duplicateOf?: string;
  /** Days before now the advisory went public (published, closed). */
  disclosedDaysAgo?: number;
}

const CASES: DemoCase[] = [
  {
    key: 'contour-received-overdue',
    project: 'contour',
    state: 'received',
    subject: 'HTTPProxy include cycle makes Contour use all memory',
    reporter: 'Grace Hopper',
    report:
      'Two HTTPProxy objects that include each other make the Contour controller allocate until it is killed. Steps: apply the two attached manifests in any namespace.',
    filedHoursAgo: 8 * 24,
  },
  {
    key: 'contour-received-due-soon',
    project: 'contour',
    state: 'received',
    subject: 'Envoy admin interface reachable from the pod network',
    reporter: 'Linus Pauling',
    report:
      'With the default deployment the Envoy admin port answers on the pod IP, not only on localhost. Any pod can call /quitquitquit.',
  },
  {
    key: 'contour-triage',
    project: 'contour',
    state: 'triage',
    subject: 'TLS certificate delegation crosses namespaces without a delegation object',
    reporter: 'Barbara Liskov',
    report:
      'An HTTPProxy in namespace a can reference a secret in namespace b by name with a slash, although no TLSCertificateDelegation allows it.',
    filedHoursAgo: 3 * 24,
  },
  {
    key: 'contour-accepted',
    project: 'contour',
    state: 'accepted',
    subject: 'Header injection through the x-request-start rewrite',
    reporter: 'Alan Turing',
    report:
      'A request header containing CRLF survives the x-request-start rewrite, and a second header is injected into the upstream request.',
    filedHoursAgo: 5 * 24,
    vuln: {
      title: 'Header injection through request header rewrites',
      summary: 'A crafted request header injects a second header into the upstream request',
      cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:H/A:N',
      cwe: 'CWE-113',
      introduced: '1.27.0',
      fixed: '1.28.3',
    },
  },
  {
    key: 'contour-published',
    project: 'contour',
    state: 'published',
    subject: 'Path traversal in the static file route',
    reporter: 'Katherine Johnson',
    report:
      'A request for /static/..%2f..%2fetc/passwd through a route with a static response returns the file.',
    filedHoursAgo: 13 * 24,
    disclosedDaysAgo: 7,
    vuln: {
      title: 'Path traversal in static responses',
      summary: 'An encoded path reads files outside the static directory',
      cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      cwe: 'CWE-22',
      introduced: '1.26.0',
      fixed: '1.28.2',
    },
  },
  {
    key: 'sesame-needs-info',
    project: 'sesame',
    state: 'needs-info',
    subject: 'Possible auth bypass on the gateway',
    reporter: 'Margaret Hamilton',
    report: 'Sometimes requests without a token reach the backend. I have not found a pattern yet.',
    filedHoursAgo: 4 * 24,
  },
  {
    key: 'sesame-rejected',
    project: 'sesame',
    state: 'rejected',
    subject: 'Sesame runs as root when the chart sets runAsUser: 0',
    reporter: 'Ken Thompson',
    report: 'If I set runAsUser: 0 in the values, the container runs as root.',
    filedHoursAgo: 6 * 24,
    rejection: {
      category: 'lack-of-safe-defaults',
      reason:
        'Thank you for the report. The chart runs Sesame as a non-root user by default; running it as root is a choice the values make explicitly, so we do not treat it as a vulnerability.',
    },
  },
  {
    key: 'sesame-fixing',
    project: 'sesame',
    state: 'fixing',
    subject: 'Rate limit bypass with mixed-case host headers',
    reporter: 'Frances Allen',
    report:
      'The global rate limit keys on the Host header as sent: Example.com and example.com count separately, so a client multiplies its budget.',
    filedHoursAgo: 9 * 24,
    vuln: {
      title: 'Rate limit bypass through host header case',
      summary: 'Mixed-case host headers each get their own rate limit budget',
      cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L',
      cwe: 'CWE-178',
      introduced: '0.9.0',
      fixed: '0.9.4',
    },
  },
  {
    key: 'sesame-closed',
    project: 'sesame',
    state: 'closed',
    subject: 'Denial of service through large gzip bodies',
    reporter: 'Edsger Dijkstra',
    report:
      'A 10 kB gzip body that inflates to 10 GB is decompressed in memory by the compression filter; one request takes the proxy down.',
    filedHoursAgo: 20 * 24,
    disclosedDaysAgo: 10,
    vuln: {
      title: 'Decompression bomb in the compression filter',
      summary: 'A small compressed body inflates without limit in memory',
      cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
      cwe: 'CWE-409',
      introduced: '0.8.0',
      fixed: '0.9.2',
    },
  },
  {
    key: 'emissary-triage-answered',
    project: 'emissary',
    state: 'triage',
    subject: 'Mapping with a regex rewrite leaks the upstream path',
    reporter: 'Hedy Lamarr',
    report: 'The 404 page of a Mapping with regex_rewrite shows the rewritten upstream path.',
    filedHoursAgo: 6 * 24,
  },
  {
    key: 'emissary-duplicate',
    project: 'emissary',
    state: 'duplicate',
    subject: 'Upstream path shown on error pages',
    reporter: 'Dennis Ritchie',
    report: 'Error pages show internal paths after a regex rewrite.',
    filedHoursAgo: 5 * 24,
    duplicateOf: 'emissary-triage-answered',
  },
  {
    key: 'emissary-fix-ready',
    project: 'emissary',
    state: 'fix-ready',
    subject: 'JWT filter accepts tokens signed with alg none',
    reporter: 'Radia Perlman',
    report:
      'A JWT with "alg": "none" and no signature passes the JWT filter when the JWKS cannot be fetched.',
    filedHoursAgo: 10 * 24,
    vuln: {
      title: 'Unsigned tokens accepted when the JWKS is unreachable',
      summary: 'The JWT filter accepts alg none tokens while its key set cannot be fetched',
      cvss: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N',
      cwe: 'CWE-347',
      introduced: '3.7.0',
      fixed: '3.9.2',
    },
  },
  {
    key: 'emissary-scheduled',
    project: 'emissary',
    state: 'disclosure-scheduled',
    subject: 'Request smuggling with duplicate Content-Length headers',
    reporter: 'Whitfield Diffie',
    report:
      'Two Content-Length headers with different values are forwarded as they are; the upstream reads the second.',
    filedHoursAgo: 9 * 24,
    vuln: {
      title: 'Request smuggling through duplicate Content-Length',
      summary: 'Conflicting Content-Length headers are forwarded upstream',
      cvss: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:N',
      cwe: 'CWE-444',
      introduced: '3.8.0',
      fixed: '3.9.3',
    },
  },
  {
    key: 'k8spolicy-not-security',
    project: 'k8spolicy',
    state: 'not-security',
    subject: 'Policy report shows the wrong namespace',
    reporter: 'John Backus',
    report: 'The summary page lists a policy under kube-system although it is in default.',
    filedHoursAgo: 2 * 24,
  },
  {
    key: 'k8spolicy-received',
    project: 'k8spolicy',
    state: 'received',
    subject: 'Webhook fails open when the policy cache is cold',
    reporter: 'Adele Goldberg',
    report:
      'Right after a restart the admission webhook admits every pod for about ten seconds, even those the policies deny.',
    filedHoursAgo: 2,
  },
  {
    key: 'k8spolicy-published',
    project: 'k8spolicy',
    state: 'published',
    subject: 'Namespace selector ignored for cluster policies',
    reporter: 'Leslie Lamport',
    report:
      'A ClusterPolicy with a namespaceSelector applies to every namespace; the selector is never read.',
    filedHoursAgo: 12 * 24,
    disclosedDaysAgo: 2,
    vuln: {
      title: 'Cluster policies ignore their namespace selector',
      summary: 'A namespace selector on a cluster policy is not applied',
      cvss: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:H/A:N',
      cwe: 'CWE-863',
      introduced: '2.1.0',
      fixed: '2.3.1',
    },
  },
];

/** The states no demo case can be shown in through the services (none today), with the reason. */
export const UNREACHABLE_STATES: Readonly<Partial<Record<CaseState, string>>> = {};

/** What the seed made, for the command's output. */
export interface DemoSeeded {
  projects: string[];
  cases: { humanId: string; state: CaseState; project: string }[];
  teamUserId: string;
  adminUserId: string;
  /** A reporter's private link, to see the reporter's side. */
  reporterLink: string;
}

interface Step {
  at: number;
  order: number;
  run: () => Promise<void>;
}

/** The latest Tuesday to Thursday 14:00 UTC at or before `t`: a release day in every seed's window. */
function releaseDayBefore(t: number): number {
  const d = new Date(t);
  d.setUTCHours(14, 0, 0, 0);
  if (d.getTime() > t) d.setUTCDate(d.getUTCDate() - 1);
  while (![2, 3, 4].includes(d.getUTCDay())) d.setUTCDate(d.getUTCDate() - 1);
  return d.getTime();
}

/** The first Tuesday to Thursday 14:00 UTC at or after `t`. */
function releaseDayAfter(t: number): number {
  const d = new Date(t);
  d.setUTCHours(14, 0, 0, 0);
  if (d.getTime() < t) d.setUTCDate(d.getUTCDate() + 1);
  while (![2, 3, 4].includes(d.getUTCDay())) d.setUTCDate(d.getUTCDate() + 1);
  return d.getTime();
}

/** The step that schedules a disclosure runs this far from filing to the disclosure (or to now). */
const SCHEDULED_AT = 0.7;

/**
 * A release day (Tuesday to Thursday, 14:00 UTC) from `from` on, going `direction` (-1: back,
 * 1: forward), that the project's guardrails accept when the disclosure is scheduled (no holiday,
 * within the maximum embargo from the report, not past): `until(day)` is where the case's story
 * ends for that day, which places the scheduling step.
 */
function allowedReleaseDay(
  policy: Policy,
  filedAt: number,
  from: number,
  direction: 1 | -1,
  until: (day: number) => number,
): number {
  let day = direction < 0 ? releaseDayBefore(from) : releaseDayAfter(from);
  for (let tries = 0; tries < 30; tries++) {
    const scheduledAt = filedAt + Math.round((until(day) - filedAt) * SCHEDULED_AT);
    const findings = checkDisclosureInstant({
      at: new Date(day),
      now: new Date(scheduledAt),
      receivedAt: new Date(filedAt),
      policy,
      cvssScore: null,
      releases: null,
    });
    if (blockingFindings(findings, []).blocking.length === 0) return day;
    day = direction < 0 ? releaseDayBefore(day - DAY) : releaseDayAfter(day + DAY);
  }
  throw new Error('the demo found no release day its policy allows');
}

/**
 * Fills an empty instance. `now` is the real instant the story ends at; `clock` is the services'
 * clock, which the seed moves. Refuses an instance that has projects or cases (the command says
 * so first, in its words).
 */
export async function seedDemo(
  services: Services,
  db: Db,
  clock: DemoClock,
  operator: Principal,
  now: Date,
): Promise<DemoSeeded> {
  if (await instanceHasData(db.kysely)) throw new Error('the demo fills only an empty instance');
  const end = now.getTime();
  const start = end - 21 * DAY;
  clock.set(new Date(start));

  // The people: an admin (who reads no case) and the security team member of every project.
  const admin = await services.users.createUser(operator, {
    email: DEMO_ADMIN_EMAIL,
    name: 'Demo Admin',
    isAdmin: true,
  });
  const member = await services.users.createUser(operator, {
    email: DEMO_TEAM_EMAIL,
    name: 'Demo Team Member',
    isAdmin: false,
  });
  for (const preset of PRESET_NAMES) {
    const yaml = getPresetYaml(preset)
      .replace(/upstreamRepository: \S+/, 'upstreamRepository: null')
      // The seeds' real lists and contacts become made-up ones: no demo mail can reach them.
      .replace(/\b([\w.+-]+)@[\w-]+(\.[\w-]+)+\b/g, `$1@${preset}.demo.example`);
    await services.projects.createProject(operator, {
      slug: preset,
      name: PROJECTS[preset].name,
      policyYaml: yaml,
    });
    await services.projects.addMember(operator, preset, { email: DEMO_TEAM_EMAIL, role: 'security-team' });
  }
  const team = async (): Promise<Principal> => {
    const p = await loadPrincipal(db.kysely, member.user.id, { factors: 2 });
    if (!p) throw new Error('the demo team member is missing');
    return p;
  };

  const filed = new Map<string, { humanId: string; token: string; reporterLink: string }>();
  const steps: Step[] = [];
  let order = 0;
  const at = (t: number, run: () => Promise<void>) => steps.push({ at: t, order: order++, run });

  for (const c of CASES) {
    const policy = (await projectContextBySlug(db.kysely, c.project)).policy;
    const filedAt = c.filedHoursAgo !== undefined ? end - c.filedHoursAgo * HOUR : dueSoonFiling(end, policy);
    const ref = () => {
      const f = filed.get(c.key);
      if (!f) throw new Error(`demo case ${c.key} was not filed`);
      return f;
    };
    const say = async (body: string) =>
      void (await services.triage.addMessage(await team(), ref().humanId, { body, internal: false }));
    const note = async (body: string) =>
      void (await services.triage.addMessage(await team(), ref().humanId, { body, internal: true }));
    const reply = async (body: string) =>
      void (await services.intake.addReporterMessage(ref().token, { body, attachments: [] }));
    const move = async (input: Parameters<Services['triage']['transition']>[2]) =>
      void (await services.triage.transition(await team(), ref().humanId, input));
    // Published cases compress their story before the disclosure; the others run until now.
    const disclosedAt =
      c.disclosedDaysAgo !== undefined
        ? allowedReleaseDay(policy, filedAt, end - c.disclosedDaysAgo * DAY, -1, (day) => day)
        : null;
    const until = disclosedAt ?? end;
    // The clock at a fraction of the way from filing to then (steps keep their order).
    const part = (f: number) => filedAt + Math.round((until - filedAt) * f);

    at(filedAt, async () => {
      const f = await services.intake.submitReport(
        c.project,
        {
          subject: c.subject,
          reporter: { name: c.reporter, anonymous: false, email: undefined },
          reproduction: c.report,
          effects: '',
          impact: '',
          dependencies: '',
          publiclyKnown: false,
          publicDetails: '',
          attachments: [],
        },
        { channel: 'web' },
      );
      const token = f.reporterLink.slice(f.reporterLink.lastIndexOf('/') + 1);
      filed.set(c.key, { humanId: f.humanId, token, reporterLink: f.reporterLink });
    });
    if (c.state === 'received') {
      at(filedAt + HOUR, () => reply('I can share more details or a call if that helps.'));
      continue;
    }
    if (c.state === 'needs-info') {
      at(part(0.3), () => move({ to: 'triage' }));
      at(part(0.35), () =>
        move({
          to: 'needs-info',
          question:
            'Thank you. Could you send the gateway configuration you use and a request that got through without a token?',
        }),
      );
      continue;
    }
    if (c.key === 'emissary-triage-answered') {
      at(part(0.2), () =>
        move({
          to: 'needs-info',
          question: 'Which Emissary version, and does it happen with a plain prefix rewrite?',
        }),
      );
      at(part(0.4), () => reply('3.9.1. Only with regex_rewrite; a prefix rewrite hides the path.'));
      at(part(0.5), () => note('Reproduced on 3.9.1. Checking whether the path is sensitive anywhere.'));
      at(part(0.55), () => say('Thanks, we reproduced it and are assessing the impact.'));
      continue;
    }
    // Everything else starts in triage with a first answer to the reporter.
    at(part(0.1), () => move({ to: 'triage' }));
    at(part(0.12), () => say('Thank you for the report. We are looking into it and will get back to you.'));
    if (c.state === 'triage') {
      at(part(0.5), () => note('Reproduced with two namespaces; checking the delegation code path.'));
      at(part(0.6), () => reply('Happy to test a fix when you have one.'));
      continue;
    }
    if (c.state === 'rejected' && c.rejection) {
      const r = c.rejection;
      at(part(0.5), () => move({ to: 'rejected', reasonCategory: r.category, reason: r.reason }));
      continue;
    }
    if (c.state === 'duplicate' && c.duplicateOf) {
      const of = c.duplicateOf;
      at(part(0.5), async () => {
        const original = filed.get(of);
        if (!original) throw new Error(`demo case ${of} is not filed before ${c.key}`);
        await move({ to: 'duplicate', duplicateOf: original.humanId });
      });
      continue;
    }
    if (c.state === 'not-security') {
      at(part(0.5), () =>
        move({
          to: 'not-security',
          reason:
            'Thanks! This is a display bug, not a security issue: please open it in the public issue tracker so that everyone can follow it.',
        }),
      );
      continue;
    }
    // Accepted, and what follows: an advisory, the fix, the releases, publication, the retrospective.
    const vuln = c.vuln;
    if (!vuln) throw new Error(`demo case ${c.key} needs a vulnerability`);
    const phase = part;
    at(phase(0.2), () => move({ to: 'accepted' }));
    at(phase(0.21), () =>
      say(
        'We confirmed the issue and accepted it. We will keep you posted on the fix and the disclosure date.',
      ),
    );
    at(phase(0.25), async () => {
      const p = await team();
      const draft = await services.advisories.createDraft(p, ref().humanId);
      const project = PROJECTS[c.project];
      await services.advisories.saveRevision(p, ref().humanId, {
        baseRevision: draft.advisory.revision,
        document: {
          title: vuln.title,
          summary: vuln.summary,
          description: `${vuln.summary}. ${c.report}`,
          workarounds: 'None known; upgrade to a fixed version.',
          affected: [
            {
              ecosystem: project.ecosystem,
              package: project.pkg,
              ranges: [{ type: 'SEMVER', events: [{ introduced: vuln.introduced }, { fixed: vuln.fixed }] }],
            },
          ],
          severity: { cvss: [{ vector: vuln.cvss }] },
          cwes: [vuln.cwe],
          credits: [{ name: c.reporter, type: 'FINDER' }],
        },
      });
    });
    at(phase(0.3), () => reply('Great, thank you. Please credit me as in the report.'));
    if (c.state === 'accepted') continue;
    at(phase(0.4), () => move({ to: 'fixing' }));
    at(phase(0.42), () => note('Fix branch pushed; review requested.'));
    if (c.state === 'fixing') continue;
    at(phase(0.6), () => move({ to: 'fix-ready' }));
    at(phase(0.62), () =>
      say('The fix is ready and reviewed. We are planning the release and a disclosure date.'),
    );
    if (c.state === 'fix-ready') continue;
    const disclosure = disclosedAt ?? allowedReleaseDay(policy, filedAt, end + 3 * DAY, 1, () => end);
    at(phase(SCHEDULED_AT), async () => {
      await move({ to: 'disclosure-scheduled', disclosureAt: new Date(disclosure).toISOString() });
    });
    at(phase(0.72), () =>
      say(
        `The disclosure is scheduled for ${new Date(disclosure).toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
      ),
    );
    if (c.state === 'disclosure-scheduled') continue;
    // The releases are out, and the advisory goes public at the agreed instant.
    at(disclosure - HOUR, async () => {
      const p = await team();
      const board = await services.releases.getReleases(p, ref().humanId);
      for (const row of board.rows) {
        if (row.kind === 'main-fix') continue;
        await services.releases.recordRelease(p, ref().humanId, row.line, {
          version: vuln.fixed,
          state: 'published',
        });
      }
    });
    at(disclosure, () => move({ to: 'published' }));
    at(disclosure + HOUR, () => say('The advisory is public. Thank you for reporting this responsibly!'));
    if (c.state === 'published') continue;
    at(disclosure + DAY, async () => {
      await services.retrospectives.close(await team(), ref().humanId);
    });
  }

  // One story, in time order (a case's own steps keep theirs).
  steps.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const step of steps) {
    clock.set(new Date(Math.max(step.at, clock.now().getTime())));
    try {
      await step.run();
    } catch (err) {
      const why = err instanceof AppError || err instanceof Error ? err.message : String(err);
      throw new Error(`the demo could not take a step at ${clock.now().toISOString()}: ${why}`, {
        cause: err,
      });
    }
  }

  clock.set(now);
  const cases = CASES.map((c) => ({
    humanId: filed.get(c.key)?.humanId ?? '',
    state: c.state,
    project: c.project,
  }));
  await services.instance.markDemo(operator, { projects: PRESET_NAMES.length, cases: cases.length }, clock);
  return {
    projects: [...PRESET_NAMES],
    cases,
    teamUserId: member.user.id,
    adminUserId: admin.user.id,
    reporterLink: filed.get('contour-triage')?.reporterLink ?? '',
  };
}

/**
 * A filing instant whose first answer is due about 12 hours from `end` under `policy` (the
 * business-day clock decides how far back that is), no earlier than two weeks ago.
 */
function dueSoonFiling(end: number, policy: Parameters<typeof firstResponseDue>[1]): number {
  for (let back = 0; back <= 14 * 24; back += 1) {
    const t = end - back * HOUR;
    const due = firstResponseDue(new Date(t), policy, false);
    if (!due) return end - HOUR;
    if (due.getTime() - end <= 12 * HOUR) return t;
  }
  return end - HOUR;
}

export { instanceHasData, isDemoInstance };
