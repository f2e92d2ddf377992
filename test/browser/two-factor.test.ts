/**
 * A browser journey through two-factor sign-in with codes (TOTP, RFC 6238) and the policy that asks
 * for it, with the real binaries: `vigil serve` on a fresh SQLite data directory, project `demo`
 * and project `guarded` (its policy: `access.requireTwoFactor: true`, its name carrying markup),
 * both with TEAM_MEMBER on the security team. In Chromium the member:
 *
 * - signs in with one factor: the notice says that `guarded` requires two-factor sign-in, and the
 *   project answers as to anyone (not found);
 * - sets up two-factor sign-in on the account page: reads the secret shown as text, computes the
 *   code with the server's own TOTP functions, turns it on, and sees the ten recovery codes once;
 *   the session that confirmed it counts two factors, and `guarded` opens;
 * - signs out, signs in with the password, is asked for the second step, gives a wrong code (refused
 *   in words), then a right one, and is in with two factors;
 * - signs out, signs in with the password and a recovery code (one fewer left after), and a used
 *   recovery code is refused the next time;
 * - opens a lost-password link: the new password is set, and the second step still follows.
 *
 * And, on a server at http://localhost (a passkey's relying party must be a domain), the first admin
 * adds a passkey on the account page, after which a password sign-in asks for it as the second step
 * (Chromium's virtual authenticator answers), and the session counts two factors.
 *
 * Needs `npm run build` and Chromium at /usr/bin/chromium. Any console error, dialog or CSP violation
 * not announced fails it; every page photographed is checked with axe-core; screenshots go to
 * test-results/two-factor-*.png.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  base32Decode,
  hotp,
  totpStep,
  TOTP_STEP_SECONDS,
} from '../../src/modules/accounts/two-factor/totp.js';
import {
  apiFromPage,
  createProjectWithPolicy,
  noInjectedMarkup,
  openJourneyPage,
  setPasswordFromLink,
  TEAM_MEMBER,
  useJourney,
  useTeamJourney,
  XSS,
} from './support.js';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a new passphrase after a lost one';
const GUARDED = `Guarded ${XSS.svg}`;

/**
 * The codes of one authenticator: each a step later than the last one used (the server takes a step
 * once, and never an older one after a newer), at most one step ahead of now (its window); when the
 * next free step is further ahead, waits for the clock to get there.
 */
function authenticator(secret: Buffer) {
  let lastStep = -1;
  return {
    async next(): Promise<string> {
      const step = Math.max(totpStep(Date.now()), lastStep + 1);
      while (step > totpStep(Date.now()) + 1) {
        await new Promise((r) => setTimeout(r, 250));
      }
      lastStep = step;
      return hotp(secret, step);
    },
    /** A code the server will not take: the one of a step long gone. */
    stale(): string {
      return hotp(secret, totpStep(Date.now()) - 10 * (60 / TOTP_STEP_SECONDS));
    },
  };
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/sign-in/);
}

/** The first step: email and password; the second step's heading follows. */
async function signInWithPassword(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(TEAM_MEMBER.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 2, name: 'Two-factor sign-in' }).waitFor();
}

