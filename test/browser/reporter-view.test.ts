/**
 * A browser journey through the reporter's own page (issue 13, "the reporter's side"), with the
 * real binaries: an anonymous visitor sees the project's own subject hint, files a report with
 * hostile markup in its subject and text and a proof-of-concept script attached; the script is an
 * expected type (no badge); at the private link the reporter reads the progress in plain words and
 * steps, their report as sent (all markup inert) and downloads the script; a report about something
 * already public is promised an answer "as soon as possible", not "by" the instant it arrived.
 * Every page passes axe-core's WCAG 2.1 AA rules.
 *
 * Needs `npm run build` and Chromium at /usr/bin/chromium. With VIGIL_GUIDE_SCREENSHOTS=1 the
 * reporter's page is also saved as docs/guide/img/reporter-view.png for the reporter's guide.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noInjectedMarkup, openJourneyPage, ROOT, useTeamJourney, XSS } from './support.js';

const SUBJECT = `Crash in the header parser ${XSS.img} ${XSS.svg}`;
const REPRODUCTION = `Send the attached request ${XSS.script}\n${XSS.iframe}\nthen ${XSS.link}`;
const IMPACT = 'Any client can crash the proxy **remotely**.';
const POC = 'import socket\nprint("a request that crashes the parser")\n';

describe('browser journey: the reporter’s own page', () => {
  const journey = useTeamJourney('vigil-reporter-view-');

  it('shows the reporter their report as sent, their files and the progress in plain words', async () => {
    const { browser, baseUrl } = journey();
    const { context, page, problems, shot } = await openJourneyPage(browser, 'reporter-view');

    // The form: the subject hint is the project's own (preset contour), not another project's.
    await page.goto(`${baseUrl}/p/demo/report`);
    await page.getByLabel('Subject').waitFor();
    const form = page.locator('form.report-form');
    await form.getByText('HTTPProxy include lets one namespace serve').waitFor();
    await expect(form.textContent()).resolves.not.toContain('xDS');
    await page.getByLabel('Encrypt in my browser').uncheck();
    await page.getByLabel('Subject').fill(SUBJECT);
    await page.getByLabel('Steps to reproduce').fill(REPRODUCTION);
    await page.getByLabel('Impact and attack surface').fill(IMPACT);
    await page.getByLabel('Attachments').setInputFiles({
      name: 'poc.py',
      mimeType: 'text/x-python',
      buffer: Buffer.from(POC),
    });
    await page.getByRole('button', { name: 'Send the report' }).click();
    await page.getByRole('heading', { level: 1, name: 'Report received' }).waitFor();
    await page.getByText(/A member of the security team will answer you by /).waitFor();
    const privateLink = await page.getByLabel('Your private link').inputValue();
    await shot('01-sent');

    // The private link: progress first, in words and as steps (the current one said in text).
    await page.goto(privateLink);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(SUBJECT);
    const status = page.getByTestId('reporter-status');
    await expect(status.getByTestId('progress-sentence').textContent()).resolves.toMatch(
      /^Received: the security team has not answered yet; they aim to answer by \w+day, \d+ \w+ \d{4} at \d\d:\d\d \(UTC\)\.$/,
    );
    const steps = status.getByTestId('progress-steps').getByRole('listitem');
    await expect(steps.allTextContents()).resolves.toEqual([
      'Received (current step)',
      'Triage (to come)',
      'Fix (to come)',
      'Disclosure (to come)',
      'Published (to come)',
    ]);
    await expect(steps.first().getAttribute('aria-current')).resolves.toBe('step');

    // The report as sent: the subject and every field as text; the markup in them is inert.
    const sent = page.getByTestId('report-as-sent');
    await expect(sent.getByTestId('sent-subject').textContent()).resolves.toBe(SUBJECT);
    const fields = sent.getByTestId('report');
    await expect(fields.locator('.report-text').first().textContent()).resolves.toBe(REPRODUCTION);
    await fields.getByText(IMPACT, { exact: true }).waitFor();
    await expect(fields.locator('strong').count()).resolves.toBe(0);
    await noInjectedMarkup(page);

    // The script sent with it: an expected type (no badge), downloaded through the private link.
    const files = sent.getByTestId('attachments');
    const link = files.getByRole('link', { name: 'poc.py' });
    await expect(files.locator('.badge').count()).resolves.toBe(0);
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/api\/v1\/reporter\/cases\/vrt_[A-Za-z0-9_-]{43}\/attachments\/[0-9a-f-]{36}$/);
    const download = await context.request.get(`${baseUrl}${href}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toBe(
      `attachment; filename="poc.py"; filename*=UTF-8''poc.py`,
    );
    expect(download.headers()['x-content-type-options']).toBe('nosniff');
    expect(download.headers()['content-type']).toBe('application/octet-stream');
    expect(await download.text()).toBe(POC);
    const png = await shot('02-reporter-view');
    if (process.env.VIGIL_GUIDE_SCREENSHOTS === '1') {
      const dir = join(ROOT, 'docs', 'guide', 'img');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, 'reporter-view.png'), fullPage: true });
    }
    expect(png.length).toBeGreaterThan(0);

    // A report about something already public: "as soon as possible", never "by" its own arrival.
    await page.goto(`${baseUrl}/p/demo/report`);
    await page.getByLabel('Encrypt in my browser').uncheck();
    await page.getByLabel('Subject').fill('Exploit for the admin API posted on a forum');
    await page.getByLabel('Steps to reproduce').fill('See the forum post.');
    await page.getByLabel('Yes, it is already public, or being exploited').check();
    await page.getByLabel('Where, and since when?').fill('https://forum.example/t/1, since yesterday');
    await page.getByRole('button', { name: 'Send the report' }).click();
    await page.getByRole('heading', { level: 1, name: 'Report received' }).waitFor();
    await page.getByText('A member of the security team will answer you as soon as possible.').waitFor();
    await shot('03-sent-public');
    await page.goto(await page.getByLabel('Your private link').inputValue());
    await expect(page.getByTestId('progress-sentence').textContent()).resolves.toBe(
      'Received: the security team has not answered yet; the issue is already public, so they aim to answer as soon as possible.',
    );
    await shot('04-reporter-view-public');

    await context.close();
    expect(problems).toEqual([]);
  });
});
