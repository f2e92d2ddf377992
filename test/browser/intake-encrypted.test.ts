/**
 * A browser journey through the public form's encryption in the browser, with the real binaries:
 * `vigil serve` on a fresh SQLite data directory, a project whose policy allows 5 MiB of files a
 * case, another with no first-response commitment, then Chromium: (a) an unknown project's form is
 * a calm "not found"; (b) a project without a commitment promises "as soon as possible"; (c) the
 * form loads the project's name, guidance and limits, and encrypts to its key: a swapped key (as a
 * network in between might serve) is refused as a whole and everything typed stays, a missing
 * subject inside the encrypted report is marked at its field, then the report goes through, and
 * no request body ever holds the plaintext; (d) the team reads the decrypted report, and the
 * signed-in app never loads the OpenPGP code.
 *
 * Needs `npm run build` and Chromium at /usr/bin/chromium. Any console error, dialog or CSP
 * violation not announced by the journey fails it; screenshots go to test-results/intake-enc-*.png.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommandInEnv } from '../support/cli.js';
import { addTeamMember, childEnv, setPasswordFromLink, SHOTS, useJourney, watchPage } from './support.js';

const PASSWORD = 'correct horse battery staple';
const TEAM_EMAIL = 'tess@example.org';
const SUBJECT = 'Use-after-free in the TLS session cache';
const STEPS = 'Open 4096 TLS sessions with resumption tickets, then close them in reverse order.';
const IMPACT = 'Remote code execution in the proxy, unauthenticated.';
const EXPLOIT = '#!/bin/sh\n# resumes sessions until the cache frees one in use\n';
const EMAIL = 'ada@research.example';
const NAME = 'Ada Lovelace';

/** A fingerprint as the form shows it: upper-case hex in groups of four. */
function grouped(fingerprint: string): string {
  return (fingerprint.match(/.{1,4}/g) ?? []).join(' ');
}

