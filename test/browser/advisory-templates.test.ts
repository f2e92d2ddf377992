/**
 * A browser journey through the advisory templates with the real binaries: `vigil serve` on a
 * fresh SQLite data directory, a project and a security-team member made with the CLI, then
 * Chromium: (a) on the project page, the team member edits the distributors' mail template and
 * watches the preview against the sample advisory follow, saves, reloads and finds it kept; breaks
 * it (an unclosed section) and is shown the line; resets it to the default; (b) on an accepted
 * case's advisory, the previews list what the distributors' mail still needs, then, once the
 * fields are filled, show the mail with its `#security` subject tag and never the CVE id.
 *
 * Needs `npm run build` and Chromium at /usr/bin/chromium. Any console error, dialog or CSP
 * violation not announced by the journey fails it; screenshots go to test-results/advisory-templates-*.png.
 */
import { describe, expect, it } from 'vitest';
import { apiFromPage, openJourneyPage, setPasswordFromLink, TEAM_MEMBER, useTeamJourney } from './support.js';

const PASSWORD = 'correct horse battery staple';
const ADDED_LINE = 'Sent to you by the Demo Project security team, with thanks for your discretion.';
const THEIR_LINE = 'A line saved by someone else meanwhile.';
const MY_LINE = 'A line of my own, saved after theirs.';
const CVE = 'CVE-2026-12345';
/** A mail line at the usual width: shown on one line, never wrapped again by a narrow column. */
const LINE_72 = 'Seventy-two characters make a line of a plain-text mail, as mail wraps..';

/**
 * How the preview shows LINE_72: the body's font and white-space, and the line's rendered boxes
 * (one box, one line high, when it is not wrapped). A string so the tests compile without the DOM.
 */
const MEASURE_LINE = `(() => {
  const pre = document.querySelector('#advisory-template-panel [data-testid="render-body"]');
  const style = getComputedStyle(pre);
  const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode()) && !node.data.includes(${JSON.stringify(LINE_72)})) {}
  const range = document.createRange();
  const at = node.data.indexOf(${JSON.stringify(LINE_72)});
  range.setStart(node, at);
  range.setEnd(node, at + ${LINE_72.length});
  return {
    fontFamily: style.fontFamily,
    whiteSpace: style.whiteSpace,
    lineHeight: parseFloat(style.lineHeight),
    boxes: range.getClientRects().length,
    height: range.getBoundingClientRect().height,
    label: pre.getAttribute('aria-label'),
    tabIndex: pre.tabIndex,
    scrolls: pre.scrollWidth > pre.clientWidth,
  };
})()`;

interface LineMeasure {
  fontFamily: string;
  whiteSpace: string;
  lineHeight: number;
  boxes: number;
  height: number;
  label: string | null;
  tabIndex: number;
  scrolls: boolean;
}

/** The part of a textarea the journey reads (the tests compile without the DOM library). */
interface TextSelection {
  value: string;
  selectionStart: number;
  selectionEnd: number;
}

