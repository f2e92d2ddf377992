/**
 * Issue 13's "done when" journey, end to end with the real binaries: `vigil serve` on a fresh
 * SQLite data directory with a real SMTP sink and a webhook receiver on localhost
 * (VIGIL_ALLOW_LOCAL_WEBHOOKS=true, the admin's permission for a loopback URL), project `demo` with
 * TEAM_MEMBER on its security team and a JSON webhook. In Chromium:
 *
 * 1. a newcomer opens the site root, finds the project, follows "Report a vulnerability" and files
 *    a report through the form (encrypted in the browser to the project's key);
 * 2. the team member signs in and lands on the dashboard, which lists the report among those
 *    waiting for a first answer, and the bell, which counts it; the notifications list names it;
 * 3. the webhook receiver got a signed, link-only payload for it: the HMAC verifies with the
 *    webhook's secret, and neither the subject nor the reproduction is in it.
 *
 * The SMTP-unset half (the banner, the admin's mail queue listing the waiting mails) is
 * test/browser/mail-queue.test.ts, which needs a server without SMTP. Every page is checked with
 * axe-core by the journey's support; the subject carries markup, which must stay text.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHookReceiver, type HookReceiver } from '../support/publication.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import {
  addTeamMember,
  noInjectedMarkup,
  openJourneyPage,
  setPasswordFromLink,
  TEAM_MEMBER,
  useJourney,
  XSS,
} from './support.js';

const PASSWORD = 'correct horse battery staple';
const SUBJECT = `Header injection in the access log ${XSS.img}`;
const REPRODUCTION = 'Send a request whose Host header carries CRLF and a second log line.';

describe('browser journey: a day of use (front door, dashboard, bell, webhook)', () => {
  let sink: SmtpSink;
  let hooks: HookReceiver;
  beforeAll(async () => {
    [sink, hooks] = await Promise.all([startSmtpSink(), startHookReceiver()]);
  });
  const journey = useJourney('vigil-daily-use-', () => ({
    VIGIL_SMTP_URL: sink.url,
    VIGIL_ALLOW_LOCAL_WEBHOOKS: 'true',
  }));
  let teamLink = '';
  let secret = '';

  beforeAll(async () => {
    const j = journey();
    await j.vigil('project', 'create', 'demo', '--name', 'Demo Project', '--preset', 'contour');
    teamLink = await addTeamMember(j, 'demo', TEAM_MEMBER);
    const out = await j.vigil('token', 'create', '--email', TEAM_MEMBER.email, '--name', 'journey', '--json');
    const token = (JSON.parse(out) as { token: string }).token;
    const res = await fetch(`${j.baseUrl}/api/v1/projects/demo/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: hooks.url('/vigil'), kind: 'json', label: 'Team tools' }),
    });
    expect(res.status).toBe(201);
    secret = ((await res.json()) as { secret: string }).secret;
  });

  afterAll(async () => {
    await Promise.all([sink.close(), hooks.close()]);
  });

  it('takes a newcomer from the site root to a filed report, and tells the team in Vigil and by webhook', async () => {
    const { browser, baseUrl } = journey();

    // 1. The newcomer, at the front door.
    const visitor = await openJourneyPage(browser, 'daily-use-visitor');
    const v = visitor.page;
    await v.goto(`${baseUrl}/`);
    const card = v
      .getByRole('region', { name: 'Projects' })
      .getByRole('listitem')
      .filter({ has: v.getByRole('heading', { level: 3, name: 'Demo Project' }) });
    await card.getByRole('link', { name: 'Report a vulnerability' }).click();
    await v.waitForURL(`${baseUrl}/p/demo/report`);
    await v.getByLabel('Subject').fill(SUBJECT);
    await v.getByLabel('Steps to reproduce').fill(REPRODUCTION);
    await v.getByTestId('key-fingerprint').waitFor();
    await v.getByRole('button', { name: 'Send the report' }).click();
    await v.getByRole('heading', { level: 1, name: 'Report received' }).waitFor();
    const humanId = (await v.getByTestId('case-id').textContent())?.trim() ?? '';
    expect(humanId).toMatch(/^[A-Z]+-\d{4}-\d{4}$/);
    await visitor.shot('01-received');
    await visitor.context.close();

    // The job runner tells the team: the mail (a sign that the notification is written too).
    await sink.waitFor((m) => m.envelope.to.includes(TEAM_MEMBER.email) && m.text.includes(humanId));

    // 2. The team member: the dashboard and the bell.
    const team = await openJourneyPage(browser, 'daily-use-team');
    const { page } = team;
    await setPasswordFromLink(page, teamLink, PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    const waiting = page.getByRole('region', { name: /^Waiting for a first answer|^Due within 24 hours/ });
    await waiting.getByRole('link', { name: humanId }).first().waitFor();
    // Joining the team was the first notification, the report the second.
    const bell = page.getByRole('link', { name: 'Notifications 2 unread' });
    await bell.waitFor();
    await page
      .getByRole('region', { name: 'What you were told recently' })
      .getByText(humanId)
      .first()
      .waitFor();
    await noInjectedMarkup(page);
    await team.shot('02-dashboard');
    await bell.click();
    const list = page.getByRole('list', { name: 'Your notifications' });
    await list.getByRole('link', { name: new RegExp(`${humanId}: new report`) }).waitFor();
    await expect(list.textContent()).resolves.not.toContain('Header injection');
    await team.shot('03-notifications');

    // 3. The webhook: signed, and only a link.
    await expect.poll(() => hooks.hits.some((h) => h.body.includes(humanId)), { timeout: 20_000 }).toBe(true);
    const hit = hooks.hits.find((h) => h.body.includes(humanId));
    if (!hit) throw new Error('no webhook delivery for the report');
    const timestamp = String(hit.headers['x-vigil-timestamp']);
    const signature = String(hit.headers['x-vigil-signature']);
    const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${hit.body}`).digest('hex')}`;
    expect(signature.length).toBe(expected.length);
    expect(timingSafeEqual(Buffer.from(signature), Buffer.from(expected))).toBe(true);
    const payload = JSON.parse(hit.body) as { event: string; case: { humanId: string; url: string } };
    expect(payload.event).toBe('case.received');
    expect(payload.case.humanId).toBe(humanId);
    expect(payload.case.url).toBe(`${baseUrl}/cases/${humanId}`);
    expect(hit.body).not.toContain('Header injection');
    expect(hit.body).not.toContain('CRLF');
    expect(team.problems).toEqual([]);
  });
});