describe('browser journey: a report encrypted in the browser', () => {
  const journey = useJourney('vigil-intake-enc-');
  let teamLink = '';
  let fingerprint = '';

  beforeAll(async () => {
    const j = journey();
    // Contour's policy with 5 MiB of files a case, so the form's limit cannot be a hard-coded default.
    const { code, stdout: preset } = await runCommandInEnv(['policy', 'preset', 'contour'], childEnv());
    expect(code).toBe(0);
    const policy = preset.replace(/maxAttachmentBytesPerCase: \d+/, 'maxAttachmentBytesPerCase: 5242880');
    expect(policy).not.toBe(preset);
    writeFileSync(join(j.dataDir, 'contour.yaml'), policy);
    await j.vigil(
      'project',
      'create',
      'contour',
      '--name',
      'Contour',
      '--preset',
      join(j.dataDir, 'contour.yaml'),
    );
    // The k8spolicy preset names no number of days for a first response.
    await j.vigil('project', 'create', 'quiet', '--name', 'Quiet Project', '--preset', 'k8spolicy');
    const key = JSON.parse(await j.vigil('project', 'key', 'show', 'contour', '--json')) as {
      fingerprint: string;
    };
    fingerprint = key.fingerprint;
    teamLink = await addTeamMember(j, 'contour', { email: TEAM_EMAIL, name: 'Tess Team' });
  });

  it('encrypts the report to the project’s key, refuses a swapped key, and the team reads it', async () => {
    const { browser, baseUrl } = journey();
    const viewport = { width: 1400, height: 1000 };
    const shot = (page: Page, name: string) =>
      page.screenshot({ path: join(SHOTS, `intake-enc-${name}.png`), fullPage: true });
    const encryptedPath = '/api/v1/projects/contour/reports/encrypted';

    const visitorContext = await browser.newContext({ viewport });
    const visitor = await visitorContext.newPage();
    visitor.setDefaultTimeout(10_000);
    const visitorWatch = await watchPage(visitor, [{ path: '/p/nope/report', status: 404 }]);
    const apiCalls: string[] = [];
    const sentBodies: string[] = [];
    const chunks: string[] = [];
    visitor.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/api/')) apiCalls.push(`${request.method()} ${path}`);
      if (request.method() === 'POST' && path === encryptedPath) sentBodies.push(request.postData() ?? '');
      if (path.startsWith('/assets/') && path.endsWith('.js')) chunks.push(path);
    });

    // (a) A project this instance does not have: the site's 404 page (issue 13), no sign-in box.
    const unknown = await visitor.goto(`${baseUrl}/p/nope/report`);
    expect(unknown?.status()).toBe(404);
    await visitor.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    expect(await visitor.getByLabel('Password').count()).toBe(0);
    await shot(visitor, '01-unknown-project');

    // (b) No first-response commitment in the policy: "as soon as possible", and no guidance list.
    await visitor.goto(`${baseUrl}/p/quiet/report`);
    await visitor
      .getByRole('heading', { level: 1, name: 'Report a vulnerability to the Quiet Project security team' })
      .waitFor();
    await visitor.getByText('A human on the team answers as soon as possible.').waitFor();
    await expect(visitor.getByTestId('guidance').count()).resolves.toBe(0);
    await shot(visitor, '02-asap');

    // (c) Contour's form, first with a key swapped in between: the form shows its fingerprint,
    // which is not the one the project publishes.
    const impostor = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Contour Security Team' }],
      format: 'armored',
    });
    const impostorFingerprint = (await openpgp.readKey({ armoredKey: impostor.publicKey }))
      .getFingerprint()
      .toUpperCase();
    const keyPath = `${baseUrl}/p/contour/pgp-key.asc`;
    await visitor.route(keyPath, (route) =>
      route.fulfill({ status: 200, contentType: 'application/pgp-keys', body: impostor.publicKey }),
    );
    const opened = await visitor.goto(`${baseUrl}/p/contour/report`);
    const csp = opened?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    for (const allowance of ['unsafe-eval', 'unsafe-inline', 'blob:', 'worker-src']) {
      expect(csp).not.toContain(allowance);
    }
    await visitor
      .getByRole('heading', { level: 1, name: 'Report a vulnerability to the Contour security team' })
      .waitFor();
    await visitor.getByText('A human on the team answers within 3 business days.').waitFor();
    await visitor.getByTestId('guidance').getByText('A descriptive subject line.').waitFor();
    await visitor.getByText('Up to 5 MiB in all').waitFor();
    await expect(visitor.getByLabel('Encrypt in my browser').isChecked()).resolves.toBe(true);
    await expect(visitor.getByTestId('key-fingerprint').textContent()).resolves.toBe(
      grouped(impostorFingerprint),
    );
    expect(impostorFingerprint).not.toBe(fingerprint);

    await visitor.getByLabel('Subject').fill(SUBJECT);
    await visitor.getByLabel('Name, or how to be referred to').fill(NAME);
    await visitor.getByLabel('Email').fill(EMAIL);
    await visitor.getByLabel('Steps to reproduce').fill(STEPS);
    await visitor.getByLabel('Impact and attack surface').fill(IMPACT);
    await visitor.getByLabel('Attachments').setInputFiles({
      name: 'exploit.sh',
      mimeType: 'application/x-sh',
      buffer: Buffer.from(EXPLOIT),
    });
    // From here on the network serves the project's real key again.
    await visitor.unroute(keyPath);
    visitorWatch.expected.push({ path: encryptedPath, status: 422 });
    await visitor.getByRole('button', { name: 'Send the report' }).click();
    await visitor
      .getByRole('alert')
      .filter({ hasText: 'Your report was not sent: the security team’s key could not open it' })
      .waitFor();
    await visitor.getByText('Everything you typed is still here.').waitFor();
    await expect(visitor.getByLabel('Steps to reproduce').inputValue()).resolves.toBe(STEPS);
    await visitor.getByText('1 file, ').waitFor();
    // The form fetched the key again: now the project's own, as `vigil project key show` prints it.
    await visitor
      .getByTestId('key-fingerprint')
      .filter({ hasText: grouped(fingerprint) })
      .waitFor();
    await shot(visitor, '03-swapped-key-refused');

    // A missing subject inside the encrypted report is marked at its field.
    await visitor.getByLabel('Subject').fill('   ');
    await visitor.getByRole('button', { name: 'Send the report' }).click();
    await visitor.locator('.field', { hasText: 'Subject' }).locator('.field-error').first().waitFor();
    await expect(visitor.getByLabel('Subject').getAttribute('aria-invalid')).resolves.toBe('true');
    await visitor.getByText('The field marked below needs attention.').waitFor();
    await shot(visitor, '04-field-refused');

    await visitor.getByLabel('Subject').fill(SUBJECT);
    await visitor.getByRole('button', { name: 'Send the report' }).click();
    await visitor.getByRole('heading', { level: 1, name: 'Report received' }).waitFor();
    const humanId = (await visitor.getByTestId('case-id').textContent())?.trim() ?? '';
    expect(humanId).toMatch(/^[A-Z]+-\d{4}-\d{4}$/);
    await expect(visitor.getByTestId('sent-how').textContent()).resolves.toBe(
      `It was encrypted in your browser to the key ${grouped(fingerprint)}.`,
    );
    await shot(visitor, '05-submitted');

    // Over the wire: three armored messages, and none of what was typed.
    expect(sentBodies).toHaveLength(3);
    const plaintexts = [SUBJECT, 'Use-after-free', STEPS, 'TLS sessions', IMPACT, EMAIL, NAME, 'exploit.sh'];
    plaintexts.push(Buffer.from(EXPLOIT).toString('base64'));
    for (const body of sentBodies) {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      expect(Object.keys(parsed)).toEqual(['encrypted']);
      expect(parsed.encrypted).toMatch(
        /^-----BEGIN PGP MESSAGE-----\n[\s\S]+\n-----END PGP MESSAGE-----\n?$/,
      );
      for (const text of plaintexts) expect(body).not.toContain(text);
    }
    // Only the encrypted route was used, and the public pages never asked who is signed in.
    // (besides the proof-of-work challenge each form fetches to solve while the reporter writes).
    // (Besides the challenge, and whether the instance is a demo: a public fact.)
    expect(apiCalls.filter((c) => !c.endsWith('/reports/challenge') && c !== 'GET /api/v1/instance')).toEqual(
      [
        'GET /api/v1/projects/quiet/intake',
        'GET /api/v1/projects/contour/intake',
        `POST ${encryptedPath}`,
        `POST ${encryptedPath}`,
        `POST ${encryptedPath}`,
      ],
    );
    expect(chunks.some((c) => c.includes('/encrypt-report-'))).toBe(true);
    await visitorContext.close();
    expect(visitorWatch.problems).toEqual([]);

    // (d) The team reads the decrypted report; the signed-in app never loads the OpenPGP code.
    const teamContext = await browser.newContext({ viewport });
    const team = await teamContext.newPage();
    team.setDefaultTimeout(10_000);
    const teamWatch = await watchPage(team, [{ path: '/api/v1/auth/session', status: 401 }]);
    const teamChunks: string[] = [];
    team.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/assets/') && path.endsWith('.js')) teamChunks.push(path);
    });
    await setPasswordFromLink(team, teamLink, PASSWORD);
    await team.goto(`${baseUrl}/cases`);
    const row = team.getByTestId('cases').locator('tbody tr', { hasText: humanId });
    await expect(row.locator('td').nth(3).textContent()).resolves.toBe(SUBJECT);
    await shot(team, '06-inbox');
    await row.getByRole('link', { name: humanId }).click();
    await team.waitForURL(`${baseUrl}/cases/${humanId}`);
    await expect(team.getByTestId('case-title').textContent()).resolves.toBe(SUBJECT);
    await team.getByTestId('report').getByText(STEPS).waitFor();
    await team.getByTestId('report').getByText(IMPACT).waitFor();
    await team.getByTestId('reporter-panel').getByText(EMAIL).waitFor();
    const attachment = team.getByTestId('attachments').getByRole('link', { name: 'exploit.sh' });
    const download = await teamContext.request.get(`${baseUrl}${await attachment.getAttribute('href')}`);
    expect(await download.text()).toBe(EXPLOIT);
    await shot(team, '07-case');
    expect(teamChunks.length).toBeGreaterThan(0);
    expect(teamChunks.filter((c) => c.includes('/encrypt-report-'))).toEqual([]);
    await teamContext.close();
    expect(teamWatch.problems).toEqual([]);
  });
});
