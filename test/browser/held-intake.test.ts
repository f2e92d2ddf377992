/**
 * A browser journey through held intake (issue 11, item 6) with the real binaries: `vigil serve` on
 * a fresh SQLite data directory with a real SMTP sink, project `demo` whose policy lets one report an
 * hour in (`intake.rateLimits.perProject.count: 1`) and TEAM_MEMBER on its team. In Chromium:
 *
 * - a reporter sends a first report through the web form (under the quota: it goes to the team);
 * - a second one, over the quota: the form's proof of work runs, so it is not held;
 * - a third one whose proof of work could not be had (the challenge answers 503): it is held, and
 *   the form says so; the reporter's private page offers "Confirm my report"; the receipt mail's
 *   `/confirm-report#...` link confirms it, and only then does the team get its mail;
 * - two more through the API without a proof: held; the reporter confirms one from the private page
 *   (the browser solves the puzzle);
 * - the team sees the held count in the inbox, the "Held" filter lists the other one, and its case
 *   page's held panel releases it to the inbox (the team mail follows).
 *
 * The held reports' subjects carry markup, which must show as text. Needs `npm run build` and
 * Chromium at /usr/bin/chromium. Any console error, dialog or CSP violation not announced fails it;
 * every page photographed is checked with axe-core; screenshots go to test-results/held-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type ParsedSinkMessage, type SmtpSink } from '../support/smtp-sink.js';
import {
  addTeamMember,
  createProjectWithPolicy,
  noInjectedMarkup,
  openJourneyPage,
  setPasswordFromLink,
  TEAM_MEMBER,
  useJourney,
  XSS,
} from './support.js';

const PASSWORD = 'correct horse battery staple';
const REPORTER = 'rita@reporter.example';
const CHALLENGE_PATH = '/api/v1/projects/demo/reports/challenge';
const HELD_BY_FORM = `Parser crash on a long header ${XSS.img}`;
const HELD_CONFIRMED_ON_PAGE = `Admin API bypass ${XSS.script}`;
const HELD_FOR_TEAM = `Possibly a flood ${XSS.svg} ${XSS.iframe}`;

interface Filed {
  humanId: string;
  reporterLink: string;
  held: boolean;
}

/** Mail to the team about a new report `humanId` (report-received.team). */
const teamMailOf = (humanId: string) => (m: ParsedSinkMessage) =>
  m.envelope.to.includes(TEAM_MEMBER.email) && m.text.includes(`It is case ${humanId}.`);

/** Sends a report through the public form, without encryption in the browser; returns its id. */
async function sendThroughForm(
  page: Page,
  baseUrl: string,
  subject: string,
  { waitForProof = false } = {},
): Promise<string> {
  await page.goto(`${baseUrl}/p/demo/report`);
  // The form solves its proof of work in the background while the reporter writes; a person takes
  // longer to write than it takes to solve, so wait for it as they would.
  if (waitForProof) await page.locator('form[data-proof-of-work="ready"]').waitFor({ timeout: 60_000 });
  await page.getByLabel('Encrypt in my browser').uncheck();
  await page.getByLabel('Subject').fill(subject);
  await page.getByLabel('Steps to reproduce').fill('Send a request with a 1 MiB header.');
  await page.getByLabel('Email', { exact: true }).fill(REPORTER);
  await page.getByRole('button', { name: 'Send the report' }).click();
  await page.getByRole('heading', { level: 1, name: 'Report received' }).waitFor({ timeout: 30_000 });
  return ((await page.getByTestId('case-id').textContent()) ?? '').trim();
}