describe('browser journey: two-factor sign-in', () => {
  const journey = useTeamJourney('vigil-2fa-');

  beforeAll(async () => {
    const j = journey();
    await createProjectWithPolicy(
      j,
      'guarded',
      GUARDED,
      'contour',
      (yaml) => `${yaml}\naccess:\n  requireTwoFactor: true\n`,
    );
    await j.vigil('project', 'member', 'add', 'guarded', '--email', TEAM_MEMBER.email);
  });

  it('enrols TOTP, signs in with a code and with a recovery code, and opens the project that asks for it', async () => {
    const { browser, baseUrl, teamLink } = journey();
    const { context, page, problems, expected, shot } = await openJourneyPage(browser, 'two-factor', {
      // A one-factor session is not on `guarded`'s team: its project answers 404, as to anyone.
      expected: [{ path: '/api/v1/projects/guarded', status: 404 }],
    });
    const notice = page.getByRole('status').filter({ hasText: 'requires two-factor sign-in' });

    // 1. One factor: `guarded` asks for two, and says so; its project is not shown.
    await setPasswordFromLink(page, teamLink, PASSWORD);
    await notice.getByText(`Project ${GUARDED} requires two-factor sign-in`).waitFor();
    await page.getByRole('link', { name: 'Demo Project', exact: true }).waitFor();
    await expect(page.getByRole('link', { name: GUARDED, exact: true }).count()).resolves.toBe(0);
    await noInjectedMarkup(page);
    await shot('01-one-factor-notice');
    await page.goto(`${baseUrl}/projects/guarded`);
    await page.getByRole('heading', { level: 1, name: 'Project not found' }).waitFor();
    const oneFactor = await apiFromPage<{ twoFactor: { factors: number; requiredBy: { slug: string }[] } }>(
      page,
      'GET',
      '/auth/session',
    );
    expect(oneFactor.json.twoFactor).toMatchObject({ factors: 1, requiredBy: [{ slug: 'guarded' }] });

    // 2. The account page: set up, the secret as text, a first code from it, the recovery codes once.
    await notice.getByRole('link', { name: 'Account' }).click();
    const section = page.getByRole('region', { name: 'Two-factor sign-in' });
    await section.getByText('Two-factor sign-in is off.').waitFor();
    await shot('02-account-off');
    await section.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const secretText = await section.getByLabel('Secret (enter it in your app)').inputValue();
    expect(secretText).toMatch(/^[A-Z2-7]{32}$/);
    const uri = await section.getByLabel('otpauth URI').inputValue();
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(new URL(uri).searchParams.get('secret')).toBe(secretText);
    const app = authenticator(base32Decode(secretText));
    await shot('03-enrol');
    await section.getByLabel('Code from the app').fill(await app.next());
    await section.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    const codesRegion = section.getByRole('region', { name: 'Your recovery codes' });
    const codeItems = codesRegion.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await codeItems.first().waitFor();
    const recoveryCodes = (await codeItems.allInnerTexts()).map((c) => c.trim());
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    await expect(codesRegion.getByLabel('All recovery codes').inputValue()).resolves.toBe(
      recoveryCodes.join(' '),
    );
    // The session that confirmed the code counts two factors now: the notice is gone.
    await expect.poll(() => notice.count()).toBe(0);
    await shot('04-recovery-codes');
    await codesRegion.getByRole('button', { name: 'I have saved them, hide the codes' }).click();
    await section.getByText('Two-factor sign-in is on.').waitFor();
    await section.getByText('Recovery codes left: 10.').waitFor();
    // Shown once: the page reloaded shows them no more.
    await page.reload();
    await section.getByText('Two-factor sign-in is on.').waitFor();
    await expect(page.getByRole('region', { name: 'Your recovery codes' }).count()).resolves.toBe(0);
    for (const code of recoveryCodes) await expect(page.getByText(code).count()).resolves.toBe(0);

    // 3. Signed out, in again: the password, then the second step. A wrong code is refused.
    await signOut(page);
    await signInWithPassword(page, baseUrl);
    await page
      .getByText(`Your password is right. Now confirm that it is you, ${TEAM_MEMBER.email}`)
      .waitFor();
    await shot('05-second-step');
    expected.push({ path: '/api/v1/auth/second-factor', status: 401 });
    await page.getByLabel('Code from your authenticator app').fill(app.stale());
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('alert').getByText('That did not work').waitFor();
    await shot('06-wrong-code');
    await page.getByLabel('Code from your authenticator app').fill(await app.next());
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForURL(`${baseUrl}/dashboard`);
    await page.getByRole('link', { name: GUARDED, exact: true }).waitFor();
    await expect(notice.count()).resolves.toBe(0);
    const twoFactors = await apiFromPage<{ user: { email: string }; twoFactor: { factors: number } }>(
      page,
      'GET',
      '/auth/session',
    );
    expect(twoFactors.json).toMatchObject({ user: { email: TEAM_MEMBER.email }, twoFactor: { factors: 2 } });
    await noInjectedMarkup(page);
    await shot('07-two-factors');
    // `guarded` opens in a two-factor session: its page, its team.
    await page.getByRole('link', { name: GUARDED, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: GUARDED }).waitFor();
    await noInjectedMarkup(page);
    await shot('08-guarded-project');

    // 4. Signed out, in again with a recovery code instead: it works once.
    await signOut(page);
    await signInWithPassword(page, baseUrl);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[0] ?? '');
    await shot('09-recovery-step');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForURL(`${baseUrl}/dashboard`);
    await page.getByRole('link', { name: GUARDED, exact: true }).waitFor();
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    await section.getByText('Recovery codes left: 9.').waitFor();
    await signOut(page);
    await signInWithPassword(page, baseUrl);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[0] ?? '');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('alert').getByText('That did not work').waitFor();
    expect(page.url()).toContain('/sign-in');
    await page.getByLabel('Recovery code').fill(recoveryCodes[1] ?? '');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForURL(`${baseUrl}/dashboard`);

    // 5. A lost-password link sets a new password, but alone it does not sign in: the second step follows.
    await signOut(page);
    const { signInLink } = JSON.parse(
      await journey().vigil('user', 'link', '--email', TEAM_MEMBER.email, '--json'),
    ) as { signInLink: string };
    await page.goto(signInLink);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page
      .getByText('Your new password is set. Your account asks for a second factor to sign in.')
      .waitFor();
    await page.getByRole('heading', { level: 2, name: 'Two-factor sign-in' }).waitFor();
    await shot('10-link-second-step');
    // (A recovery code: a third code from the app would wait for the clock's next step.)
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[2] ?? '');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForURL(`${baseUrl}/dashboard`);
    await page.getByRole('link', { name: GUARDED, exact: true }).waitFor();

    await context.close();
    expect(problems).toEqual([]);
  });
});

describe('browser journey: a passkey as the second factor after a password', () => {
  // A passkey's relying party must be a domain: `localhost` is one, and a secure context.
  const journey = useJourney('vigil-2fa-passkey-', { VIGIL_HOST: 'localhost' });

  it('asks for the passkey after the password, and signs in with two factors', async () => {
    const { browser, baseUrl, adminLink } = journey();
    const { context, page, problems, shot } = await openJourneyPage(browser, 'two-factor-passkey');
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await setPasswordFromLink(page, adminLink, PASSWORD);
    const email = (await page.getByTestId('signed-in-email').innerText()).trim();
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    const passkeys = page.getByRole('region', { name: 'Passkeys' });
    await passkeys.getByLabel('Passkey name').fill('Journey key');
    await passkeys.getByRole('button', { name: 'Add a passkey' }).click();
    await passkeys.getByRole('row').filter({ hasText: 'Journey key' }).waitFor();

    // The password alone no longer signs in: the second step offers the passkey (and no code form,
    // since no authenticator app is set up).
    await signOut(page);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Two-factor sign-in' }).waitFor();
    await expect(page.getByLabel('Code from your authenticator app').count()).resolves.toBe(0);
    await shot('01-second-step');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.waitForURL(`${baseUrl}/dashboard`);
    const session = await apiFromPage<{ user: { email: string }; twoFactor: { factors: number } }>(
      page,
      'GET',
      '/auth/session',
    );
    expect(session.json).toMatchObject({ user: { email }, twoFactor: { factors: 2 } });

    await context.close();
    expect(problems).toEqual([]);
  });
});
