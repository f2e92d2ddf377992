/**
 * A browser journey through a case's embargo (PROCESS.md §7, §8) with the real binaries: `vigil
 * serve` on a fresh SQLite data directory with a real SMTP sink and a real webhook receiver,
 * project `demo` on the Contour preset (one supported line, no upstream, an announcement
 * address), a report with the reporter's address, a distributors list of two organisations (four
 * people: one without a key, one with a key, one whose key expires before the send, one who has
 * not accepted the embargo text) and a fix pushed to the case's repository; then Chromium as the
 * security team, the reporter and a distributor:
 *
 * - the team's Early disclosure panel says who gets the notice how, shows the expired key as a
 *   problem that blocks the send until that person is left out, sends after a confirmation, and
 *   logs each copy's delivery; the team traces a reformatted leaked copy to its recipient;
 * - the team proposes a disclosure date in a chosen time zone (a Saturday: the guardrail says so);
 *   the reporter objects on their private page; the distributor, in the portal, reads the
 *   advisory draft (without its CVE id), the patches and the release plan, counter-proposes,
 *   acknowledges and gives feedback; the team sees the answers and the portal log, is refused a
 *   decision without the weekend override, then decides with it; the portal shows the embargo's
 *   end in the distributor's zone and UTC with a countdown, the reporter the decision;
 * - the team adds a webhook (the signing secret shown once), removes another, schedules the
 *   disclosure (the form starts from the decided date) and publishes: the publication panel and
 *   the webhook's delivery log show each message sent, the receiver verifies the signature, and
 *   the case leaves the portal.
 *
 * State the journey is not about (the policy, the advisory, the list's people) is set through the
 * API. Every free-text field gets markup (XSS), which must show as text. Needs `npm run build`,
 * git, and Chromium at /usr/bin/chromium. Any console error, dialog or CSP violation not announced
 * fails it; every page photographed is checked with axe-core; screenshots go to
 * test-results/embargo-*.png.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHookReceiver, type HookReceiver } from '../support/publication.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import {
  addTeamMember,
  apiFromPage,
  gitAs,
  noInjectedMarkup,
  openJourneyPage,
  setPasswordFromLink,
  TEAM_MEMBER,
  useJourney,
  XSS,
  type Journey,
} from './support.js';

const PASSWORD = 'correct horse battery staple';
const CVE = 'CVE-2026-41234';
const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const ANNOUNCE = 'contour-users@example.org';
const REPORTER = { name: 'Rita Reporter', email: 'rita@example.net' };
const ALICE = { name: 'Alice Acme', email: 'alice@acme.example' };

/** A description with many places where copies may differ (variation-rules.ts). */
const DESCRIPTION = `The ext_authz filter does not check the Transfer-Encoding header of a request before it forwards
the request upstream. A client that sends two Transfer-Encoding headers, e.g. one in upper case
and one in lower case, is able to smuggle a second request past the authorization check. This
allows an attacker to reach routes that are not meant to be public, such as the admin listener,
and can lead to a full bypass of the authentication configured on the route.

The issue is present when the filter is configured in front of a third-party upstream that
doesn't normalise headers, i.e. most HTTP/1.1 servers. It is not exploitable over HTTP/2, since
the codec rejects duplicate headers prior to any filter running; however, deployments that
downgrade to HTTP/1.1 toward the upstream are affected. An attacker cannot read the responses to
the smuggled request, but they are able to trigger side effects such as writes, and the logs
don't record the second request, which makes the attack hard to detect. We have not seen it
exploited in the wild.`;

