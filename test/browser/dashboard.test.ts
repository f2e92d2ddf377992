/**
 * A browser journey through the dashboard (issue 13, item 2) with the real binaries: `vigil serve`
 * on a fresh SQLite data directory, project `demo` with TEAM_MEMBER on its team, three reports filed
 * through the public report route. The server has no clock to set, so one is made overdue by 3 hours
 * and one due in 5 hours the only way there is from outside: `first_response_due_at` set in the
 * SQLite file (the urgency order derives from it). The overdue one's title carries XSS payloads. In
 * Chromium:
 *
 * - the team member signs in with their link and lands on /dashboard (the Dashboard link of the main
 *   navigation current), sees the overdue case under "Overdue" with its clock in words ("overdue by
 *   3 h"), the other under "Due within 24 hours" ("due in 4 h" or "5 h"), the hostile title as text,
 *   and follows the overdue case to its page;
 * - the first admin, on no team, lands on /dashboard and reads that admins do not read cases, not
 *   that there are none.
 *
 * Needs `npm run build` and Chromium at /usr/bin/chromium. Any console error, dialog or CSP violation
 * fails it; every page photographed is checked with axe-core (WCAG 2.1 AA); screenshots go to
 * test-results/dashboard-*.png, and with VIGIL_GUIDE_SCREENSHOTS=1 the team's dashboard also to
 * docs/guide/img/dashboard.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  noInjectedMarkup,
  openJourneyPage,
  ROOT,
  setPasswordFromLink,
  useTeamJourney,
  XSS,
} from './support.js';

const PASSWORD = 'correct horse battery staple';
const OVERDUE_TITLE = `Overdue parser crash ${XSS.img} ${XSS.script}`;
const SOON_TITLE = `Header smuggling due soon ${XSS.svg}`;
const LATER_TITLE = 'Path traversal in the static handler';

async function file(baseUrl: string, subject: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/projects/demo/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      subject,
      reproduction: 'Send the request in the attached script.',
      reporter: { email: 'rita@reporter.example' },
    }),
  });
  if (res.status !== 201) throw new Error(`report answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { humanId: string }).humanId;
}

describe('browser journey: the dashboard', () => {
  const journey = useTeamJourney('vigil-dashboard-');
  let overdueId = '';
  let soonId = '';
  let laterId = '';

  beforeAll(async () => {
    const { baseUrl, dataDir } = journey();
    overdueId = await file(baseUrl, OVERDUE_TITLE);
    soonId = await file(baseUrl, SOON_TITLE);
    laterId = await file(baseUrl, LATER_TITLE);
    const db = new BetterSqlite3(join(dataDir, 'vigil.sqlite'));
    try {
      db.pragma('busy_timeout = 10000');
      const setDue = db.prepare('UPDATE cases SET first_response_due_at = ? WHERE human_id = ?');
      const now = Date.now();
      expect(setDue.run(new Date(now - 3 * 3_600_000 - 60_000).toISOString(), overdueId).changes).toBe(1);
      expect(setDue.run(new Date(now + 5 * 3_600_000 - 60_000).toISOString(), soonId).changes).toBe(1);
    } finally {
      db.close();
    }
  });

  it('lands the team member on the dashboard, shows the clocks in words, and leads to the case', async () => {
    const { browser, baseUrl, teamLink } = journey();
    const team = await openJourneyPage(browser, 'dashboard');
    const { page, shot } = team;
    await setPasswordFromLink(page, teamLink, PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current')).resolves.toBe(
      'page',
    );

    const overdue = page.getByRole('region', { name: 'Overdue (1)' });
    await overdue.getByRole('link', { name: overdueId }).waitFor();
    await expect(overdue.getByTestId('clock').innerText()).resolves.toMatch(/^overdue by 3 h/);
    await expect(overdue.innerText()).resolves.toContain(OVERDUE_TITLE);
    const soon = page.getByRole('region', { name: 'Due within 24 hours (1)' });
    await soon.getByRole('link', { name: soonId }).waitFor();
    await expect(soon.getByTestId('clock').innerText()).resolves.toMatch(/^due in [45] h/);
    await expect(soon.innerText()).resolves.toContain(SOON_TITLE);
    const waiting = page.getByRole('region', { name: 'Waiting for a first answer (1)' });
    await waiting.getByRole('link', { name: laterId }).waitFor();
    await page.getByRole('region', { name: 'Your fix work (0)' }).waitFor();
    await page.getByRole('region', { name: 'Embargoes ending soon (0)' }).waitFor();
    // What the team was told: the notifications section, with its way to the whole list.
    const told = page.getByRole('region', { name: 'What you were told recently' });
    await told
      .getByRole('link', { name: 'All notifications' })
      .or(told.getByText('Nothing yet'))
      .first()
      .waitFor();
    const projects = page.getByRole('region', { name: 'Your projects' });
    await projects.getByRole('link', { name: 'Demo Project' }).waitFor();
    await noInjectedMarkup(page);
    const png = await shot('01-team');
    if (process.env.VIGIL_GUIDE_SCREENSHOTS === '1') {
      const dir = join(ROOT, 'docs', 'guide', 'img');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, 'dashboard.png'), fullPage: true });
    }
    expect(png.length).toBeGreaterThan(0);

    await overdue.getByRole('link', { name: overdueId }).click();
    await page.waitForURL(`${baseUrl}/cases/${overdueId}`);
    await page.getByRole('heading', { level: 1, name: OVERDUE_TITLE }).waitFor();
    await noInjectedMarkup(page);
    expect(team.problems).toEqual([]);
    await team.context.close();
  });

  it('tells the admin on no team that admins do not read cases', async () => {
    const { browser, adminLink } = journey();
    const admin = await openJourneyPage(browser, 'dashboard-admin');
    const { page, shot } = admin;
    await setPasswordFromLink(page, adminLink, PASSWORD);
    await expect(page.getByTestId('dashboard-statement').innerText()).resolves.toContain(
      "You are on no project's security team; admins do not read cases.",
    );
    await expect(page.getByText('No cases yet').count()).resolves.toBe(0);
    await expect(page.getByRole('region', { name: /^Overdue/ }).count()).resolves.toBe(0);
    await shot('02-admin');
    expect(admin.problems).toEqual([]);
    await admin.context.close();
  });
});
