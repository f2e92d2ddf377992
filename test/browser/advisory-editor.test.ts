/**
 * A browser journey through the advisory editor with the real binaries: `vigil serve` on a fresh
 * SQLite data directory, a project and a security-team member made with the CLI, a report through
 * the public API, then Chromium: the team member accepts the case, starts its advisory from the
 * case page, fills the document (a CWE found by words, an affected package with a SEMVER range, a
 * CVSS 3.1 vector built by clicking and a 4.0 vector pasted), sees a refused field placed next to
 * it, saves, saves again, survives a concurrent save without losing edits, compares revisions,
 * downloads an export, and sees markup typed in the description rendered sanitised.
 *
 * Needs `npm run build` and Chromium at /usr/bin/chromium. Any console error, dialog or CSP
 * violation not announced by the journey fails it; screenshots go to test-results/advisory-*.png.
 */
import { describe, expect, it } from 'vitest';
import { apiFromPage, openJourneyPage, setPasswordFromLink, useTeamJourney } from './support.js';

const FIX_COMMIT = '466af814523cffae9fbc7e77bab7472988f03c3e';
const PASSWORD = 'correct horse battery staple';
const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
const DESCRIPTION = [
  'The header parser **overflows** on long headers.',
  '',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
].join('\n');

describe('browser journey: the advisory editor', () => {
  const journey = useTeamJourney('vigil-advisory-');

  it('drafts, scores, saves and compares an advisory', async () => {
    const { browser, baseUrl, teamLink } = journey();
    const { context, page, problems, expected, shot } = await openJourneyPage(browser, 'advisory');

    // A report through the public API (the page has not been anywhere yet).
    const submitted = await context.request.post(`${baseUrl}/api/v1/projects/demo/reports`, {
      data: { subject: 'Header parser overflow', reproduction: 'Send a 1 MiB header.' },
    });
    expect(submitted.status()).toBe(201);
    const { humanId } = (await submitted.json()) as { humanId: string };
    await context.clearCookies();

    const advisoryApi = /^\/api\/v1\/cases\/[^/]+\/advisory$/;
    await setPasswordFromLink(page, teamLink, PASSWORD);

    // 1. Accept the case on its page; the Advisory section offers to start one.
    // The template previews on the page may say a template lacks fields not filled yet.
    expected.push({ path: /^\/api\/v1\/cases\/[^/]+\/advisory\/render$/, status: 422 });
    await page.goto(`${baseUrl}/cases/${humanId}`);
    await page.getByRole('group', { name: 'Move the case' }).getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('form', { name: 'Accept' }).locator('button[type=submit]').click();
    await page
      .getByTestId('case-state')
      .filter({ hasText: /accepted/i })
      .waitFor();
    const section = page.getByRole('region', { name: 'Advisory' });
    await section.getByRole('button', { name: 'Start the advisory' }).click();
    await page.waitForURL(`${baseUrl}/cases/${humanId}/advisory`);
    await page.getByRole('heading', { level: 1, name: /^Advisory [A-Z]+-ADV-\d{4}-\d{4}$/ }).waitFor();
    await page.getByText('Revision 1, no changes.').waitFor();
    // Pre-filled from the case.
    await expect(page.getByRole('textbox', { name: 'Title', exact: true }).inputValue()).resolves.toBe(
      'Header parser overflow',
    );

    // 2. The text fields.
    await page
      .getByRole('textbox', { name: 'Title', exact: true })
      .fill('Header parser overflow in the proxy');
    await page
      .getByRole('textbox', { name: 'Summary', exact: true })
      .fill('A long header crashes the proxy.');
    await page.getByLabel('Description (Markdown)').fill(DESCRIPTION);
    await page.getByRole('textbox', { name: 'Workarounds', exact: true }).fill('Cap header sizes at 64 KiB.');

    // 3. A CWE found by words.
    await page.getByLabel('Find a weakness (words or CWE id)').fill('cross-site scripting');
    await page.getByRole('button', { name: /^Add CWE-79: / }).click();
    await page.getByTestId('cwe-chips').getByText('CWE-79').waitFor();
    await expect(page.getByLabel('Find a weakness (words or CWE id)').inputValue()).resolves.toBe('');

    // 4. An affected package: SEMVER, introduced 1.0.0, fixed 1.2.5 (and, first, a bad PURL).
    await page.getByRole('button', { name: 'Add an affected package' }).click();
    const pkg = page.getByRole('group', { name: 'Affected package 1' });
    await pkg.getByLabel('Ecosystem').selectOption('npm');
    await pkg.getByLabel('Package', { exact: true }).fill('example-proxy');
    await pkg.getByLabel('Package URL (optional)').fill('not a purl');
    await pkg.getByRole('button', { name: 'Add a version range to package 1' }).click();
    const range = pkg.getByRole('group', { name: 'Range 1 of package 1' });
    await expect(range.getByLabel('Range type').inputValue()).resolves.toBe('SEMVER');
    await range.getByLabel('Version 1').fill('1.0.0');
    await range.getByRole('button', { name: 'Add an event to range 1 of package 1' }).click();
    await expect(range.getByLabel('Event 2').inputValue()).resolves.toBe('fixed');
    await range.getByLabel('Version 2').fill('1.2.5');

    // 5. CVSS 3.1 by clicking: the vector and the score follow each click.
    await page.getByRole('button', { name: 'Add a CVSS vector' }).click();
    const v31 = page.getByRole('group', { name: 'CVSS vector 1' });
    await v31
      .getByTestId('cvss-score')
      .filter({ hasText: /^No score yet: choose Attack Vector, / })
      .waitFor();
    for (const name of [
      'Attack Vector: Network',
      'Attack Complexity: Low',
      'Privileges Required: None',
      'User Interaction: None',
      'Scope: Unchanged',
      'Confidentiality: High',
      'Integrity: High',
    ]) {
      await v31.getByRole('button', { name, exact: true }).click();
    }
    await expect(v31.getByRole('textbox', { name: 'Vector string' }).inputValue()).resolves.toBe(
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H',
    );
    await v31.getByTestId('cvss-score').filter({ hasText: 'No score yet: choose Availability' }).waitFor();
    await v31.getByRole('button', { name: 'Availability: High', exact: true }).click();
    await expect(v31.getByRole('textbox', { name: 'Vector string' }).inputValue()).resolves.toBe(V31);
    await v31.getByTestId('cvss-score').filter({ hasText: '9.8 Critical' }).waitFor();
    await v31.getByRole('button', { name: 'Availability: None', exact: true }).click();
    await v31.getByTestId('cvss-score').filter({ hasText: '9.1 Critical' }).waitFor();
    await v31.getByRole('button', { name: 'Availability: High', exact: true }).click();
    await v31.getByTestId('cvss-score').filter({ hasText: '9.8 Critical' }).waitFor();

    // 6. CVSS 4.0 pasted: an invalid vector is explained and leaves the buttons alone; a valid one moves them.
    await page.getByRole('button', { name: 'Add a CVSS vector' }).click();
    const v40 = page.getByRole('group', { name: 'CVSS vector 2' });
    await expect(v40.getByRole('button', { name: 'CVSS 4.0' }).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );
    await v40.getByRole('textbox', { name: 'Vector string' }).fill(V40);
    await v40.getByTestId('cvss-score').filter({ hasText: '9.3 Critical' }).waitFor();
    const pressed = (name: string) =>
      v40.getByRole('button', { name, exact: true }).getAttribute('aria-pressed');
    await expect(pressed('Attack Requirements: None')).resolves.toBe('true');
    await expect(pressed('User Interaction: None')).resolves.toBe('true');
    await expect(pressed('Vulnerable System Confidentiality: High')).resolves.toBe('true');
    await expect(pressed('Subsequent System Integrity: None')).resolves.toBe('true');
    await expect(pressed('Subsequent System Integrity: High')).resolves.toBe('false');
    await v40.getByRole('textbox', { name: 'Vector string' }).fill('CVSS:4.0/AV:L/AV:N/ZZ:1');
    const problemsList = v40.getByTestId('cvss-problems');
    await problemsList.getByText('metric "AV" appears more than once').waitFor();
    await problemsList.getByText('unknown metric "ZZ" for CVSS 4.0').waitFor();
    await problemsList.getByText('missing mandatory base metric "AC" (Attack Complexity)').waitFor();
    await v40.getByTestId('cvss-score').filter({ hasText: 'No score: the vector has problems' }).waitFor();
    await expect(pressed('Attack Vector: Network')).resolves.toBe('true');
    await expect(pressed('Attack Vector: Local')).resolves.toBe('false');
    await shot('01-invalid-vector');
    await v40.getByRole('textbox', { name: 'Vector string' }).fill(V40);
    await v40.getByTestId('cvss-score').filter({ hasText: '9.3 Critical' }).waitFor();
    await expect(v40.getByTestId('cvss-problems').count()).resolves.toBe(0);

    // 7. Save: the server refuses the PURL and a CVE id given as another id (its request schema: 400),
    // each named next to its field; fixed, it saves revision 2.
    const aliases = page.getByRole('list', { name: 'Other ids' });
    await page.getByRole('button', { name: 'Add an id' }).click();
    await aliases.getByLabel('Other id 1').fill('CVE-2026-1111');
    expected.push({ path: advisoryApi, status: 400 });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('The advisory was not saved').waitFor();
    await pkg.getByText('Package URL must be a Package URL (pkg:type/namespace/name)').waitFor();
    await expect(pkg.getByLabel('Package URL (optional)').getAttribute('aria-invalid')).resolves.toBe('true');
    await aliases.getByText(/The id must not be a CVE id: record the CVE id with PUT/).waitFor();
    await shot('02-refused');
    await pkg.getByLabel('Package URL (optional)').fill('pkg:npm/example-proxy');
    await aliases.getByLabel('Other id 1').fill('GHSA-9v2f-6vcg-3hgv');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as revision 2.').waitFor();
    await page.getByText('Revision 2, no changes.').waitFor();
    await page
      .getByTestId('advisory-severity')
      .filter({ hasText: 'CVSS 4.0 9.3 (critical) when saved' })
      .waitFor();

    // The description is rendered by the server, sanitised: markup typed in it is never run.
    const html = page.getByTestId('advisory-description-html');
    await html.locator('strong', { hasText: 'overflows' }).waitFor();
    await expect(html.locator('script, img[onerror], [onerror]').count()).resolves.toBe(0);
    const saved = await apiFromPage<Record<string, unknown>>(page, 'GET', `/cases/${humanId}/advisory`);
    expect(saved.status).toBe(200);
    const doc = saved.json.document as Record<string, unknown>;
    expect(doc.cwes).toEqual(['CWE-79']);
    expect(doc.aliases).toEqual(['GHSA-9v2f-6vcg-3hgv']);
    expect(doc.affected).toEqual([
      {
        ecosystem: 'npm',
        package: 'example-proxy',
        purl: 'pkg:npm/example-proxy',
        ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.2.5' }] }],
      },
    ]);
    expect(doc.severity).toEqual({ cvss: [{ vector: V31 }, { vector: V40 }] });
    expect(saved.json.patchedVersions).toEqual([
      { ecosystem: 'npm', package: 'example-proxy', versions: ['1.2.5'] },
    ]);
    await shot('03-saved');

    // 8. Edit and save again.
    await page
      .getByRole('textbox', { name: 'Summary', exact: true })
      .fill('A long header crashes the proxy before 1.2.5.');
    await page.getByLabel('Description (Markdown)').fill(`${DESCRIPTION}\n\nFixed in 1.2.5.`);
    // A second affected entry known by its repository alone (OSV's form for C/C++): GIT commits.
    await page.getByRole('button', { name: 'Add an affected package' }).click();
    const repoOnly = page.getByRole('group', { name: 'Affected package 2' });
    await repoOnly.getByLabel('Ecosystem').selectOption({ label: 'No package: a git repository (commits)' });
    await expect(repoOnly.getByLabel('Package', { exact: true }).count()).resolves.toBe(0);
    await repoOnly.getByRole('button', { name: 'Add a version range to package 2' }).click();
    const gitRange = repoOnly.getByRole('group', { name: 'Range 1 of package 2' });
    await expect(gitRange.getByLabel('Range type').inputValue()).resolves.toBe('GIT');
    await gitRange.getByLabel('Repository URL').fill('https://github.com/example/proxy');
    await gitRange.getByRole('button', { name: 'Add an event to range 1 of package 2' }).click();
    await gitRange.getByLabel('Version 2').fill(FIX_COMMIT);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as revision 3.').waitFor();

    // 9. A concurrent save elsewhere: the editor says so and keeps the edits through a reload.
    const elsewhere = await apiFromPage(page, 'PUT', `/cases/${humanId}/advisory`, {
      document: { ...doc, mitigations: 'Run behind a proxy that limits headers.' },
      baseRevision: 3,
    });
    expect(elsewhere.status).toBe(200);
    expected.push({ path: advisoryApi, status: 409 });
    await page.getByLabel('Am I vulnerable?').fill('You are if you run 1.0.0 to 1.2.4.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Someone else saved this advisory first' }).waitFor();
    await shot('04-conflict');
    await page.getByRole('button', { name: 'Load the latest revision and keep my edits' }).click();
    await page.getByText(/^Revision 4 loaded\. Your edits are kept/).waitFor();
    await expect(page.getByLabel('Am I vulnerable?').inputValue()).resolves.toBe(
      'You are if you run 1.0.0 to 1.2.4.',
    );
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as revision 5.').waitFor();

    // 10. The history: five revisions; the diff from 2 to 3 shows the summary and the description.
    const history = page.getByRole('region', { name: 'Revision history' });
    // The list reloads after the save: wait for its fifth row before counting.
    const rows = history.getByTestId('advisory-revisions').locator('tbody tr');
    await rows.nth(4).waitFor();
    await expect(rows.count()).resolves.toBe(5);
    await history.getByLabel('From revision').selectOption('2');
    await history.getByLabel('To revision').selectOption('3');
    await history.getByRole('button', { name: 'Show the changes' }).click();
    const diff = history.getByTestId('advisory-diff');
    await diff.getByRole('heading', { name: 'Changes from revision 2 to 3' }).waitFor();
    await diff.getByText('A long header crashes the proxy before 1.2.5.').waitFor();
    await expect(diff.getByLabel('Description diff').textContent()).resolves.toContain('+Fixed in 1.2.5.');
    await shot('05-history');

    // 11. Exports: OSV downloads valid JSON; a draft is no CVE record: its CVE JSON 5 is the CNA's draft container.
    const exports = page.getByTestId('advisory-exports');
    await expect(exports.getByRole('link', { name: 'CVE JSON 5', exact: true }).count()).resolves.toBe(0);
    const cve5Href = await exports
      .getByRole('link', { name: 'CVE JSON 5 draft for the CNA' })
      .getAttribute('href');
    expect(cve5Href).toContain('draft=true');
    await page.getByTestId('cve5-draft-hint').waitFor();
    expected.push({ path: /^\/api\/v1\/cases\/[^/]+\/advisory\/export$/, status: 422 });
    const cve5 = await page.evaluate(async (href) => {
      const response = await fetch(href);
      return { status: response.status, body: await response.text() };
    }, cve5Href ?? '');
    // This draft lists no reference yet, which the CNA container requires: named, and never PUBLISHED.
    expect(cve5.status, cve5.body).toBe(422);
    expect(cve5.body).toContain('document.references');
    expect(cve5.body).not.toContain('PUBLISHED');
    const osvHref = await exports.getByRole('link', { name: 'OSV' }).getAttribute('href');
    expect(osvHref).toBe(
      `/api/v1/cases/${encodeURIComponent(saved.json.caseId as string)}/advisory/export?format=osv`,
    );
    await expect(exports.getByRole('link', { name: 'OSV' }).getAttribute('download')).resolves.toBe('');
    const osv = await page.evaluate(async (href) => {
      const response = await fetch(href);
      return {
        status: response.status,
        disposition: response.headers.get('content-disposition'),
        json: (await response.json()) as { summary?: string; affected?: unknown[]; aliases?: string[] },
      };
    }, osvHref ?? '');
    expect(osv.status).toBe(200);
    expect(osv.disposition).toMatch(/^attachment; filename=/);
    expect(osv.json.summary).toBe('A long header crashes the proxy before 1.2.5.');
    // The other id is public: the draft's OSV lists it.
    expect(osv.json.aliases).toEqual(['GHSA-9v2f-6vcg-3hgv']);
    expect(osv.json.affected).toEqual([
      expect.objectContaining({ package: expect.objectContaining({ name: 'example-proxy' }) }),
      {
        ranges: [
          {
            type: 'GIT',
            repo: 'https://github.com/example/proxy',
            events: [{ introduced: '0' }, { fixed: FIX_COMMIT }],
          },
        ],
      },
    ]);
    const download = page.waitForEvent('download');
    await exports.getByRole('link', { name: 'CSAF 2.0' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.json$/);

    // 12. The CVE id, confirmed before it is sent; then CVE JSON 5 can be exported.
    await page.getByLabel('CVE id', { exact: true }).fill('cve-2026-12345');
    await page.getByRole('button', { name: 'Record the CVE id' }).click();
    await page
      .getByRole('alertdialog')
      .getByText(/^Record CVE-2026-12345 as this advisory/)
      .waitFor();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('CVE id CVE-2026-12345 recorded.').waitFor();
    await expect(page.getByTestId('advisory-cve').textContent()).resolves.toBe('CVE-2026-12345');
    await exports.getByRole('link', { name: 'CVE JSON 5' }).waitFor();
    await shot('06-cve');

    // 13. Back on the case page, the section links to the advisory with its score.
    await page.getByRole('link', { name: humanId }).first().click();
    await page.waitForURL(`${baseUrl}/cases/${humanId}`);
    await page.getByTestId('case-advisory').filter({ hasText: 'revision 5, CVSS 9.3 critical' }).waitFor();

    await context.close();
    expect(problems).toEqual([]);
  });
});