/** What a forum does to a pasted copy: invisible marks gone, curled quotes, rewrapped and quoted. */
function reformat(text: string): string {
  const words = text
    .replace(/[\u200B-\u200D\u2060]/g, '')
    .replace(/'/g, '\u2019')
    .split(/\s+/)
    .filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (`${line} ${w}`.length > 62) {
      lines.push(`> ${line}`);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  lines.push(`> ${line}`);
  return lines.join('\n');
}

/** `YYYY-MM-DDTHH:MM` of the first `weekday` (0 Sunday) at least `days` days from now. */
function wallTime(days: number, weekday: number, hhmm: string): string {
  const d = new Date(Date.now() + days * 86_400_000);
  while (d.getUTCDay() !== weekday) d.setUTCDate(d.getUTCDate() + 1);
  return `${d.toISOString().slice(0, 10)}T${hhmm}`;
}

/** `epochMs` as a `datetime-local` value in the test's (and the team's browser's) time zone. */
function localInput(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Runs `vigil token create` for `email`: an API token to act as them (Bearer, no CSRF). */
async function tokenFor(j: Journey, email: string): Promise<string> {
  const out = await j.vigil('token', 'create', '--email', email, '--name', 'journey', '--json');
  return (JSON.parse(out) as { token: string }).token;
}

describe('browser journey: early disclosure, the disclosure date, the portal and publication', () => {
  let sink: SmtpSink;
  let hooks: HookReceiver;
  beforeAll(async () => {
    [sink, hooks] = await Promise.all([startSmtpSink(), startHookReceiver()]);
  });
  const journey = useJourney('vigil-embargo-', () => ({
    VIGIL_SMTP_URL: sink.url,
    // The webhook receiver is on this host.
    VIGIL_ALLOW_LOCAL_WEBHOOKS: 'true',
  }));
  let teamLink = '';
  let gitDir = '';

  beforeAll(async () => {
    const j = journey();
    await j.vigil('project', 'create', 'demo', '--name', 'Demo Project', '--preset', 'contour');
    teamLink = await addTeamMember(j, 'demo', TEAM_MEMBER);
    gitDir = mkdtempSync(join(tmpdir(), 'vigil-embargo-git-'));
  });

  afterAll(async () => {
    await Promise.all([sink.close(), hooks.close()]);
    if (gitDir) rmSync(gitDir, { recursive: true, force: true });
  });

  // About 40 s alone on two cores (three people, two mail deliveries and a publication waited
  // for): twice the tier's default leaves room for a loaded machine.
  it(
    'discloses early, agrees a date with the parties, and publishes everywhere',
    { timeout: 120_000 },
    async () => {
      const j = journey();
      const { browser, baseUrl } = j;
      const team = await openJourneyPage(browser, 'embargo-team');
      const { page, shot } = team;

      // The report, with the reporter's address: their private link.
      const filed = await team.context.request.post(`${baseUrl}/api/v1/projects/demo/reports`, {
        data: {
          subject: 'Request smuggling in ext_authz',
          reporter: REPORTER,
          reproduction: 'Send two Transfer-Encoding headers.',
        },
      });
      expect(filed.status()).toBe(201);
      const { humanId, reporterLink } = (await filed.json()) as { humanId: string; reporterLink: string };
      await team.context.clearCookies();
      await setPasswordFromLink(page, teamLink, PASSWORD);

      // Setup through the API. The policy: no upstream, line 1.28, an announcement address.
      const api = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => {
        const r = await apiFromPage<T>(page, method, path, body);
        expect(r.status, `${method} ${path}: ${JSON.stringify(r.json)}`).toBeLessThan(300);
        return r.json;
      };
      const project = await api<{ policy: { yaml: string; version: number } }>('GET', '/projects/demo');
      const yaml = project.policy.yaml
        .replace(/upstreamRepository: \S+/, 'upstreamRepository: null')
        .replace(/supportedLines: \[\]/, "supportedLines: ['1.28']")
        .replace(/\n {4}addresses: \[\]\n/, `\n    addresses: [${ANNOUNCE}]\n`);
      expect(yaml).toContain(ANNOUNCE);
      await api('PUT', '/projects/demo/policy', { yaml, baseVersion: project.policy.version });
      // The case in the fix, with its advisory (markup in its summary) and CVE id; 1.28's release planned.
      await api('POST', `/cases/${humanId}/transitions`, { to: 'accepted' });
      const draft = await api<{ document: Record<string, unknown>; revision: number; caseId: string }>(
        'POST',
        `/cases/${humanId}/advisory`,
      );
      const summary = `Two Transfer-Encoding headers smuggle a request past ext_authz ${XSS.img}`;
      await api('PUT', `/cases/${humanId}/advisory`, {
        baseRevision: draft.revision,
        document: {
          ...draft.document,
          title: 'Request smuggling in the ext_authz filter',
          summary,
          description: DESCRIPTION,
          workarounds: 'Do not route untrusted traffic to listeners with ext_authz enabled.',
          mitigations: 'Reject requests with duplicate Transfer-Encoding headers at the edge.',
          affected: [
            {
              ecosystem: 'Go',
              package: 'github.com/projectcontour/contour',
              ranges: [{ type: 'SEMVER', events: [{ introduced: '1.28.0' }, { fixed: '1.28.4' }] }],
            },
          ],
          severity: { cvss: [{ vector: CRITICAL }] },
        },
      });
      await api('PUT', `/cases/${humanId}/advisory/cve`, { cveId: CVE });
      await api('POST', `/cases/${humanId}/transitions`, { to: 'fixing' });
      await api('PUT', `/cases/${humanId}/releases/1.28`, {
        version: '1.28.4',
        state: 'planned',
        plannedAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      });

      // The list: Acme (Alice without a key, Bob with one), Beta (Carl, whose key expires in a few
      // seconds, and Dave, who has not accepted the embargo text).
      const key = (name: string, options: { date?: Date; keyExpirationTime?: number } = {}) =>
        openpgp.generateKey({
          type: 'ecc',
          curve: 'curve25519Legacy',
          userIDs: [{ name, email: `${name.toLowerCase()}@example.net` }],
          format: 'armored',
          ...options,
        });
      const expiresInSeconds = 6;
      const [bobKey, carlKey] = await Promise.all([
        key('Bob'),
        key('Carl', {
          date: new Date(Date.now() - 3_600_000),
          keyExpirationTime: 3600 + expiresInSeconds,
        }),
      ]);
      const carlExpires = Date.now() + expiresInSeconds * 1000;
      const acme = await api<{ orgId: string }>('POST', '/projects/demo/distributors/orgs', {
        name: 'Acme',
        contactAlias: 'security@acme.example',
      });
      const beta = await api<{ orgId: string }>('POST', '/projects/demo/distributors/orgs', {
        name: 'Beta',
        contactAlias: 'security@beta.example',
      });
      const person = (orgId: string, body: Record<string, unknown>) =>
        api<{ personId: string; link: string }>(
          'POST',
          `/projects/demo/distributors/orgs/${orgId}/people`,
          body,
        );
      const alice = await person(acme.orgId, ALICE);
      const bob = await person(acme.orgId, {
        name: 'Bob Acme',
        email: 'bob@acme.example',
        pgpPublicKey: bobKey.publicKey,
      });
      const carl = await person(beta.orgId, {
        name: 'Carl Beta',
        email: 'carl@beta.example',
        pgpPublicKey: carlKey.publicKey,
      });
      await person(beta.orgId, { name: 'Dave Beta', email: 'dave@beta.example' });
      const apply = await team.context.request.get(`${baseUrl}/api/v1/projects/demo/distributors/apply`);
      const embargoHash = ((await apply.json()) as { embargo: { hash: string } }).embargo.hash;
      for (const [who, email] of [
        [bob, 'bob@acme.example'],
        [carl, 'carl@beta.example'],
      ] as const) {
        const accepted = await team.context.request.post(
          `${baseUrl}/api/v1/me/distributors/${who.personId}/accept`,
          {
            headers: { Authorization: `Bearer ${await tokenFor(j, email)}` },
            data: { embargoHash },
          },
        );
        expect(accepted.status()).toBe(200);
      }
      // Alice signs in (she works in the portal later) and accepts the embargo text.
      const distributor = await openJourneyPage(browser, 'embargo-distributor', {
        context: { timezoneId: 'America/New_York' },
      });
      const dp = distributor.page;
      await setPasswordFromLink(dp, alice.link, PASSWORD);
      await dp.goto(`${baseUrl}/account`);
      await dp.getByRole('button', { name: /^Accept the embargo policy/ }).click();
      await dp.getByText('You accepted the embargo policy.').waitFor();

      // A fix pushed to the case's repository (a commit subject with markup), for the portal's patches.
      let repository = { state: '', cloneUrl: '' };
      await expect
        .poll(async () => (repository = await api('GET', `/cases/${humanId}/repository`)).state, {
          timeout: 15_000,
        })
        .toBe('ready');
      const clone = new URL(repository.cloneUrl);
      clone.username = 'tess';
      clone.password = await tokenFor(j, TEAM_MEMBER.email);
      const git = gitAs(gitDir, 'Tess Team');
      git(gitDir, 'clone', '-q', clone.href, 'fix');
      const work = join(gitDir, 'fix');
      git(work, 'checkout', '-q', '-b', 'release-1.28');
      writeFileSync(join(work, 'ext_authz.go'), 'package extauthz // rejects duplicate headers\n');
      git(work, 'add', '.');
      git(work, 'commit', '-q', '-m', `Reject duplicate headers ${XSS.img}`);
      git(work, 'push', '-q', 'origin', 'release-1.28');

      // 1. Early disclosure: who gets the notice how; the expired key blocks the send until Carl is
      // left out; the send is confirmed; each copy's delivery is logged.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, carlExpires - Date.now() + 500)));
      await page.goto(`${baseUrl}/cases/${humanId}`);
      const early = page.getByRole('region', { name: 'Early disclosure' });
      const recipients = early.getByTestId('early-disclosure-recipients');
      await recipients.getByRole('row', { name: /Alice Acme.*no key.*in clear \(no key\)/ }).waitFor();
      await recipients.getByRole('row', { name: /Bob Acme.*key ok.*encrypted to their key/ }).waitFor();
      await recipients.getByRole('row', { name: /Carl Beta.*key expired.*refused: key fails/ }).waitFor();
      await recipients.getByRole('row', { name: /Dave Beta.*not accepted.*embargo not accepted/ }).waitFor();
      await early
        .getByTestId('early-disclosure-summary')
        .filter({ hasText: '1 encrypted, 1 in clear, 1 refused for a key that fails, 1 withheld' })
        .waitFor();
      const sendForm = early.getByRole('form', { name: 'Send the distributors’ notice' });
      await sendForm.getByLabel('Planned release').fill(localInput(Date.now() + 12 * 86_400_000));
      const sendButton = sendForm.getByRole('button', { name: 'Send the notice…' });
      await expect(sendButton.isDisabled()).resolves.toBe(true);
      await sendForm.getByText('Leave out everyone whose key fails').waitFor();
      await shot('01-preflight');
      await sendForm.getByLabel('Leave out Carl Beta (Beta): key expired').check();
      await sendButton.click();
      const confirm = sendForm.getByRole('alertdialog');
      await confirm.getByText(/^Send revision \d+ of the notice to 2 people \(1 encrypted\)\?/).waitFor();
      await confirm.getByRole('button', { name: 'Confirm and send' }).click();
      await early.getByText('The notice went to 2 people (1 encrypted), each with their own copy.').waitFor();
      const [aliceMail, bobMail] = await Promise.all([
        sink.waitFor((m) => m.envelope.to.includes(ALICE.email) && /ED-\w{4}-\w{4}/.test(m.subject), 15_000),
        sink.waitFor(
          (m) => m.envelope.to.includes('bob@acme.example') && /ED-\w{4}-\w{4}/.test(m.subject),
          15_000,
        ),
      ]);
      expect(bobMail.text).toContain('-----BEGIN PGP MESSAGE-----');
      expect(aliceMail.text).toContain(`prepared for ${ALICE.name} (Acme) alone`);
      expect(aliceMail.text).not.toContain(CVE);
      const log = early.getByTestId('early-disclosure-log');
      await expect
        .poll(
          async () => {
            await page.reload();
            await log.waitFor();
            return log.getByText('accepted by the mail server').count();
          },
          { timeout: 15_000 },
        )
        .toBe(2);
      await log.getByRole('row', { name: /Alice Acme.*ED-\w{4}-\w{4}.*in clear/ }).waitFor();
      await log.getByRole('row', { name: /Bob Acme.*encrypted/ }).waitFor();
      await log
        .getByText(/Not sent: Carl Beta, left out: key expired; Dave Beta, has not accepted/)
        .waitFor();
      await shot('02-delivery-log');

      // 2. The leak trace: Alice's copy, reformatted by a forum, without its reference line.
      await early.getByRole('link', { name: 'Trace a leaked copy' }).click();
      await page.waitForURL(`${baseUrl}/cases/${humanId}/leak-trace`);
      const leaked = reformat(aliceMail.text.replace(/^Reference .*\n/m, ''));
      expect(leaked).not.toMatch(/ED-\w{4}-\w{4}/);
      await page.getByLabel('Leaked text').fill(`Found on a forum ${XSS.img}:\n\n${leaked}`);
      await page.getByRole('button', { name: 'Trace' }).click();
      const verdict = page.getByTestId('leak-trace-result');
      await verdict.getByRole('heading', { name: 'Identified by its wording' }).waitFor();
      await verdict.getByText(`${ALICE.name} (Acme), ${ALICE.email}`).waitFor();
      await verdict.getByText(/^The evidence for Alice Acme’s copy/).click();
      await noInjectedMarkup(page);
      await shot('03-leak-trace');

      // 3. The disclosure date: a Saturday afternoon in Paris, proposed to the parties.
      await page.goto(`${baseUrl}/cases/${humanId}`);
      const date = page.getByRole('region', { name: 'Disclosure date' });
      await date.getByText('No disclosure date has been proposed yet.').waitFor();
      await date.getByRole('button', { name: 'Propose a date' }).click();
      const propose = date.getByRole('form', { name: 'Propose a disclosure date' });
      await propose.getByLabel('Instant').fill(wallTime(6, 6, '14:00'));
      await propose.getByLabel('Time zone').selectOption('Europe/Paris');
      await propose
        .getByLabel('Note to the parties (optional)')
        .fill(`After the patch releases. ${XSS.iframe}`);
      await propose.getByRole('button', { name: 'Propose' }).click();
      await date.getByText('The date was proposed to the parties.').waitFor();
      const proposal = date.getByTestId('date-proposal');
      await proposal
        .getByText(/14:00.*Paris|Paris.*14:00/)
        .first()
        .waitFor();
      await proposal.getByText(`After the patch releases. ${XSS.iframe}`).waitFor();
      await proposal.getByText(/^Not answered yet: .*reporter/i).waitFor();
      await proposal
        .getByTestId('date-findings')
        .getByText(/weekend/i)
        .waitFor();
      await noInjectedMarkup(page);
      await shot('04-proposed');

      // 4. The reporter objects on their private page.
      const reporter = await openJourneyPage(browser, 'embargo-reporter', {
        context: { timezoneId: 'Asia/Tokyo' },
      });
      const rp = reporter.page;
      await rp.goto(reporterLink);
      const reporterDate = rp.getByRole('region', { name: 'Disclosure date' });
      await reporterDate
        .getByTestId('date-proposal')
        .getByText(`After the patch releases. ${XSS.iframe}`)
        .waitFor();
      await reporterDate.getByLabel('Object to it').check();
      await reporterDate
        .getByLabel('Why you object (required)')
        .fill(`Users need the weekend to patch. ${XSS.script}`);
      await reporterDate.getByRole('button', { name: 'Send your answer' }).click();
      await reporterDate.getByText('Your answer was sent to the security team.').waitFor();
      await reporterDate
        .getByTestId('date-response')
        .filter({ hasText: /^You object/ })
        .getByText(`Users need the weekend to patch. ${XSS.script}`)
        .waitFor();
      await noInjectedMarkup(rp);
      await reporter.shot('01-objected');

      // 5. The distributor, in the portal: the shared case, the draft without its CVE id, the patch,
      // the release plan; a counter-proposal, the acknowledgement and feedback.
      await dp.goto(`${baseUrl}/portal`);
      await dp
        .getByTestId('portal-cases')
        .getByRole('row', { name: new RegExp(`${humanId}.*Acme.*Not decided yet`) })
        .waitFor();
      await distributor.shot('01-portal');
      await dp.getByRole('link', { name: humanId }).click();
      await dp.waitForURL(`${baseUrl}/portal/cases/${humanId}`);
      await dp
        .getByRole('heading', { level: 1, name: 'Request smuggling in the ext_authz filter' })
        .waitFor();
      const advisory = dp.getByTestId('portal-advisory');
      await advisory.getByText(summary).waitFor();
      await advisory.getByText(/smuggle a second request past the authorization check/).waitFor();
      await expect(dp.getByText(CVE, { exact: false }).count()).resolves.toBe(0);
      const patch = dp.getByTestId('portal-patch').filter({ hasText: 'Line 1.28 (release-1.28)' });
      await patch.getByText(/^1 commit, \d+ KB/).click();
      await patch
        .locator('pre.patch-text')
        .getByText(`Reject duplicate headers ${XSS.img}`, { exact: false })
        .waitFor();
      await dp
        .getByTestId('portal-release-plan')
        .getByRole('row', { name: /1\.28.*release-1\.28.*1\.28\.4 \(planned\)/ })
        .waitFor();
      await dp
        .getByTestId('embargo-end')
        .getByText('No disclosure date is decided yet', { exact: false })
        .waitFor();
      const portalDate = dp.getByRole('region', { name: 'Disclosure date' });
      await portalDate.getByLabel('Propose another instant').check();
      await portalDate.getByLabel('The instant you propose').fill(wallTime(8, 2, '10:00'));
      await expect(portalDate.getByLabel('In the time zone').inputValue()).resolves.toBe('America/New_York');
      await portalDate
        .getByLabel('A word for the security team (optional)')
        .fill(`Our release train leaves on Tuesdays. ${XSS.svg}`);
      await portalDate.getByRole('button', { name: 'Send your answer' }).click();
      await portalDate.getByText('Your answer was sent to the security team.').waitFor();
      await dp.getByRole('button', { name: 'Acknowledge receipt' }).click();
      await dp.getByTestId('acknowledged').waitFor();
      await dp.getByLabel('Your feedback').fill(`The patch applies cleanly to our 1.28 package. ${XSS.link}`);
      await dp.getByRole('button', { name: 'Send feedback' }).click();
      await dp
        .getByTestId('portal-feedback-list')
        .getByText(`The patch applies cleanly to our 1.28 package. ${XSS.link}`)
        .waitFor();
      await noInjectedMarkup(dp);
      await distributor.shot('02-portal-case');

      // 6. The team: the answers and the portal log; a decision refused without the weekend
      // override, then taken with it.
      await page.reload();
      const responses = date.getByTestId('date-response');
      await responses
        .filter({ hasText: `Users need the weekend to patch. ${XSS.script}` })
        .getByText('objects')
        .waitFor();
      await responses
        .filter({ hasText: `Our release train leaves on Tuesdays. ${XSS.svg}` })
        .getByText(/proposes another instant/)
        .waitFor();
      const portalLog = page.getByRole('region', { name: 'Distributors’ portal' });
      await portalLog
        .getByTestId('portal-acknowledgements')
        .getByText(new RegExp(`${ALICE.name} \\(Acme\\)`))
        .waitFor();
      await portalLog
        .getByTestId('portal-feedback')
        .getByText(`The patch applies cleanly to our 1.28 package. ${XSS.link}`)
        .waitFor();
      await portalLog
        .getByTestId('portal-log')
        .getByRole('row', { name: /Alice Acme.*opened the case/ })
        .first()
        .waitFor();
      // Alice's copy: opened in the portal, and acknowledged.
      await expect
        .poll(() =>
          log
            .getByRole('row', { name: /Alice Acme/ })
            .getByText('not yet')
            .count(),
        )
        .toBe(0);
      await noInjectedMarkup(page);
      await shot('05-answers');
      await date.getByRole('button', { name: 'Decide the date' }).click();
      const decide = date.getByRole('form', { name: 'Decide the disclosure date' });
      await expect(decide.getByLabel(/^The proposal: /).isChecked()).resolves.toBe(true);
      await decide.getByLabel('Note for the record (optional)').fill(`Saturday, as planned. ${XSS.img}`);
      team.expected.push({ path: /^\/api\/v1\/cases\/[^/]+\/disclosure-date$/, status: 400 });
      await decide.getByRole('button', { name: 'Decide' }).click();
      await decide
        .getByTestId('override-issues')
        .getByText(/weekend/i)
        .waitFor();
      await shot('06-override-needed');
      await decide.getByLabel('Release on a weekend day anyway').check();
      await decide.getByRole('button', { name: 'Decide' }).click();
      await date.getByText('The disclosure date is decided.').waitFor();
      const decision = date.getByTestId('date-decision');
      await decision.getByText('Decided', { exact: true }).waitFor();
      await decision.getByText(/overriding: weekend/).waitFor();
      await decision.getByText(`Saturday, as planned. ${XSS.img}`).waitFor();
      await noInjectedMarkup(page);
      await shot('07-decided');

      // The portal: the embargo's end in New York time and UTC, counting down; the reporter's page.
      await dp.reload();
      const end = dp.getByTestId('embargo-end');
      // A Saturday at 14:00 in Paris: 08:00 in New York (or 09:00 for the weeks the two differ),
      // 13:00 or 12:00 UTC.
      await end.getByText(/^Saturday, .* at 0[89]:00 \(America\/New_York\)$/).waitFor();
      await end.getByText(/^Saturday, .* at 1[23]:00 \(UTC\)$/).waitFor();
      const timer = end.getByRole('timer');
      const before = await timer.textContent();
      await expect.poll(() => timer.textContent(), { timeout: 5_000 }).not.toBe(before);
      await distributor.shot('03-embargo-end');
      await rp.reload();
      await reporterDate.getByTestId('date-decision').getByText('Decided', { exact: true }).waitFor();
      await reporter.shot('02-decided');

      // 7. Webhooks: one added (its secret shown once), another added and removed.
      await page.goto(`${baseUrl}/projects/demo`);
      // (The list says whose key has expired since it was set.)
      await page
        .getByRole('region', { name: 'Distributors' })
        .getByRole('row', { name: /Carl Beta.*\(expired / })
        .waitFor();
      const webhooks = page.getByRole('region', { name: 'Webhooks' });
      const addHook = async (label: string, url: string) => {
        const form = webhooks.getByRole('form', { name: 'Add a webhook' });
        await form.getByLabel('Label').fill(label);
        await form.getByLabel('URL').fill(url);
        await form.getByLabel('Kind').selectOption('json');
        // Only the publication (the team's case events are checked by default).
        const caseEvents = form.getByRole('checkbox', { name: /\(case\./ });
        for (let i = 0; i < (await caseEvents.count()); i++) await caseEvents.nth(i).uncheck();
        await form.getByRole('button', { name: 'Add webhook' }).click();
        const secret = await webhooks.getByLabel(`Signing secret of “${label}”`).inputValue();
        await webhooks.getByRole('button', { name: 'Done, hide the secret' }).click();
        return secret;
      };
      const hookLabel = `Announcements ${XSS.img}`;
      const secret = await addHook(hookLabel, hooks.url('/vigil'));
      expect(secret.length).toBeGreaterThanOrEqual(32);
      await addHook('Old receiver', hooks.url('/old'));
      const hookTable = webhooks.getByRole('table', { name: 'Webhooks' });
      await hookTable.getByRole('row', { name: /Old receiver/ }).waitFor();
      team.confirms.push(/^Remove the webhook “Old receiver”/);
      await hookTable.getByRole('button', { name: 'Remove Old receiver' }).click();
      await webhooks.getByText('Removed the webhook “Old receiver”.').waitFor();
      await hookTable
        .getByRole('row', { name: new RegExp(`Announcements.*JSON.*127\\.0\\.0\\.1.*advisory\\.published`) })
        .waitFor();
      await expect(webhooks.getByText(secret).count()).resolves.toBe(0);
      await noInjectedMarkup(page);
      await shot('08-webhooks');
      expect(team.confirms).toEqual([]);

      // 8. Fix ready, the disclosure scheduled at the decided instant, the release out, published.
      await page.goto(`${baseUrl}/cases/${humanId}`);
      const next = page.getByRole('region', { name: 'Next step' });
      await next.getByRole('button', { name: 'Fix ready' }).click();
      await next.getByRole('form', { name: 'Fix ready' }).locator('button[type=submit]').click();
      await page.getByTestId('case-state').filter({ hasText: 'Fix ready' }).waitFor();
      await next.getByRole('button', { name: 'Schedule the disclosure' }).click();
      const schedule = next.getByRole('form', { name: 'Schedule the disclosure' });
      await expect.poll(() => schedule.getByLabel('Disclosure at').inputValue()).not.toBe('');
      await schedule.getByRole('button', { name: 'Schedule the disclosure' }).click();
      await page.getByTestId('case-state').filter({ hasText: 'Disclosure scheduled' }).waitFor();
      const publication = page.getByRole('region', { name: 'Publication' });
      await publication
        .getByTestId('publication-state')
        .getByText(/Vigil publishes the advisory at/)
        .waitFor();
      await shot('09-scheduled');
      await api('PUT', `/cases/${humanId}/releases/1.28`, {
        version: '1.28.4',
        state: 'published',
        url: 'https://github.com/projectcontour/contour/releases/tag/v1.28.4',
      });
      await page.reload();
      await next.getByRole('button', { name: 'Publish' }).click();
      await next.getByRole('form', { name: 'Publish' }).locator('button[type=submit]').click();
      await page.getByTestId('case-state').filter({ hasText: 'Published' }).waitFor();
      await expect
        .poll(
          async () => {
            await page.reload();
            await publication.getByTestId('publication-state').waitFor();
            return publication.locator('.badge', { hasText: /^sent$/ }).count();
          },
          { timeout: 20_000 },
        )
        .toBeGreaterThanOrEqual(4);
      await publication.getByTestId('publication-state').getByText('published').waitFor();
      await publication
        .getByRole('table', { name: 'Announcement messages' })
        .getByRole('row', { name: new RegExp(`${ANNOUNCE}.*sent`) })
        .waitFor();
      await publication
        .getByRole('table', { name: 'Webhook deliveries' })
        .getByRole('row', { name: /Announcements.*sent.*204/ })
        .waitFor();
      const followUps = publication.getByRole('table', { name: 'Follow-ups to distributors' });
      await followUps.getByRole('row', { name: new RegExp(`${ALICE.email}.*Acme.*sent`) }).waitFor();
      await noInjectedMarkup(page);
      await shot('10-published');

      // The receiver got the advisory once, signed with the secret shown when the webhook was added.
      const hit = hooks.hits.find((h) => h.path === '/vigil');
      expect(hooks.hits.filter((h) => h.path === '/vigil')).toHaveLength(1);
      expect(hooks.hits.filter((h) => h.path === '/old')).toHaveLength(0);
      const stamp = String(hit?.headers['x-vigil-timestamp']);
      const signature = createHmac('sha256', secret).update(`${stamp}.${hit?.body}`).digest('hex');
      expect(hit?.headers['x-vigil-signature']).toBe(`sha256=${signature}`);
      expect(hit?.body).toContain(CVE);
      // The announcement went out with the CVE id; the distributors heard that releases are out.
      await sink.waitFor((m) => m.envelope.to.includes(ANNOUNCE) && m.text.includes(CVE));
      await sink.waitFor((m) => m.envelope.to.includes(ALICE.email) && /1\.28\.4/.test(m.text));

      // The project's webhook delivery log.
      await page.goto(`${baseUrl}/projects/demo`);
      await hookTable.getByRole('button', { name: `Delivery log of ${hookLabel}` }).click();
      await webhooks
        .getByTestId('webhook-deliveries')
        .getByRole('row', { name: new RegExp(`${humanId}.*sent.*204`) })
        .waitFor();
      await noInjectedMarkup(page);
      await shot('11-webhook-log');

      // 9. The case left the portal with its publication.
      distributor.expected.push({ path: `/api/v1/portal/cases/${humanId}`, status: 404 });
      await dp.reload();
      await dp.getByRole('heading', { level: 1, name: 'Not shared with you' }).waitFor();
      await dp.goto(`${baseUrl}/portal`);
      await dp.getByTestId('portal-empty').waitFor();
      await distributor.shot('04-after-publication');

      expect(team.problems).toEqual([]);
      expect(reporter.problems).toEqual([]);
      expect(distributor.problems).toEqual([]);
      await Promise.all([team.context.close(), reporter.context.close(), distributor.context.close()]);
    },
  );
});
