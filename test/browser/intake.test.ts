/**
 * A browser journey through intake and triage with the real binaries: `vigil serve` on a fresh
 * SQLite data directory, a project and a security-team member made with the CLI, then Chromium:
 * (a) an anonymous visitor files a report through the public form (without encryption in the
 * browser: intake-encrypted.test.ts takes that way), with markup in the subject and an attachment,
 * and gets the private link; the form keeps what was typed when rate-limited; (b) the team member finds it in the inbox with its
 * clock, sees the subject as text, answers the reporter and adds an internal note; (c) the
 * reporter, in a browser context of their own, reads the answer but not the note, and answers;
 * (d) the team rejects it with a category and a reason; (e) the reporter sees both.
 *
 * Needs `npm run build` and Chromium at /usr/bin/chromium. Any console error, dialog or CSP
 * violation not announced by the journey fails it; screenshots go to test-results/intake-*.png.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setPasswordFromLink, SHOTS, useTeamJourney, watchPage } from './support.js';

const PASSWORD = 'correct horse battery staple';
const SUBJECT = 'Crash in the header parser <img src=x onerror=alert(1)>';
const REPRODUCTION =
  'Send the attached <script>alert(2)</script> request:\n  curl -H "X-Long: $(head -c 1M /dev/zero)" …';
const POC = 'print("a request that crashes the parser")\n';
const REPLY = 'Thank you: we can reproduce it and are investigating. Workaround: cap header sizes at 64 KiB.';
const NOTE = 'INTERNAL: looks like the same root cause as last spring.';
const ANSWER = 'Glad to help. It also happens on 1.28.2.';
const REASON = 'Header size limits are a configuration choice: see our statement on safe defaults.';

describe('browser journey: private intake and triage', () => {
  const journey = useTeamJourney('vigil-intake-');

  it('takes a report from an anonymous visitor to a rejection the reporter reads', async () => {
    const { browser, baseUrl, teamLink } = journey();
    const viewport = { width: 1400, height: 1000 };
    const shot = (page: Page, name: string) =>
      page.screenshot({ path: join(SHOTS, `intake-${name}.png`), fullPage: true });

    // (a) The public form, as an anonymous visitor: no session is asked for, none is needed.
    const visitorContext = await browser.newContext({ viewport });
    const visitor = await visitorContext.newPage();
    visitor.setDefaultTimeout(8_000);
    const reportsPath = '/api/v1/projects/demo/reports';
    const encryptedPath = `${reportsPath}/encrypted`;
    const visitorWatch = await watchPage(visitor, [{ path: reportsPath, status: 400 }]);
    const apiCalls: string[] = [];
    visitor.on('request', (r) => {
      if (r.url().includes('/api/')) apiCalls.push(new URL(r.url()).pathname);
    });
    await visitor.goto(`${baseUrl}/p/demo/report`);
    await visitor
      .getByRole('heading', { level: 1, name: 'Report a vulnerability to the Demo Project security team' })
      .waitFor();
    expect(visitor.url()).toBe(`${baseUrl}/p/demo/report`);
    await visitor.getByText('A human on the team answers within 3 business days.').waitFor();
    // The plain route: what a reporter gets who turns encryption in the browser off.
    await visitor.getByLabel('Encrypt in my browser').uncheck();
    await visitor.getByText('Without it, the report is protected only by your connection').waitFor();
    // Three spaces pass the browser's minimum length; the server trims them and names the field.
    await visitor.getByLabel('Subject').fill('   ');
    await visitor.getByLabel('Name, or how to be referred to').fill('Ada');
    await visitor.getByLabel('Affiliation').fill('Example Research');
    await visitor.getByLabel('Steps to reproduce').fill(REPRODUCTION);
    await visitor.getByLabel('Effects, and the configuration you saw them on').fill('The proxy restarts.');
    await visitor.getByLabel('Impact and attack surface').fill('Any client can crash it remotely.');
    await visitor.getByLabel('Attachments').setInputFiles({
      name: 'poc.py',
      mimeType: 'text/x-python',
      buffer: Buffer.from(POC),
    });
    await visitor.getByText(`1 file, ${Buffer.byteLength(POC)} B in all`).waitFor();
    await visitor.getByRole('button', { name: 'Send the report' }).click();
    await visitor.locator('.field', { hasText: 'Subject' }).locator('.field-error').first().waitFor();
    await visitor.getByText('The field marked below needs attention.').waitFor();
    await expect(visitor.getByLabel('Subject').getAttribute('aria-invalid')).resolves.toBe('true');
    await shot(visitor, '01-form-refused');
    await visitor.getByLabel('Subject').fill(SUBJECT);
    await visitor.getByRole('button', { name: 'Send the report' }).click();
    await visitor.getByRole('heading', { level: 1, name: 'Report received' }).waitFor();
    const humanId = (await visitor.getByTestId('case-id').textContent())?.trim() ?? '';
    expect(humanId).toMatch(/^[A-Z]+-\d{4}-\d{4}$/);
    const privateLink = await visitor.getByLabel('Your private link').inputValue();
    expect(privateLink).toMatch(new RegExp(`^${baseUrl}/r/vrt_[A-Za-z0-9_-]{43}$`));
    await visitor.getByText('it is the only way back to your report').waitFor();
    await visitor.getByText('It was sent without encryption in the browser').waitFor();
    await shot(visitor, '02-submitted');
    // The public pages never asked who is signed in (only whether the instance is a demo, a public
    // fact, and the proof-of-work challenge the form solves while the reporter writes).
    expect(apiCalls.filter((p) => p !== `${reportsPath}/challenge` && p !== '/api/v1/instance')).toEqual([
      '/api/v1/projects/demo/intake',
      reportsPath,
      reportsPath,
    ]);
    expect(apiCalls).toContain(`${reportsPath}/challenge`);
    // A second report, through the API, about something already public: the watchdog's business.
    const urgent = await visitorContext.request.post(`${baseUrl}/api/v1/projects/demo/reports`, {
      data: {
        subject: 'Exploit for the admin API posted on a forum',
        reproduction: 'See the forum post.',
        publiclyKnown: true,
        publicDetails: 'https://forum.example/t/1',
      },
    });
    expect(urgent.status()).toBe(201);
    const { humanId: urgentId, reporterLink: urgentLink } = (await urgent.json()) as {
      humanId: string;
      reporterLink: string;
    };
    // Over the limit (10 an hour from one address, whichever way): the form, encrypting again by
    // default, keeps what was typed and says when to retry.
    for (let i = 0; i < 8; i++) {
      const filler = await visitorContext.request.post(`${baseUrl}${reportsPath}`, {
        data: { subject: `Filler report ${i}`, reproduction: 'x' },
      });
      expect(filler.status()).toBe(201);
    }
    visitorWatch.expected.push({ path: encryptedPath, status: 429 });
    await visitor.goto(`${baseUrl}/p/demo/report`);
    await visitor.getByLabel('Subject').fill('One report too many');
    await visitor.getByLabel('Steps to reproduce').fill('Typed with care.');
    await visitor.getByTestId('key-fingerprint').waitFor();
    await visitor.getByRole('button', { name: 'Send the report' }).click();
    await visitor.getByRole('alert').filter({ hasText: 'Too many reports were sent just now' }).waitFor();
    await visitor
      .getByText(/Everything you typed is still here\. You can send it again in \d+ min\./)
      .waitFor();
    await visitor.getByRole('button', { name: /^Send the report \(wait \d+ min\)$/ }).waitFor();
    await expect(visitor.getByLabel('Steps to reproduce').inputValue()).resolves.toBe('Typed with care.');
    await shot(visitor, '02-rate-limited');
    await visitorContext.close();
    expect(visitorWatch.problems).toEqual([]);

    // (b) The team member: set a password from the one-time link, then the inbox.
    const teamContext = await browser.newContext({ viewport });
    const team = await teamContext.newPage();
    team.setDefaultTimeout(8_000);
    const teamWatch = await watchPage(team, [{ path: '/api/v1/auth/session', status: 401 }]);
    await setPasswordFromLink(team, teamLink, PASSWORD);
    await team.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
    await team.waitForURL(`${baseUrl}/cases`);
    const row = team.getByTestId('cases').locator('tbody tr', { hasText: humanId });
    await expect(row.getByTestId('clock').textContent()).resolves.toMatch(/^due in \d+ days?( \d+ h)?$/);
    await expect(row.getByTestId('row-title').textContent()).resolves.toBe(SUBJECT);
    const watchdog = team.getByTestId('watchdog');
    await watchdog.getByRole('link', { name: urgentId }).waitFor();
    await watchdog.getByText('as soon as possible').waitFor();
    await expect(watchdog.textContent()).resolves.not.toContain(humanId);
    // The filters live in the query string.
    await team.getByLabel('State').selectOption('rejected');
    await team.waitForURL(`${baseUrl}/cases?state=rejected`);
    await team.getByText('No case matches these filters.').waitFor();
    await team.getByLabel('State').selectOption('');
    await team.waitForURL(`${baseUrl}/cases`);
    await row.waitFor();
    await shot(team, '03-inbox');

    // The case: the subject and report as text, no element made from them.
    await row.getByRole('link', { name: humanId }).click();
    await team.waitForURL(`${baseUrl}/cases/${humanId}`);
    await expect(team.getByTestId('case-title').textContent()).resolves.toBe(SUBJECT);
    await team.getByTestId('report').getByText('<script>alert(2)</script>', { exact: false }).waitFor();
    await expect(team.locator('img, script:not([src])').count()).resolves.toBe(0);
    await team
      .getByTestId('clock-banner')
      .getByText(/^due in /)
      .waitFor();
    // The attachment is a download; a proof-of-concept script is an expected type, not flagged.
    const attachment = team.getByTestId('attachments').getByRole('link', { name: 'poc.py' });
    await attachment.waitFor();
    await expect(team.getByTestId('attachments').locator('.badge').count()).resolves.toBe(0);
    const download = await teamContext.request.get(`${baseUrl}${await attachment.getAttribute('href')}`);
    expect(download.headers()['content-disposition']).toContain('attachment');
    expect(await download.text()).toBe(POC);

    // A reply to the reporter answers the clock; an internal note stays with the team.
    await team.getByLabel('Write').fill(REPLY);
    await team.getByRole('button', { name: 'Send to reporter' }).click();
    await team.getByTestId('conversation').getByText(REPLY).waitFor();
    await team.getByTestId('clock-banner').getByText('answered', { exact: true }).waitFor();
    await team.getByLabel('Write').fill(NOTE);
    await team.getByRole('button', { name: 'Add internal note' }).click();
    const note = team.getByTestId('internal-note').filter({ hasText: NOTE });
    await note.getByText('Internal note — the reporter never sees this').waitFor();
    await shot(team, '04-case');

    // (c) The reporter, in a fresh context with only the link: the reply, never the note.
    const reporterContext = await browser.newContext({ viewport });
    const reporter = await reporterContext.newPage();
    reporter.setDefaultTimeout(8_000);
    const reporterWatch = await watchPage(reporter);
    await reporter.goto(privateLink);
    await expect(reporter.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(SUBJECT);
    await reporter.getByTestId('reporter-status').getByText('Received:').waitFor();
    const conversation = reporter.getByTestId('conversation');
    await conversation
      .getByTestId('message')
      .filter({ hasText: REPLY })
      .getByText('Demo Project security team')
      .waitFor();
    await conversation
      .getByTestId('message')
      .filter({ hasText: 'automatic receipt' })
      .getByText('Automatic', { exact: true })
      .waitFor();
    await expect(reporter.locator('body').textContent()).resolves.not.toContain('INTERNAL');
    await expect(reporter.locator('img').count()).resolves.toBe(0);
    await reporter.getByLabel('Write to the security team').fill(ANSWER);
    await reporter.getByRole('button', { name: 'Send', exact: true }).click();
    await conversation.getByTestId('message').filter({ hasText: ANSWER }).getByText('You').waitFor();
    await reporter.getByLabel('Handle').fill('@ada');
    await reporter.getByRole('button', { name: 'Save how to credit me' }).click();
    await reporter.getByText('Saved: this is how the advisory will credit you.').waitFor();
    await reporter.getByTestId('report-as-sent').getByRole('link', { name: 'poc.py' }).waitFor();
    await shot(reporter, '05-reporter');

    // The reporter of the public issue is asked whether it can still be handled privately.
    await reporter.goto(urgentLink);
    const question = reporter.getByRole('region', { name: 'Can this still be handled privately?' });
    await question.getByRole('button', { name: 'Yes, it can still be handled privately' }).click();
    await question.getByText('You answered: yes, it can still be handled privately.').waitFor();
    await shot(reporter, '05-private-handling');

    // A wrong link (unknown, or not even the right shape) is calmly "not valid".
    reporterWatch.expected.push({ path: /^\/api\/v1\/reporter\/cases\//, status: 404 });
    reporterWatch.expected.push({ path: /^\/api\/v1\/reporter\/cases\//, status: 400 });
    await reporter.goto(`${baseUrl}/r/vrt_${'x'.repeat(43)}`);
    await reporter.getByRole('heading', { name: 'This link is not valid' }).waitFor();
    await reporter.goto(`${baseUrl}/r/not-a-link`);
    await reporter.getByRole('heading', { name: 'This link is not valid' }).waitFor();
    await shot(reporter, '06-invalid-link');

    // (d) The team: the reporter's answer and credit are there. A duplicate of a case that does not
    // exist is refused next to the field; then the rejection, with a category and a reason.
    await team.reload();
    await team.getByTestId('conversation').getByText(ANSWER).waitFor();
    await team.getByTestId('reporter-panel').getByText('@ada').waitFor();
    teamWatch.expected.push({ path: /^\/api\/v1\/cases\/[^/]+\/transitions$/, status: 422 });
    await team.getByRole('button', { name: 'Duplicate', exact: true }).click();
    await team.getByLabel('Original case').fill('NOPE-2026-9999');
    await team.getByRole('button', { name: 'Mark as duplicate' }).click();
    await team.locator('.field-error', { hasText: 'The original must name another case' }).waitFor();
    await shot(team, '07-duplicate-refused');
    await team.getByRole('button', { name: 'Reject', exact: true }).click();
    await team.getByLabel('Reason category').selectOption('lack-of-safe-defaults');
    await team.getByLabel('Reason, sent to the reporter').fill(REASON);
    await team.getByRole('button', { name: 'Reject and tell the reporter' }).click();
    await team.getByText(`${humanId} moved from Received to Rejected.`).waitFor();
    await team
      .getByTestId('case-state')
      .filter({ hasText: /^Rejected$/ })
      .waitFor();
    await team.getByTestId('conversation').getByText(REASON).waitFor();
    await shot(team, '08-rejected');

    // The project page: the response figures and the ways in.
    await team.goto(`${baseUrl}/projects/demo`);
    const figures = team.getByTestId('response-metrics');
    // The open clocks count too: the overdue unanswered case is "not met", and shown as waiting.
    await figures.getByText('1 met, 0 missed, 1 overdue and unanswered').waitFor();
    await figures.getByText('50 %').waitFor();
    await expect(figures.getByTestId('open-clocks').textContent()).resolves.toMatch(/^1 overdue · /);
    await team.getByRole('link', { name: 'This project’s cases' }).waitFor();
    await shot(team, '09-project');

    // (e) The reporter sees the outcome and the reason.
    await reporter.goto(privateLink);
    await reporter
      .getByTestId('reporter-status')
      .getByText(/^Rejected: /)
      .waitFor();
    await reporter.getByTestId('conversation').getByText(REASON).waitFor();
    await shot(reporter, '10-reporter-rejected');

    await reporterContext.close();
    await teamContext.close();
    expect(teamWatch.problems).toEqual([]);
    expect(reporterWatch.problems).toEqual([]);
  });
});
