/**
 * A browser journey with passkeys, through the real binaries: `vigil serve` on a fresh SQLite data
 * directory at http://localhost (a passkey's relying party must be a domain: `localhost` is one, and
 * a secure context), and Chromium with a virtual authenticator (the DevTools protocol's WebAuthn
 * domain: CTAP2, internal, resident keys, user verification). The first admin sets a password,
 * registers a passkey on the account page (its name carries markup, which must show as text),
 * signs out, and signs in again with the passkey alone from the sign-in page; then removes the
 * passkey, after which the same authenticator no longer signs in. Needs `npm run build` and Chromium
 * at /usr/bin/chromium; every page photographed is checked with axe-core; screenshots go to
 * test-results/passkeys-*.png.
 */
import { describe, expect, it } from 'vitest';
import { apiFromPage, openJourneyPage, setPasswordFromLink, useJourney, XSS } from './support.js';

const PASSWORD = 'correct horse battery staple';
const NAME = `Journey laptop ${XSS.img}`;

describe('browser journey: passkeys', () => {
  const journey = useJourney('vigil-passkeys-', { VIGIL_HOST: 'localhost' });

  it('registers a passkey on the account page and signs in with it alone', async () => {
    const { browser, baseUrl, adminLink } = journey();
    expect(new URL(baseUrl).hostname).toBe('localhost');
    const { context, page, problems, expected, confirms, shot } = await openJourneyPage(browser, 'passkeys');
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    // 1. The admin sets a password and adds a passkey from the account page.
    await setPasswordFromLink(page, adminLink, PASSWORD);
    const email = await page.getByTestId('signed-in-email').innerText();
    await page.getByRole('link', { name: 'Account' }).click();
    const section = page.getByRole('region', { name: 'Passkeys' });
    await section.getByText('You have no passkeys.').waitFor();
    await shot('01-account');
    await section.getByLabel('Passkey name').fill(NAME);
    await section.getByRole('button', { name: 'Add a passkey' }).click();
    await section
      .getByRole('status')
      .getByText(`The passkey “${NAME}” is added.`, { exact: false })
      .waitFor();
    const row = section.getByRole('row').filter({ hasText: 'Journey laptop' });
    await row.waitFor();
    // The name is text: the markup shows as written, no element was made of it.
    expect(await row.getByRole('cell').first().innerText()).toBe(NAME);
    expect(await section.locator('img').count()).toBe(0);
    await expect.poll(async () => (await row.getByRole('cell').nth(2).innerText()).trim()).toBe('never');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.isResidentCredential).toBe(true);
    expect(credentials[0]?.rpId).toBe('localhost');
    await shot('02-added');

    // 2. Signed out, the admin signs in with the passkey alone: no email, no password.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/sign-in/);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
    await shot('03-sign-in');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForURL(`${baseUrl}/dashboard`);
    await expect.poll(() => page.getByTestId('signed-in-email').innerText()).toBe(email);
    const session = await apiFromPage<{ user: { email: string } }>(page, 'GET', '/auth/session');
    expect(session).toMatchObject({ status: 200, json: { user: { email } } });
    // The authenticator's counter moved and the use is recorded.
    await page.getByRole('link', { name: 'Account' }).click();
    await expect.poll(async () => (await row.getByRole('cell').nth(2).innerText()).trim()).not.toBe('never');

    // 3. The passkey removed, the same authenticator signs in no more.
    confirms.push(/^Remove the passkey/);
    await row.getByRole('button', { name: /^Remove/ }).click();
    await section.getByText('You have no passkeys.').waitFor();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/sign-in/);
    expected.push({ path: '/api/v1/auth/passkey', status: 401 });
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('alert').getByText('The passkey was not accepted', { exact: true }).waitFor();
    await shot('04-refused');
    expect(page.url()).toContain('/sign-in');

    await context.close();
    expect(problems).toEqual([]);
  });
});
