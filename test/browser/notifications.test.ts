/**
 * A browser journey through notifications (issue 13, item 3) with the real binaries: `vigil serve`
 * on a fresh SQLite data directory with a real SMTP sink, project `demo` with TEAM_MEMBER on its
 * security team. In Chromium: the member signs in (the bell: one unread, their joining the team); a
 * report arrives; the bell says two; the notifications page lists it (the case id and what happened, never the
 * report's subject, which carries markup); opening it leads to the case and the bell says one;
 * "Mark all read" clears it; on the account page the member chooses no mail for new reports. Every page photographed is
 * checked with axe-core; with VIGIL_GUIDE_SCREENSHOTS=1 the list is saved as the guide's picture
 * docs/guide/img/notifications.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import {
  addTeamMember,
  noInjectedMarkup,
  openJourneyPage,
  ROOT,
  SHOTS,
  setPasswordFromLink,
  TEAM_MEMBER,
  useJourney,
  XSS,
} from './support.js';

const PASSWORD = 'correct horse battery staple';
const SUBJECT = `Token leak in the admin API ${XSS.img}`;

describe('browser journey: notifications', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  const journey = useJourney('vigil-notifications-', () => ({ VIGIL_SMTP_URL: sink.url }));
  let teamLink = '';

  beforeAll(async () => {
    const j = journey();
    await j.vigil('project', 'create', 'demo', '--name', 'Demo Project', '--preset', 'contour');
    teamLink = await addTeamMember(j, 'demo', TEAM_MEMBER);
  });

  afterAll(async () => {
    await sink.close();
  });

  it('shows a new report in the bell and the list, and clears it once opened', async () => {
    const { browser, baseUrl } = journey();
    const { page, shot, context, problems } = await openJourneyPage(browser, 'notifications');
    await setPasswordFromLink(page, teamLink, PASSWORD);
    // Joining the team was the first thing the team was told.
    await page.getByRole('link', { name: 'Notifications 1 unread' }).waitFor();

    // A report arrives; the job runner tells the team (mail and notification).
    const res = await fetch(`${baseUrl}/api/v1/projects/demo/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        subject: SUBJECT,
        reproduction: 'Call the admin API without a token.',
        reporter: { email: 'rita@reporter.example' },
      }),
    });
    expect(res.status).toBe(201);
    const { humanId } = (await res.json()) as { humanId: string };
    await sink.waitFor((m) => m.envelope.to.includes(TEAM_MEMBER.email) && m.text.includes(humanId));

    // The bell asks again on navigation.
    await page.getByRole('link', { name: 'Cases', exact: true }).click();
    await page.getByRole('link', { name: 'Notifications 2 unread' }).waitFor();
    await page.getByRole('link', { name: 'Notifications 2 unread' }).click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const list = page.getByRole('list', { name: 'Your notifications' });
    const item = list.getByRole('link', { name: new RegExp(`${humanId}: new report`) });
    await item.waitFor();
    await expect(list.textContent()).resolves.not.toContain('Token leak');
    await noInjectedMarkup(page);
    const png = await shot('01-list');
    if (process.env.VIGIL_GUIDE_SCREENSHOTS === '1') {
      mkdirSync(join(ROOT, 'docs', 'guide', 'img'), { recursive: true });
      copyFileSync(
        join(SHOTS, 'notifications-01-list.png'),
        join(ROOT, 'docs', 'guide', 'img', 'notifications.png'),
      );
    }
    expect(png.length).toBeGreaterThan(0);

    // Opening it leads to the case and marks it read.
    await item.click();
    await page.waitForURL(`${baseUrl}/cases/${humanId}`);
    await page.getByRole('link', { name: 'Notifications 1 unread' }).waitFor();
    await shot('02-case');

    // Mark all read: the bell says none.
    await page.getByRole('link', { name: 'Notifications 1 unread' }).click();
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await page.getByText('All your notifications are marked read.').waitFor();
    await page.getByRole('link', { name: 'Notifications (none unread)' }).waitFor();

    // The account page: no mail for new reports (the notification still comes).
    await page.goto(`${baseUrl}/account`);
    const settings = page.getByRole('form', { name: 'Notification settings' });
    await settings.getByRole('radio', { name: 'a new report: None' }).check();
    await settings.getByRole('button', { name: 'Save notification settings' }).click();
    await page.getByText('Your notification settings are saved.').waitFor();
    await shot('03-settings');
    await page.reload();
    await expect(page.getByRole('radio', { name: 'a new report: None' }).isChecked()).resolves.toBe(true);

    await context.close();
    expect(problems).toEqual([]);
  });
});
