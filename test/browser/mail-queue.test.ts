/**
 * A browser journey through the mail banner and the mail queue (issue 13, item 3), with the real
 * binaries: `vigil serve` on a fresh SQLite data directory without SMTP (VIGIL_SMTP_URL unset),
 * project `demo` with TEAM_MEMBER on its security team. A report is filed; then in Chromium:
 *
 * - the team member sees, on every page, that mail is not configured and how many mails wait, and
 *   is told to tell the admin;
 * - the first admin sees the same banner with the way to the Mail queue, opens it, and finds the
 *   report's mails waiting (queued, with the case's id and no address), and the summary.
 *
 * Needs `npm run build` and Chromium at /usr/bin/chromium. Any console error, dialog or CSP violation
 * not announced fails it; every page photographed is checked with axe-core; screenshots go to
 * test-results/mail-queue-*.png, and with VIGIL_GUIDE_SCREENSHOTS=1 the queue page also to
 * docs/guide/img/mail-queue.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJourneyPage, ROOT, setPasswordFromLink, useTeamJourney } from './support.js';

const PASSWORD = 'correct horse battery staple';
const REPORTER = 'mail.queue.reporter@example.org';

describe('mail banner and mail queue, SMTP unset', () => {
  const journey = useTeamJourney('vigil-mail-queue-');

  it('shows the banner to the team and the admin, and the admin the waiting mails', async () => {
    const { baseUrl, adminLink, teamLink, browser } = journey();
    const filed = await fetch(`${baseUrl}/api/v1/projects/demo/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        subject: 'Mail queue journey: header smuggling',
        reporter: { name: 'Quinn', email: REPORTER },
        reproduction: 'Send two Content-Length headers.',
      }),
    });
    expect(filed.status).toBe(201);
    const { humanId } = (await filed.json()) as { humanId: string };

    // 1. The team member: the banner on the projects page, telling them to ask the admin.
    const team = await openJourneyPage(browser, 'mail-queue-team');
    const tp = team.page;
    await setPasswordFromLink(tp, teamLink, PASSWORD);
    const teamBanner = tp.getByTestId('mail-banner');
    await teamBanner.getByText(/^Mail is not configured: \d+ mails are waiting\.$/).waitFor();
    await teamBanner.getByText('Tell your Vigil admin.', { exact: false }).waitFor();
    await expect(teamBanner.getByRole('link', { name: 'Mail queue' }).count()).resolves.toBe(0);
    await team.shot('01-team-banner');
    await team.context.close();
    expect(team.problems).toEqual([]);

    // 2. The admin: the banner leads to the Mail queue, which lists the report's waiting mails.
    const admin = await openJourneyPage(browser, 'mail-queue-admin');
    const ap = admin.page;
    await setPasswordFromLink(ap, adminLink, PASSWORD);
    const banner = ap.getByTestId('mail-banner');
    await banner.getByText(/^Mail is not configured: \d+ mails are waiting\.$/).waitFor();
    await banner.getByRole('link', { name: 'Mail queue' }).click();
    await ap.waitForURL(`${baseUrl}/admin/mail-queue`);
    await ap.getByRole('heading', { level: 1, name: 'Mail queue' }).waitFor();
    await ap.getByText('Not configured (set VIGIL_SMTP_URL on the server)').waitFor();
    const table = ap.getByRole('table', { name: 'Mail jobs' });
    const caseRows = table.locator('tbody tr').filter({ hasText: humanId });
    await caseRows.first().waitFor();
    // The team's notification and the reporter's receipt, queued; the first-response reminders, scheduled.
    const notifications = caseRows.filter({ hasText: 'Case notification' });
    await expect(notifications.count()).resolves.toBeGreaterThanOrEqual(2);
    await expect(notifications.filter({ hasText: 'Queued' }).count()).resolves.toBe(
      await notifications.count(),
    );
    await caseRows
      .filter({ hasText: 'First-response reminder' })
      .filter({ hasText: 'Scheduled' })
      .first()
      .waitFor();
    const text = await ap.locator('main').innerText();
    for (const secret of [REPORTER, 'Quinn', 'header smuggling', 'Content-Length']) {
      expect(text).not.toContain(secret);
    }
    // The nav leads there too.
    await ap.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mail queue' }).waitFor();
    const shot = await admin.shot('02-admin-mail-queue');
    if (process.env.VIGIL_GUIDE_SCREENSHOTS === '1') {
      const dir = join(ROOT, 'docs', 'guide', 'img');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'mail-queue.png'), shot);
    }
    await admin.context.close();
    expect(admin.problems).toEqual([]);
  });
});
