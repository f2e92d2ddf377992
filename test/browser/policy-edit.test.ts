/**
 * A browser journey through the real binaries, as a user would take it: `vigil serve` on a fresh
 * SQLite data directory, a project created with `vigil project create`, then Chromium: open the
 * first admin's one-time link, set a password, open the project, edit the policy and watch the
 * SECURITY.md preview follow before saving, save, reload, sign out and back in.
 *
 * Needs `npm run build` (the server and the web UI) and Chromium at /usr/bin/chromium. Any console
 * error, uncaught error, dialog or CSP violation in the page fails the test; screenshots go to
 * test-results/.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openJourneyPage, useJourney } from './support.js';

const PASSWORD = 'correct horse battery staple';

describe('browser journey: editing a project policy', () => {
  const journey = useJourney('vigil-browser-');

  beforeAll(async () => {
    await journey().vigil('project', 'create', 'demo', '--name', 'Demo Project', '--preset', 'contour');
  });

  it('sets a password from the link, edits the policy with a live preview, saves, and signs in again', async () => {
    const { browser, baseUrl, adminLink: signInLink } = journey();
    // Signed out, the app asks for the session and is told 401: openJourneyPage expects that one.
    const { context, page, problems, expected, shot } = await openJourneyPage(browser, 'policy-edit');

    // 1. The one-time link: set a password, land on the projects, the token gone from the address.
    expect(new URL(signInLink).origin).toBe(baseUrl);
    const first = await page.goto(signInLink);
    expect(first?.status()).toBe(200);
    const csp = first?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    await page.getByRole('heading', { name: 'Set your password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm new password').fill(PASSWORD);
    await shot('01-set-password');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.waitForURL(`${baseUrl}/dashboard`);
    expect(new URL(page.url()).hash).toBe('');
    const email = (await page.getByTestId('signed-in-email').textContent())?.trim() ?? '';
    expect(email).toContain('@');

    // 2. The project: its policy renders to SECURITY.md with the preset's 3 business days. (An admin
    // on no team lands on a dashboard that says so; the projects are one link away.)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
    await page.getByRole('link', { name: 'Demo Project' }).click();
    await page.waitForURL(`${baseUrl}/projects/demo`);
    await page.getByRole('heading', { level: 1, name: 'Demo Project' }).waitFor();
    const preview = page.getByTestId('security-md-preview');
    await preview.filter({ hasText: '3 business days' }).waitFor();
    await expect(page.getByTestId('policy-version').textContent()).resolves.toBe('Policy version 1');
    await shot('02-project');

    // 3. An invalid value: the issue is listed by line and path, the last good preview stays, marked
    // out of date. (The render endpoint answers 422, which Chromium logs.)
    const editor = page.getByLabel('Policy YAML');
    const original = await editor.inputValue();
    const withFirstResponse = (days: number) =>
      original.replace(/(firstResponse:\s*\n\s*businessDays:\s*)3\b/, (_, key: string) => `${key}${days}`);
    expect(withFirstResponse(5)).not.toBe(original);
    expected.push({ path: '/api/v1/policy/render', status: 422 });
    await editor.fill(withFirstResponse(0));
    await page.getByText(/^line \d+, triage\.firstResponse\.businessDays: /).waitFor();
    await page.getByText('Out of date').waitFor();
    await preview.filter({ hasText: '3 business days' }).waitFor();
    await shot('03-invalid');

    // 4. Five business days: the preview follows as the user types; nothing is saved yet.
    await editor.fill(withFirstResponse(5));
    await preview.filter({ hasText: '5 business days' }).waitFor();
    expected.pop();
    await expect(preview.textContent()).resolves.not.toContain('3 business days');
    await page.getByText('Out of date').waitFor({ state: 'detached' });
    await page.getByText('Unsaved changes to version 1.').waitFor();
    const unsaved = await page.request.get(`${baseUrl}/api/v1/projects/demo`);
    expect(((await unsaved.json()) as { policyVersion: number }).policyVersion).toBe(1);
    await shot('04-edited');

    // 5. Save: version 2.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as version 2.').waitFor();
    await page.getByTestId('policy-version').filter({ hasText: 'Policy version 2' }).waitFor();
    await shot('05-saved');

    // 6. Reload: version 2 is what the server now holds.
    await page.reload();
    await preview.filter({ hasText: '5 business days' }).waitFor();
    await expect(page.getByTestId('policy-version').textContent()).resolves.toBe('Policy version 2');
    await expect(editor.inputValue()).resolves.toMatch(/businessDays:\s*5\b/);
    await page.getByTestId('policy-versions').locator('tbody tr').nth(1).waitFor();
    await expect(page.getByTestId('policy-versions').locator('tbody tr').count()).resolves.toBe(2);
    await shot('06-reloaded');

    // 7. Sign out; a wrong password is refused with the server's message.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${baseUrl}/sign-in`);
    await page.goto(`${baseUrl}/projects/demo`);
    await page.waitForURL(`${baseUrl}/sign-in?next=%2Fprojects%2Fdemo`);
    expected.push({ path: '/api/v1/auth/sign-in', status: 401 });
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();
    await shot('07-wrong-password');

    // 8. Sign back in with the password set in step 1: back on the page the user asked for.
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${baseUrl}/projects/demo`);
    await preview.filter({ hasText: '5 business days' }).waitFor();
    await expect(page.getByTestId('signed-in-email').textContent()).resolves.toBe(email);
    await shot('08-signed-in-again');

    await context.close();
    expect(problems).toEqual([]);
  });
});