describe('browser journey: advisory templates and previews', () => {
  const journey = useTeamJourney('vigil-templates-');

  it('edits, previews, saves, breaks and resets the distributors template on the project page', async () => {
    const { browser, baseUrl, teamLink } = journey();
    const { context, page, problems, expected, shot } = await openJourneyPage(browser, 'advisory-templates');

    await setPasswordFromLink(page, teamLink, PASSWORD);
    await page.goto(`${baseUrl}/projects/demo`);
    await page.getByRole('heading', { level: 2, name: 'Advisory templates' }).waitFor();
    const tabs = page.getByRole('tablist', { name: 'Advisory templates' });
    await tabs.getByRole('tab').last().waitFor();
    await expect(tabs.getByRole('tab').allTextContents()).resolves.toEqual([
      'Announcement',
      'Distributors',
      'Fix coming',
      'Public page',
    ]);

    // (a) The distributors' mail: the default, its required fields and variables, and its preview.
    await tabs.getByRole('tab', { name: 'Distributors' }).click();
    await expect(tabs.getByRole('tab', { name: 'Distributors' }).getAttribute('aria-selected')).resolves.toBe(
      'true',
    );
    const panel = page.locator('#advisory-template-panel');
    const editor = panel.getByRole('textbox', { name: "The distributors' mail (template)" });
    const original = await editor.inputValue();
    expect(original).toContain('#security');
    await panel.getByText('Vigil’s default template.').waitFor();
    await expect(panel.getByRole('list', { name: 'Required fields' }).textContent()).resolves.toContain(
      'releaseAt',
    );
    await panel.getByRole('definition').first().waitFor();
    const subject = panel.getByTestId('render-subject');
    const body = panel.getByTestId('render-body');
    await expect(subject.textContent()).resolves.toContain('#security');
    await expect(body.textContent()).resolves.not.toContain(ADDED_LINE);
    await shot('01-default');

    // One more line: the preview follows before anything is saved.
    expect(LINE_72.length).toBe(72);
    await editor.fill(`${original.trimEnd()}\n\n${LINE_72}\n${ADDED_LINE}\n`);
    await body.filter({ hasText: ADDED_LINE }).waitFor();
    // Mail shows as mail: monospace, its own line width, scrolled (by keyboard too) rather than
    // wrapped a second time, even in a narrow window.
    await page.setViewportSize({ width: 480, height: 1000 });
    const line = (await page.evaluate(MEASURE_LINE)) as LineMeasure;
    expect(line.fontFamily).toMatch(/mono/i);
    expect(line.whiteSpace).toBe('pre');
    expect(line.boxes).toBe(1);
    expect(line.height).toBeLessThanOrEqual(line.lineHeight + 1);
    expect(line.scrolls).toBe(true);
    expect(line.tabIndex).toBe(0);
    expect(line.label).toBeTruthy();
    await shot('01b-narrow-mail');
    await page.setViewportSize({ width: 1400, height: 1000 });
    await panel.getByText('Unsaved changes to the default template.').waitFor();
    await tabs.getByRole('tab', { name: /Distributors.*unsaved/ }).waitFor();
    await shot('02-edited');

    // Saved, then kept across a reload.
    await panel.getByRole('button', { name: 'Save template', exact: true }).click();
    await panel.getByText(/^Saved as version \d+\.$/).waitFor();
    await page.reload();
    await page.getByRole('tab', { name: 'Distributors' }).click();
    await expect(editor.inputValue()).resolves.toContain(ADDED_LINE);
    await body.filter({ hasText: ADDED_LINE }).waitFor();
    await panel.getByText(/^The project’s own, version \d+\.$/).waitFor();
    await panel.getByRole('button', { name: 'Reset to default' }).waitFor();
    await shot('03-saved-and-reloaded');

    // Someone else saves meanwhile: the save is refused (409, logged by Chromium) and the user's
    // text survives loading the latest version, to be saved over theirs.
    const listed = await apiFromPage(page, 'GET', '/projects/demo/advisory-templates');
    const current = (
      listed.json as { templates: { name: string; source: string; version: number }[] }
    ).templates.find((t) => t.name === 'distributors');
    expect(current?.source).toContain(ADDED_LINE);
    const theirs = await apiFromPage(page, 'PUT', '/projects/demo/advisory-templates/distributors', {
      source: `${current?.source ?? ''}\n${THEIR_LINE}\n`,
      baseVersion: current?.version,
    });
    expect(theirs.status, JSON.stringify(theirs.json)).toBe(200);
    expected.push({ path: '/api/v1/projects/demo/advisory-templates/distributors', status: 409 });
    const mine = `${(await editor.inputValue()).trimEnd()}\n${MY_LINE}\n`;
    await editor.fill(mine);
    await panel.getByRole('button', { name: 'Save template', exact: true }).click();
    await panel.getByRole('alert').filter({ hasText: 'Someone else saved this template first' }).waitFor();
    await shot('03b-conflict');
    await panel.getByRole('button', { name: 'Load the latest version (keeps your text)' }).click();
    await panel.getByText(`Unsaved changes to version ${(current?.version ?? 0) + 1}.`).waitFor();
    await expect(editor.inputValue()).resolves.toBe(mine);
    await panel.getByRole('button', { name: 'Save template', exact: true }).click();
    await panel.getByText(`Saved as version ${(current?.version ?? 0) + 2}.`).waitFor();
    await body.filter({ hasText: MY_LINE }).waitFor();
    await expect(body.textContent()).resolves.not.toContain(THEIR_LINE);
    expected.pop();

    // An unclosed section: the server refuses the preview (422, logged by Chromium) and names the
    // line; the last good preview stays, marked out of date; a click on the issue selects the line.
    expected.push({ path: '/api/v1/projects/demo/advisory-templates/distributors/preview', status: 422 });
    const saved = (await editor.inputValue()).trimEnd();
    const openedAt = saved.split('\n').length + 2;
    await editor.fill(`${saved}\n\n{{#affected}}\n* {{package}}\n`);
    const issue = panel.getByRole('button', { name: new RegExp(`^line ${openedAt}, source: `) });
    await issue.waitFor();
    await expect(issue.textContent()).resolves.toMatch(/affected/);
    await expect(issue.textContent()).resolves.not.toMatch(/source: line \d+/);
    await issue.click();
    await expect(
      editor.evaluate((el: TextSelection) => el.value.slice(el.selectionStart, el.selectionEnd)),
    ).resolves.toBe('{{#affected}}');
    await panel.getByText('Out of date').waitFor();
    await body.filter({ hasText: ADDED_LINE }).waitFor();
    await expect(editor.getAttribute('aria-invalid')).resolves.toBe('true');
    await shot('04-broken');

    // Reset to the default, confirmed in the page (no browser dialog).
    await panel.getByRole('button', { name: 'Reset to default' }).click();
    await panel.getByRole('alert').filter({ hasText: 'to the default?' }).waitFor();
    await shot('05-confirm-reset');
    await panel.getByRole('button', { name: 'Yes, reset to the default' }).click();
    await panel.getByText('Back to Vigil’s default template.').waitFor();
    await expect(editor.inputValue()).resolves.toBe(original);
    await body.filter({ hasNotText: ADDED_LINE }).waitFor();
    await expect(panel.getByRole('button', { name: 'Reset to default' }).count()).resolves.toBe(0);
    await page.reload();
    await page.getByRole('tab', { name: 'Distributors' }).click();
    await expect(editor.inputValue()).resolves.toBe(original);
    await shot('06-reset');

    await context.close();
    expect(problems).toEqual([]);
  });

  it("previews an accepted case's advisory: missing fields in words, then the distributors' mail without the CVE id", async () => {
    const { browser, baseUrl } = journey();
    const renderPath = /^\/api\/v1\/cases\/[^/]+\/advisory\/render$/;
    const { context, page, problems, shot } = await openJourneyPage(browser, 'advisory-templates', {
      // UTC in the browser, so the release date typed is the instant sent.
      context: { timezoneId: 'UTC' },
      // A render refused for missing fields (422), which Chromium logs.
      expected: [{ path: renderPath, status: 422 }],
    });

    // A report through the public API, accepted by the team, and its advisory drafted.
    const filed = await fetch(`${baseUrl}/api/v1/projects/demo/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        subject: 'Header injection in the HTTP proxy',
        reproduction: 'Send X-Internal-Route.',
      }),
    });
    expect(filed.status).toBe(201);
    const { humanId } = (await filed.json()) as { humanId: string };
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel('Email').fill(TEAM_MEMBER.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${baseUrl}/dashboard`);
    const accepted = await apiFromPage(page, 'POST', `/cases/${humanId}/transitions`, { to: 'accepted' });
    expect(accepted.status).toBe(200);
    const drafted = await apiFromPage(page, 'POST', `/cases/${humanId}/advisory`);
    expect(drafted.status).toBe(201);
    const draft = drafted.json as { revision: number; document: Record<string, unknown> };

    // The previews of the fresh draft: the distributors' mail lists what it still needs.
    const openPreviews = async (template: string) => {
      await page.goto(`${baseUrl}/cases/${humanId}/advisory`);
      await page.getByRole('heading', { level: 2, name: 'Template previews' }).waitFor();
      await page
        .getByRole('tablist', { name: 'Advisory previews' })
        .getByRole('tab', { name: template })
        .click();
    };
    const previews = page.locator('#advisory-preview-panel');
    await openPreviews('Distributors');
    const missing = previews.getByTestId('render-missing');
    await missing.waitFor();
    const needs = (await missing.textContent()) ?? '';
    expect(needs).toMatch(/^The distributors' mail needs: /);
    for (const words of [
      'workarounds (or mitigations) (document.workarounds)',
      'the release date (releaseAt)',
    ]) {
      expect(needs).toContain(words);
    }
    await shot('07-preview-missing');

    // The fields filled through the API (as the editor would save them): only the date is missing.
    const saved = await apiFromPage(page, 'PUT', `/cases/${humanId}/advisory`, {
      baseRevision: draft.revision,
      document: {
        ...draft.document,
        title: 'Header injection in the HTTP proxy',
        summary: 'A client-supplied header reaches internal routes',
        description: 'The proxy copies the X-Internal-Route header upstream without checking it.\n',
        workarounds: 'Drop the X-Internal-Route header at your edge proxy.',
        mitigations: 'Restrict internal routes to trusted source addresses.',
        affected: [
          {
            ecosystem: 'Go',
            package: 'github.com/projectcontour/contour',
            ranges: [{ type: 'SEMVER', events: [{ introduced: '1.28.0' }, { fixed: '1.28.4' }] }],
          },
        ],
        severity: { cvss: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N' }] },
      },
    });
    expect(saved.status, JSON.stringify(saved.json)).toBe(200);
    await openPreviews('Distributors');
    await missing
      .filter({ hasText: "The distributors' mail needs: the release date (releaseAt)." })
      .waitFor();
    await expect(missing.textContent()).resolves.not.toContain('workarounds');

    // A release date: the mail, its subject tagged #security.
    await page.getByLabel('Release date and time (your time zone)').fill('2026-12-01T16:00');
    await page.getByText('Sent as 2026-12-01T16:00:00Z (UTC).').waitFor();
    const subject = previews.getByTestId('render-subject');
    await subject.waitFor();
    await expect(subject.textContent()).resolves.toMatch(/#security/);
    await previews
      .getByTestId('render-body')
      .filter({ hasText: 'Drop the X-Internal-Route header' })
      .waitFor();
    await previews.getByRole('button', { name: 'Copy the body' }).waitFor();
    await shot('08-preview-distributors');

    // With a CVE id on the advisory, the distributors' mail still leaves it out.
    const cve = await apiFromPage(page, 'PUT', `/cases/${humanId}/advisory/cve`, { cveId: CVE });
    expect(cve.status, JSON.stringify(cve.json)).toBe(200);
    await openPreviews('Distributors');
    await page.getByLabel('Release date and time (your time zone)').fill('2026-12-01T16:00');
    await subject.waitFor();
    await expect(subject.textContent()).resolves.toMatch(/#security/);
    await expect(subject.textContent()).resolves.not.toContain(CVE);
    await expect(previews.getByTestId('render-body').textContent()).resolves.not.toContain(CVE);
    await shot('09-preview-distributors-with-cve');

    // The public page, in a frame where nothing can run.
    await page.getByRole('tab', { name: 'Public page' }).click();
    const frame = previews.locator('iframe[title="Public page preview"]');
    await frame.waitFor();
    await expect(frame.getAttribute('sandbox')).resolves.toBe('');
    await page
      .frameLocator('iframe[title="Public page preview"]')
      .getByRole('heading', { name: 'Header injection in the HTTP proxy' })
      .waitFor();
    await shot('10-preview-page');

    await context.close();
    expect(problems).toEqual([]);
  });
});