/** Files a report through the API with no proof of work. */
async function sendThroughApi(baseUrl: string, subject: string): Promise<Filed> {
  const res = await fetch(`${baseUrl}/api/v1/projects/demo/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      subject,
      reproduction: 'See the attached script.',
      reporter: { email: REPORTER },
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Filed;
}

describe('browser journey: held intake', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  // A light proof of work (12 bits, up to 16 in the flood): the journey shows the flow, not the cost.
  const journey = useJourney('vigil-held-', () => ({
    VIGIL_SMTP_URL: sink.url,
    VIGIL_PROOF_OF_WORK_BITS: '12',
  }));
  let teamLink = '';

  beforeAll(async () => {
    const j = journey();
    await createProjectWithPolicy(j, 'demo', 'Demo Project', 'contour', (yaml) => {
      const limits =
        '\nintake:\n  rateLimits:\n' +
        '    perAddress: { count: 10, windowSeconds: 3600 }\n' +
        '    perProject: { count: 1, windowSeconds: 3600 }\n';
      expect(yaml).toContain('\nintake:\n');
      return yaml.replace('\nintake:\n', limits);
    });
    teamLink = await addTeamMember(j, 'demo', TEAM_MEMBER);
  });

  afterAll(async () => {
    await sink.close();
  });

  it('holds a report over the quota without a proof of work, and lets the reporter or the team release it', async () => {
    const { browser, baseUrl } = journey();
    const reporter = await openJourneyPage(browser, 'held-reporter');
    const { page, shot } = reporter;
    const challenges: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === CHALLENGE_PATH) challenges.push(r.method());
    });

    // 1. The first report of the hour: under the quota, it goes to the team.
    const first = await sendThroughForm(page, baseUrl, 'Header parser reads past the buffer');
    await expect(page.getByTestId('held-note').count()).resolves.toBe(0);
    await sink.waitFor(teamMailOf(first));

    // 2. Over the quota, the form's proof of work admits the report at once: not held.
    const second = await sendThroughForm(page, baseUrl, 'Crash in the TLS handshake', { waitForProof: true });
    expect(challenges).toEqual(['GET', 'GET']);
    await expect(page.getByTestId('held-note').count()).resolves.toBe(0);
    await page.getByText('A member of the security team will answer you').waitFor();
    await shot('01-proof-not-held');
    await sink.waitFor(teamMailOf(second));

    // 3. Over the quota with no proof (the challenge could not be had): stored, receipted, held.
    await page.route(`**${CHALLENGE_PATH}`, (route) =>
      route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{"status":503}' }),
    );
    reporter.expected.push({ path: CHALLENGE_PATH, status: 503 });
    const held = await sendThroughForm(page, baseUrl, HELD_BY_FORM);
    await page.unroute(`**${CHALLENGE_PATH}`);
    const note = page.getByTestId('held-note');
    await note.getByText('so yours is stored but held until you confirm that a person sent it').waitFor();
    await expect(page.getByText('A member of the security team will answer you').isVisible()).resolves.toBe(
      false,
    );
    await shot('02-held-note');
    const heldLink = await page.getByLabel('Your private link').inputValue();

    // Its private page: the subject as text, and the way to confirm it.
    await page.goto(heldLink);
    await page.getByRole('heading', { level: 1, name: HELD_BY_FORM }).waitFor();
    const confirmPanel = page.getByRole('region', { name: 'Your report is held until you confirm it' });
    await confirmPanel.getByRole('button', { name: 'Confirm my report' }).waitFor();
    await noInjectedMarkup(page);
    await shot('03-private-page-held');

    // The receipt mail carries the confirmation link; the team has heard nothing of it yet.
    const receipt = await sink.waitFor(
      (m) => m.envelope.to.includes(REPORTER) && m.text.includes(held) && /confirm-report#/.test(m.text),
    );
    const confirmLink = /https?:\/\/\S+\/confirm-report#\S+/.exec(receipt.text)?.[0] ?? '';
    expect(confirmLink.startsWith(`${baseUrl}/confirm-report#`)).toBe(true);
    expect(sink.messages.filter(teamMailOf(held))).toEqual([]);
    await page.goto(confirmLink);
    await page
      .getByTestId('confirmed')
      .getByText(
        `Thank you: your report ${held} is confirmed and has gone to the Demo Project security team.`,
      )
      .waitFor();
    // The token leaves the address bar once sent.
    expect(page.url()).toBe(`${baseUrl}/confirm-report`);
    await shot('04-confirmed-by-mail');
    await sink.waitFor(teamMailOf(held));
    // Opened again (a new page load, as from the mail), the link says so, and changes nothing.
    await page.goto('about:blank');
    await page.goto(confirmLink);
    await page.getByTestId('confirmed').getByText(`Your report ${held} was confirmed already`).waitFor();
    await page.goto(heldLink);
    await page.getByTestId('reporter-status').waitFor();
    await expect(confirmPanel.count()).resolves.toBe(0);

    // 4. Two more through the API without a proof: both held. The reporter confirms one from its page.
    const onPage = await sendThroughApi(baseUrl, HELD_CONFIRMED_ON_PAGE);
    const forTeam = await sendThroughApi(baseUrl, HELD_FOR_TEAM);
    expect([onPage.held, forTeam.held]).toEqual([true, true]);
    await page.goto(onPage.reporterLink);
    await page.getByRole('heading', { level: 1, name: HELD_CONFIRMED_ON_PAGE }).waitFor();
    await confirmPanel.getByRole('button', { name: 'Confirm my report' }).click();
    // The browser solves the puzzle (a few seconds), then the panel goes.
    await expect.poll(() => confirmPanel.count(), { timeout: 60_000 }).toBe(0);
    await noInjectedMarkup(page);
    await sink.waitFor(teamMailOf(onPage.humanId));
    await reporter.context.close();
    expect(reporter.problems).toEqual([]);

    // 5. The team: the inbox counts the held report and leaves it out; the filter shows it.
    const team = await openJourneyPage(browser, 'held-team');
    const tp = team.page;
    await setPasswordFromLink(tp, teamLink, PASSWORD);
    await tp.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
    await tp.waitForURL(`${baseUrl}/cases`);
    const rows = tp.getByTestId('cases').locator('tbody tr');
    for (const id of [first, second, held, onPage.humanId]) await rows.filter({ hasText: id }).waitFor();
    await expect(rows.filter({ hasText: forTeam.humanId }).count()).resolves.toBe(0);
    await tp.getByTestId('held-count').getByText('report is held as possibly a flood').waitFor();
    await expect(tp.getByTestId('held-count').locator('.badge').innerText()).resolves.toBe('1');
    await noInjectedMarkup(tp);
    await team.shot('01-inbox-held-count');
    await tp.getByLabel('Held: possibly a flood (1)').check();
    await tp.waitForURL(`${baseUrl}/cases?held=true`);
    const heldRow = rows.filter({ hasText: forTeam.humanId });
    await heldRow.getByText('held: possibly a flood').waitFor();
    await expect(rows.count()).resolves.toBe(1);
    await expect(heldRow.getByText(HELD_FOR_TEAM).count()).resolves.toBe(1);
    await noInjectedMarkup(tp);
    await team.shot('02-held-filter');

    // 6. Its case page: the held panel, and the release.
    await heldRow.getByRole('link').first().click();
    await tp.getByRole('heading', { level: 1, name: HELD_FOR_TEAM }).waitFor();
    const panel = tp.getByRole('region', { name: 'Held: possibly a flood' });
    await panel.getByText('over the project’s hourly quota, so it was held').waitFor();
    const clock = tp.getByTestId('clock-banner');
    await clock
      .getByText('Held as possibly a flood: the clock starts when the report is released.')
      .waitFor();
    await tp.getByText('or with the “Confirm my report” button on this page').waitFor();
    await noInjectedMarkup(tp);
    await team.shot('03-case-held');
    expect(sink.messages.filter(teamMailOf(forTeam.humanId))).toEqual([]);
    await panel.getByRole('button', { name: 'Release to the inbox' }).click();
    await tp
      .getByText(`${forTeam.humanId} is released: it is in the inbox and its response clock runs from now.`)
      .waitFor();
    await expect.poll(() => panel.count()).toBe(0);
    // Released, its clock runs: the policy's three business days from now.
    await clock.getByText(/^Due /).waitFor();
    await team.shot('04-released');
    await sink.waitFor(teamMailOf(forTeam.humanId));
    await tp.goto(`${baseUrl}/cases`);
    await rows.filter({ hasText: forTeam.humanId }).waitFor();
    await expect(tp.getByTestId('held-count').count()).resolves.toBe(0);
    await tp.getByLabel('Held: possibly a flood (0)').waitFor();

    await team.context.close();
    expect(team.problems).toEqual([]);
  });
});
