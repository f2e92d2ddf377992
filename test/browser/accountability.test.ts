/**
 * A browser journey through accountable reading (issue 11, item 2) with the real binaries: `vigil
 * serve` on a fresh SQLite data directory with a real SMTP sink, project `demo` with TEAM_MEMBER on
 * its security team, a user whose name carries markup, and a report filed through the API. In
 * Chromium:
 *
 * - the instance admin, on no team, asks on the project page to add themselves and that user to the
 *   security team: both requests wait for a member's approval (mailed to the team), and meanwhile
 *   the admin cannot open the case (not found, as for anyone);
 * - the member approves both from the project page;
 * - the admin reads the case; the member's case page shows, under "Who has read this", the admin's
 *   read marked as an instance admin's, and their own.
 *
 * And the API documentation page, `/api/docs`, loads under the app's CSP with no violation and is
 * checked with axe-core like every page.
 *
 * Needs `npm run build` and Chromium at /usr/bin/chromium. Any console error, dialog or CSP violation
 * not announced fails it; every page photographed is checked with axe-core; screenshots go to
 * test-results/access-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const NEWCOMER = { email: 'nora@example.org', name: `Nora New ${XSS.img} ${XSS.svg}` };
const SUBJECT = `Token leak in the debug endpoint ${XSS.script}`;

describe('browser journey: accountable reading', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  const journey = useJourney('vigil-access-', () => ({ VIGIL_SMTP_URL: sink.url }));
  let teamLink = '';
  let humanId = '';

  beforeAll(async () => {
    const j = journey();
    await j.vigil('project', 'create', 'demo', '--name', 'Demo Project', '--preset', 'contour');
    teamLink = await addTeamMember(j, 'demo', TEAM_MEMBER);
    await j.vigil('user', 'add', '--email', NEWCOMER.email, '--name', NEWCOMER.name);
    const filed = await fetch(`${j.baseUrl}/api/v1/projects/demo/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ subject: SUBJECT, reproduction: 'GET /debug/vars shows the signing token.' }),
    });
    expect(filed.status).toBe(201);
    humanId = ((await filed.json()) as { humanId: string }).humanId;
  });

  afterAll(async () => {
    await sink.close();
  });

  it("asks a member's approval before anyone joins the team, and shows who has read a case", async () => {
    const { browser, baseUrl, adminLink } = journey();

    // 1. The admin, on no team, asks to add themselves and a newcomer: requests, not roles.
    const admin = await openJourneyPage(browser, 'access-admin', {
      // Not on the team yet: the case answers 404, as to anyone.
      expected: [{ path: `/api/v1/cases/${humanId}`, status: 404 }],
    });
    const ap = admin.page;
    await setPasswordFromLink(ap, adminLink, PASSWORD);
    const adminEmail = (await ap.getByTestId('signed-in-email').innerText()).trim();
    await ap.goto(`${baseUrl}/projects/demo`);
    const team = ap.getByRole('region', { name: 'Security team' });
    await team.getByRole('cell', { name: TEAM_MEMBER.email, exact: true }).waitFor();
    for (const email of [adminEmail, NEWCOMER.email]) {
      await team.getByLabel('Add a member by email').fill(email);
      await team.getByRole('button', { name: 'Add member' }).click();
      await team
        .getByText(
          `Asked to add ${email}: another member of the security team must approve before they join.`,
        )
        .waitFor();
    }
    const waiting = team
      .getByRole('table')
      .filter({ has: ap.getByRole('columnheader', { name: 'Asked by' }) });
    await waiting.getByRole('row').filter({ hasText: NEWCOMER.email }).waitFor();
    await expect(waiting.getByRole('row').filter({ hasText: adminEmail }).count()).resolves.toBe(1);
    // The admin manages no approvals: only a current member decides.
    await expect(team.getByRole('button', { name: /^Approve/ }).count()).resolves.toBe(0);
    // The newcomer's name is text.
    await expect(waiting.getByRole('cell', { name: NEWCOMER.name }).count()).resolves.toBe(1);
    await noInjectedMarkup(ap);
    await admin.shot('01-requests-pending');
    // The team is told of each request (a link, no report content).
    const requestMails = () =>
      sink.messages.filter(
        (m) =>
          m.envelope.to.includes(TEAM_MEMBER.email) &&
          m.subject.includes('a request to join the security team'),
      );
    await expect.poll(() => requestMails().length, { timeout: 15_000 }).toBe(2);
    // Pending, the admin cannot read the case.
    await ap.goto(`${baseUrl}/cases/${humanId}`);
    await ap.getByRole('heading', { level: 1, name: /not found/i }).waitFor();

    // 2. The member approves both from the project page.
    const member = await openJourneyPage(browser, 'access-member');
    const mp = member.page;
    await setPasswordFromLink(mp, teamLink, PASSWORD);
    // The member reads the case first.
    await mp.goto(`${baseUrl}/cases/${humanId}`);
    await mp.getByRole('heading', { level: 1, name: SUBJECT }).waitFor();
    await mp.goto(`${baseUrl}/projects/demo`);
    const memberTeam = mp.getByRole('region', { name: 'Security team' });
    await memberTeam.getByRole('button', { name: `Approve ${adminEmail}` }).waitFor();
    await noInjectedMarkup(mp);
    await member.shot('01-approve');
    for (const email of [adminEmail, NEWCOMER.email]) {
      await memberTeam.getByRole('button', { name: `Approve ${email}` }).click();
      await memberTeam.getByText(`Approved: ${email} joined the security team.`).waitFor();
    }
    const members = memberTeam
      .getByRole('table')
      .filter({ has: mp.getByRole('columnheader', { name: 'Role' }) });
    await members.getByRole('row').filter({ hasText: NEWCOMER.email }).waitFor();
    await members.getByRole('row').filter({ hasText: adminEmail }).waitFor();
    await expect(members.getByRole('cell', { name: NEWCOMER.name }).count()).resolves.toBe(1);
    await expect(memberTeam.getByRole('heading', { name: 'Waiting for approval' }).count()).resolves.toBe(0);
    await noInjectedMarkup(mp);
    await member.shot('02-approved');

    // 3. The admin, on the team now, reads the case: it is in the case's access log.
    await ap.goto(`${baseUrl}/cases/${humanId}`);
    await ap.getByRole('heading', { level: 1, name: SUBJECT }).waitFor();
    await noInjectedMarkup(ap);
    await mp.goto(`${baseUrl}/cases/${humanId}`);
    const log = mp.getByRole('region', { name: 'Who has read this' });
    const adminRead = log.getByRole('row').filter({ hasText: adminEmail });
    await adminRead.waitFor();
    await adminRead.getByText('instance admin').waitFor();
    await adminRead.getByRole('cell', { name: 'the case (report and conversation)' }).waitFor();
    await adminRead.getByRole('cell', { name: 'security team' }).waitFor();
    const ownRead = log.getByRole('row').filter({ hasText: TEAM_MEMBER.email });
    await ownRead.getByRole('cell', { name: 'the case (report and conversation)' }).waitFor();
    await expect(ownRead.getByText('instance admin').count()).resolves.toBe(0);
    await noInjectedMarkup(mp);
    await member.shot('03-who-has-read-this');

    await admin.context.close();
    await member.context.close();
    expect(admin.problems).toEqual([]);
    expect(member.problems).toEqual([]);
  });

  it('serves the API documentation under the app’s CSP, accessibly', async () => {
    const { browser, baseUrl } = journey();
    const docs = await openJourneyPage(browser, 'access-api-docs');
    const { page } = docs;
    const answer = await page.goto(`${baseUrl}/api/docs`);
    expect(answer?.status()).toBe(200);
    // The app's own CSP, as on every page (no looser one of swagger-ui's).
    const appPage = await fetch(`${baseUrl}/projects`);
    const csp = appPage.headers.get('content-security-policy');
    expect(csp).toBeTruthy();
    expect(answer?.headers()['content-security-policy']).toBe(csp);
    expect(csp).not.toContain('upgrade-insecure-requests');
    await expect(page.title()).resolves.toBe('Vigil API');
    // swagger-ui draws the operations from /api/openapi.json.
    await page.getByRole('heading', { name: /Vigil API/ }).waitFor();
    await page.locator('.opblock').first().waitFor();
    await docs.shot('01-docs');
    // One operation opened: its parameters, responses and "Try it out".
    await page.locator('.opblock-summary-control').first().click();
    await page.locator('.opblock-body').first().waitFor();
    await docs.shot('02-operation');
    await docs.context.close();
    expect(docs.problems).toEqual([]);
  });
});
