/**
 * A browser journey through the fix phase with the real binaries: `vigil serve` on a fresh SQLite
 * data directory, a project on the Emissary preset whose policy names a real upstream git
 * repository (a bare repository made here with `git`), one supported line and a test command; a
 * report through the public API; then Chromium, as two people:
 *
 * - the security team's member accepts the case and sees the Fix Lead chosen by rotation, the
 *   phase clocks and the private repository seeded from upstream (clone URL and branches); invites
 *   an engineer by email and copies the invitation link, and withdraws a second invitation;
 * - the engineer signs in through that link, reads the embargo terms of the invitation on the
 *   account page, accepts them, and opens the case: the member view, without the conversation, the
 *   attachments or the reporter, with the clone URL;
 * - the engineer makes an API token on the account page, clones the case's repository over HTTP
 *   with it and pushes a fix to the release branch; the real `vigil runner` runs the policy's test
 *   command on it, and the case page shows the branch green with its log;
 * - the team starts the fix, is told what blocks "fix ready" (the main branch has no green run),
 *   overrides that line with a reason, records the patch release, the phases done and an upstream
 *   (the project page shows its phase timeline), schedules the disclosure (the branch's patch series
 *   downloads) and publishes; the retrospective is drafted, takes the team's feedback and a section,
 *   and its close closes the case. The inbox shows the Fix Lead and "assigned to me"; the
 *   engineer's access ends with the publication.
 *
 * State the journey is not about (the advisory's affected versions, the policy) is set through the
 * API. Needs `npm run build`, git, and Chromium at /usr/bin/chromium. Any console error, dialog or
 * CSP violation not announced fails it; every page photographed is checked with axe-core;
 * screenshots go to test-results/fix-*.png.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTeamMember,
  apiFromPage,
  childEnv,
  gitAs,
  noInjectedMarkup,
  openJourneyPage,
  setPasswordFromLink,
  TEAM_MEMBER,
  useJourney,
  VIGIL,
  XSS,
} from './support.js';

const run = promisify(execFile);

const PASSWORD = 'correct horse battery staple';
const ENGINEER = 'erin.engineer@example.org';
const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
/**
 * Markup in what people type and push (a commit subject, an override's reason, the upstream's
 * name, a retrospective section, feedback): shown as text, never run (support.ts's XSS).
 */
const PAYLOADS = {
  commit: XSS.img,
  reason: XSS.script,
  upstream: XSS.svg,
  section: XSS.iframe,
  feedback: XSS.link,
};

/** A bare upstream repository with `main` and `release-1.28`, as the policy's fix.upstreamRepository. */
function makeUpstream(dir: string): string {
  const work = join(dir, 'work');
  const bare = join(dir, 'upstream.git');
  const git = gitAs(dir, 'Upstream Dev');
  execFileSync('git', ['init', '-q', '-b', 'main', work]);
  writeFileSync(join(work, 'proxy.txt'), 'the proxy\n');
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'Release 1.28.0');
  git(work, 'branch', 'release-1.28');
  writeFileSync(join(work, 'proxy.txt'), 'the proxy, next\n');
  git(work, 'commit', '-q', '-am', 'Start 1.29');
  git(dir, 'clone', '-q', '--bare', work, bare);
  return bare;
}

describe('browser journey: the fix phase', () => {
  // The upstream is a path on this host: the operator allows local upstreams here.
  const journey = useJourney('vigil-fix-', { VIGIL_ALLOW_LOCAL_UPSTREAM: 'true' });
  let gitDir = '';
  let teamLink = '';

  beforeAll(async () => {
    const j = journey();
    await j.vigil('project', 'create', 'demo', '--name', 'Demo Project', '--preset', 'emissary');
    teamLink = await addTeamMember(j, 'demo', TEAM_MEMBER);
    gitDir = mkdtempSync(join(tmpdir(), 'vigil-fix-git-'));
  });

  afterAll(() => {
    if (gitDir) rmSync(gitDir, { recursive: true, force: true });
  });

  it('accepts a case, builds its Fix Team, releases it and closes its retrospective', async () => {
    const { browser, baseUrl } = journey();
    const upstream = makeUpstream(gitDir);
    const team = await openJourneyPage(browser, 'fix', {
      context: { permissions: ['clipboard-read', 'clipboard-write'] },
    });
    const { page, shot } = team;

    // A report through the public API.
    const submitted = await team.context.request.post(`${baseUrl}/api/v1/projects/demo/reports`, {
      data: { subject: 'Header parser overflow', reproduction: 'Send a 1 MiB header to the proxy.' },
    });
    expect(submitted.status()).toBe(201);
    const { humanId } = (await submitted.json()) as { humanId: string };
    await team.context.clearCookies();
    await setPasswordFromLink(page, teamLink, PASSWORD);

    // The policy: the upstream repository made above, one supported line, a test command.
    const project = await apiFromPage<{ policy: { yaml: string; version: number } }>(
      page,
      'GET',
      '/projects/demo',
    );
    const yaml = project.json.policy.yaml
      .replace(/upstreamRepository: \S+/, `upstreamRepository: ${upstream}`)
      .replace(/testCommand: null/, 'testCommand: grep -q bounded proxy.txt')
      .replace(/supportedLines: \[\]/, "supportedLines: ['1.28']");
    expect(yaml).toContain(upstream);
    const saved = await apiFromPage(page, 'PUT', '/projects/demo/policy', {
      yaml,
      baseVersion: project.json.policy.version,
    });
    expect(saved.status).toBe(200);

    // 1. Accept: the rotation makes the only team member the Fix Lead; the phase clocks start and
    // the private repository is seeded from upstream.
    await page.goto(`${baseUrl}/cases/${humanId}`);
    await page.getByRole('group', { name: 'Move the case' }).getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('form', { name: 'Accept' }).locator('button[type=submit]').click();
    await page.getByTestId('case-state').filter({ hasText: 'Accepted' }).waitFor();
    await page.getByTestId('fix-lead-name').filter({ hasText: TEAM_MEMBER.name }).waitFor();
    const phases = page.getByRole('region', { name: 'Phase clocks' });
    await phases.getByTestId('phase-fix-team-organised').filter({ hasText: 'running' }).waitFor();
    const repository = page.getByRole('region', { name: 'Fix repository' });
    await expect
      .poll(
        async () => {
          await repository.getByRole('button', { name: 'Refresh the repository and CI' }).click();
          return repository.getByTestId('repository-state').textContent();
        },
        { timeout: 20_000 },
      )
      .toMatch(/^Ready, seeded /);
    const branches = repository.getByTestId('branches');
    await branches.getByRole('row', { name: /release-1\.28.*Release 1\.28\.0/ }).waitFor();
    await branches.getByRole('row', { name: /main.*Start 1\.29/ }).waitFor();
    const cloneUrl = await repository.getByLabel('Clone URL').inputValue();
    expect(cloneUrl).toMatch(new RegExp(`^${baseUrl}/`));
    await repository
      .getByTestId('clone-command')
      .filter({ hasText: `git clone ${cloneUrl}` })
      .waitFor();
    // The team's own words that no commit may carry.
    await repository.getByLabel('Watch words, one a line').fill('header parser\noverflow');
    await repository.getByRole('button', { name: 'Save the words' }).click();
    await repository.getByText('2 words saved.').waitFor();
    await shot('01-accepted');

    // 2. Invite an engineer (a new account) and copy the link, shown once.
    const teamPanel = page.getByRole('region', { name: 'Fix Team' });
    await teamPanel.getByRole('textbox', { name: 'Email' }).fill(ENGINEER);
    await teamPanel.getByLabel('Role').selectOption('fix-team');
    await teamPanel.getByRole('button', { name: 'Invite' }).click();
    const linkField = teamPanel.getByLabel(`Invitation link for ${ENGINEER}`);
    await linkField.waitFor();
    const invitation = await linkField.inputValue();
    expect(invitation).toMatch(new RegExp(`^${baseUrl}/sign-in/link#token=`));
    await teamPanel.getByRole('button', { name: 'Copy' }).click();
    await teamPanel.getByText('Copied to the clipboard.').waitFor();
    // Read back in the page (a string: the tests compile without the DOM's types).
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(invitation);
    await teamPanel
      .getByTestId('case-members')
      .getByRole('row', { name: new RegExp(`${ENGINEER}.*invited, terms not accepted yet`) })
      .waitFor();
    await shot('02-invited');
    // A second invitation, withdrawn for a reason.
    await teamPanel.getByRole('button', { name: 'Done, hide the link' }).click();
    await teamPanel.getByRole('textbox', { name: 'Email' }).fill('upstream.maintainer@example.org');
    await teamPanel.getByLabel('Role').selectOption('collaborator');
    await teamPanel.getByRole('button', { name: 'Invite' }).click();
    await teamPanel.getByLabel('Invitation link for upstream.maintainer@example.org').waitFor();
    await teamPanel.getByRole('button', { name: /^Withdraw upstream\.maintainer/ }).click();
    const withdraw = teamPanel.getByRole('form', { name: /^Withdraw the invitation of / });
    await withdraw.getByLabel('Reason').fill('Upstream is not affected after all.');
    await withdraw.getByRole('button', { name: 'Withdraw the invitation' }).click();
    await teamPanel.getByText(/^The invitation of upstream\.maintainer.* is withdrawn\.$/).waitFor();
    await teamPanel
      .getByTestId('case-members')
      .getByRole('row', { name: /upstream\.maintainer@example\.org.*removed/ })
      .waitFor();

    // 3. The engineer: the link, the invitation with its terms, accept, the case's member view.
    const engineer = await openJourneyPage(browser, 'fix-engineer');
    const ep = engineer.page;
    await setPasswordFromLink(ep, invitation, PASSWORD);
    await ep.getByTestId('invitations-notice').getByRole('link', { name: 'your invitations' }).waitFor();
    await ep.goto(`${baseUrl}/account`);
    const card = ep.getByRole('region', { name: new RegExp(`Case ${humanId} of Demo Project`) });
    await card.getByTestId('embargo-terms').filter({ hasText: 'embargo terms' }).waitFor();
    await engineer.shot('01-invitation');
    await card.getByRole('button', { name: `Accept the terms of case ${humanId}` }).click();
    await ep.getByRole('link', { name: `Open case ${humanId}` }).click();
    await ep.waitForURL(`${baseUrl}/cases/${humanId}`);
    await ep.getByTestId('member-note').waitFor();
    await ep.getByRole('heading', { level: 2, name: 'Report' }).waitFor();
    await expect(ep.getByRole('heading', { name: 'Conversation and internal notes' }).count()).resolves.toBe(
      0,
    );
    await expect(ep.getByRole('heading', { name: 'Attachments' }).count()).resolves.toBe(0);
    await expect(ep.getByTestId('reporter-panel').count()).resolves.toBe(0);
    await expect(ep.getByTestId('triage').count()).resolves.toBe(0);
    const memberRepo = ep.getByRole('region', { name: 'Fix repository' });
    await expect(memberRepo.getByLabel('Clone URL').inputValue()).resolves.toBe(cloneUrl);
    await ep.getByTestId('fix-lead-name').filter({ hasText: TEAM_MEMBER.name }).waitFor();
    await engineer.shot('02-member-view');
    // The inbox lists the one case they are on.
    await ep.goto(`${baseUrl}/cases`);
    await ep.getByTestId('cases').getByRole('link', { name: humanId }).waitFor();
    await expect(ep.getByTestId('cases').locator('tbody tr').count()).resolves.toBe(1);

    // 4. The engineer makes a token on the account page, clones over HTTP and pushes a fix to the
    // release branch, which queues a test run.
    await ep.goto(`${baseUrl}/account`);
    await ep.getByLabel('Token name').fill('fix clone');
    await ep.getByRole('button', { name: 'Create token' }).click();
    const token = await ep.getByLabel('Your new token “fix clone”').inputValue();
    const authed = new URL(cloneUrl);
    authed.username = 'erin';
    authed.password = token;
    const git = gitAs(gitDir, 'Erin Engineer');
    git(gitDir, 'clone', '-q', authed.href, 'fix');
    const clone = join(gitDir, 'fix');
    git(clone, 'checkout', '-q', 'release-1.28');
    writeFileSync(join(clone, 'proxy.txt'), 'the proxy, with bounded headers\n');
    git(clone, 'commit', '-q', '-am', `Tighten limits ${PAYLOADS.commit}`);
    git(clone, 'push', '-q', 'origin', 'release-1.28');
    // A runner registered with the CLI (the real `vigil runner`, once) clones the pushed commit with
    // its own token and runs the policy's test command on it.
    const registered = await journey().vigil('runner', 'register', '--name', 'journey runner', '--json');
    const runnerToken = (JSON.parse(registered) as { token: string }).token;
    const ran = await run(
      process.execPath,
      [VIGIL, 'runner', '--url', baseUrl, '--token', runnerToken, '--once'],
      {
        env: childEnv(),
      },
    );
    expect(ran.stdout).toMatch(/release-1\.28@\w+: passed/);
    await ep.goto(`${baseUrl}/cases/${humanId}`);
    const branchRow = memberRepo
      .getByTestId('branches')
      .getByRole('row', { name: /release-1\.28.*Tighten limits/ });
    await branchRow.getByTestId('ci-status').filter({ hasText: 'passed' }).waitFor();
    await branchRow.getByRole('button', { name: 'Log of release-1.28' }).click();
    await memberRepo.locator('pre.ci-log').waitFor();
    await memberRepo.getByText(PAYLOADS.commit, { exact: false }).first().waitFor();
    await noInjectedMarkup(ep);
    await engineer.shot('03-ci');

    // 5. The advisory's affected versions and score (through the API: this journey is not about
    // the editor): line 1.28 is affected, so the matrix wants a patch release and the fix on main.
    expect((await apiFromPage(page, 'POST', `/cases/${humanId}/advisory`)).status).toBe(201);
    const advisory = await apiFromPage<{ document: Record<string, unknown>; revision: number }>(
      page,
      'GET',
      `/cases/${humanId}/advisory`,
    );
    const scored = await apiFromPage(page, 'PUT', `/cases/${humanId}/advisory`, {
      document: {
        ...advisory.json.document,
        affected: [
          {
            ecosystem: 'npm',
            package: 'demo-proxy',
            ranges: [{ type: 'SEMVER', events: [{ introduced: '1.28.0' }, { fixed: '1.28.3' }] }],
          },
        ],
        severity: { cvss: [{ vector: V31 }] },
      },
      baseRevision: advisory.json.revision,
    });
    expect(scored.status).toBe(200);

    // 6. Start the fix; "fix ready" is refused, naming the line without a green run (main).
    await page.reload();
    const next = page.getByRole('region', { name: 'Next step' });
    await next.getByRole('button', { name: 'Start the fix' }).click();
    await next.getByRole('form', { name: 'Start the fix' }).locator('button[type=submit]').click();
    await page.getByTestId('case-state').filter({ hasText: 'Fixing' }).waitFor();
    team.expected.push({ path: /^\/api\/v1\/cases\/[^/]+\/transitions$/, status: 409 });
    await next.getByRole('button', { name: 'Fix ready' }).click();
    await next.getByRole('form', { name: 'Fix ready' }).locator('button[type=submit]').click();
    const blocked = next.getByTestId('transition-blocked');
    await blocked.getByText(/The fix on main has no CI run/).waitFor();
    await expect(blocked.getByText(/Line 1\.28/).count()).resolves.toBe(0);
    await shot('03-blocked');
    await next.getByRole('button', { name: 'Cancel' }).click();

    // The release matrix: 1.28 is green; override main with a reason; record the patch release.
    const matrix = page.getByRole('region', { name: 'Release matrix' });
    await matrix.getByTestId('release-outcome').filter({ hasText: 'Patch releases' }).waitFor();
    await matrix
      .getByTestId('release-matrix')
      .getByRole('row', { name: /^1\.28 .*green.*ready/ })
      .waitFor();
    for (const line of ['main']) {
      await matrix.getByRole('button', { name: `Override the CI of line ${line}` }).click();
      const form = matrix.getByRole('form', { name: `Override the CI of line ${line}` });
      await form
        .getByLabel('Reason')
        .fill(`The tests need hardware the runner lacks; run by hand, green. ${PAYLOADS.reason}`);
      await form.getByRole('button', { name: 'Override' }).click();
      await matrix.getByText(`Line ${line} goes on without a green run.`).waitFor();
    }
    await expect.poll(() => matrix.getByTestId('line-blocked').count()).toBe(0);
    await matrix.getByRole('button', { name: 'Record release of line 1.28' }).click();
    const release = matrix.getByRole('form', { name: 'Record the release of line 1.28' });
    await release.getByLabel('Version').fill('1.28.3');
    await release.getByLabel('State').selectOption('planned');
    await release.getByRole('button', { name: 'Record the release' }).click();
    await matrix.getByText('The release of line 1.28 is recorded.').waitFor();
    await matrix
      .getByTestId('release-verdict')
      .getByText(/patch release on 1\.28 is not published \(planned\)/)
      .waitFor();

    // 7. The phases: the Fix Team organised, users told; an upstream the case depends on.
    await phases.getByRole('button', { name: 'The Fix Team is organised' }).click();
    await phases.getByTestId('phase-fix-team-organised').filter({ hasText: 'met' }).waitFor();
    await phases.getByRole('button', { name: 'Users are told a fix is coming' }).click();
    await phases
      .getByTestId('phase-users-told-of-fix')
      .getByText(/^(met|missed|done)/)
      .waitFor();
    await phases.getByRole('button', { name: 'Depends on an upstream project…' }).click();
    const upstreamForm = phases.getByRole('form', { name: 'Upstream project' });
    await upstreamForm.getByLabel('Name').fill(`Envoy ${PAYLOADS.upstream}`);
    await upstreamForm.getByLabel('Link').fill('https://example.org/envoy/security');
    await upstreamForm.getByRole('button', { name: 'Save the upstream' }).click();
    await phases.getByTestId('upstream').filter({ hasText: 'Depends on upstream Envoy' }).waitFor();
    await phases.getByText(PAYLOADS.upstream, { exact: false }).first().waitFor();
    await page.getByText(PAYLOADS.reason, { exact: false }).first().waitFor();
    await noInjectedMarkup(page);
    await shot('04-matrix-and-phases');

    // The project's phase timeline lists the case and the phase it waits on.
    await page.goto(`${baseUrl}/projects/demo`);
    const timeline = page.getByRole('region', { name: 'Phase timeline' });
    await timeline
      .getByTestId('project-timeline')
      .getByRole('row', { name: new RegExp(`${humanId}.*Fixing.*Fix developed`) })
      .waitFor();
    await shot('05-project');
    await page.goto(`${baseUrl}/cases/${humanId}`);

    // 8. Fix ready, the disclosure scheduled, the release published, the case published.
    await next.getByRole('button', { name: 'Fix ready' }).click();
    await next.getByRole('form', { name: 'Fix ready' }).locator('button[type=submit]').click();
    await page.getByTestId('case-state').filter({ hasText: 'Fix ready' }).waitFor();
    await next.getByRole('button', { name: 'Schedule the disclosure' }).click();
    const schedule = next.getByRole('form', { name: 'Schedule the disclosure' });
    await schedule.getByLabel('Disclosure at').fill(localInput(Date.now() + 2 * 60 * 60 * 1000));
    await schedule.getByRole('button', { name: 'Schedule the disclosure' }).click();
    await page.getByTestId('case-state').filter({ hasText: 'Disclosure scheduled' }).waitFor();
    // From release on, each fix branch's patch series downloads as an mbox.
    const patches = repository.getByRole('link', { name: 'Patches of release-1.28' });
    const mbox = await team.context.request.get(
      new URL((await patches.getAttribute('href')) ?? '', baseUrl).href,
    );
    expect(mbox.status()).toBe(200);
    expect(await mbox.text()).toContain('Subject: [PATCH] Tighten limits');
    await matrix.getByRole('button', { name: 'Record release of line 1.28' }).click();
    await release.getByLabel('State').selectOption('published');
    await release.getByLabel('Link').fill('https://example.org/demo-proxy/releases/1.28.3');
    await release.getByRole('button', { name: 'Record the release' }).click();
    await matrix.getByTestId('release-verdict').filter({ hasText: 'the case may be published' }).waitFor();
    await next.getByRole('button', { name: 'Publish' }).click();
    await next.getByRole('form', { name: 'Publish' }).locator('button[type=submit]').click();
    await page.getByTestId('case-state').filter({ hasText: 'Published' }).waitFor();

    // 9. The retrospective: drafted from the audit log; the team's feedback and a section; closing
    // it closes the case.
    const retro = page.getByRole('region', { name: 'Retrospective' });
    await retro.getByTestId('retrospective-participants').getByText(TEAM_MEMBER.name).waitFor();
    await retro
      .getByTestId('retrospective-phases')
      .getByRole('row', { name: /Fix Team organised/ })
      .waitFor();
    await retro
      .getByLabel('What went well')
      .fill(`The private repository kept the fix quiet. ${PAYLOADS.section}`);
    await retro.getByRole('button', { name: 'Save the retrospective' }).click();
    await retro.getByText('The retrospective is saved.').waitFor();
    await retro
      .getByLabel('Your feedback')
      .fill(`The override needed a second look: add a runner with the hardware. ${PAYLOADS.feedback}`);
    await retro.getByRole('button', { name: 'Add feedback' }).click();
    await retro
      .getByTestId('retrospective-feedback')
      .getByText(/add a runner with the hardware/)
      .waitFor();
    await shot('06-retrospective');
    await retro.getByRole('button', { name: 'Close the retrospective and the case' }).click();
    await page.getByTestId('case-state').filter({ hasText: 'Closed' }).waitFor();
    await retro
      .getByTestId('retrospective-sections')
      .getByText('The private repository kept the fix quiet.', { exact: false })
      .waitFor();
    // Every payload typed or pushed on this case is on this page now, as text.
    for (const text of [PAYLOADS.section, PAYLOADS.feedback])
      await page.getByText(text, { exact: false }).first().waitFor();
    await noInjectedMarkup(page);
    await shot('07-closed');

    // 10. The inbox: the Fix Lead column and "assigned to me".
    await page.goto(`${baseUrl}/cases?assigned=me`);
    await page.getByLabel('Assigned to me (the cases I lead)').waitFor();
    await expect(page.getByLabel('Assigned to me (the cases I lead)').isChecked()).resolves.toBe(true);
    await page
      .getByTestId('cases')
      .getByRole('row', { name: new RegExp(`${humanId}.*${TEAM_MEMBER.name}`) })
      .waitFor();
    await shot('08-inbox');

    // 11. The engineer's access ended with the publication: the case is gone for them.
    engineer.expected.push({ path: `/api/v1/cases/${humanId}`, status: 404 });
    await ep.goto(`${baseUrl}/cases/${humanId}`);
    await ep.getByRole('heading', { level: 1, name: 'Case not found' }).waitFor();
    await ep.goto(`${baseUrl}/account`);
    await ep.getByTestId('availability').waitFor();
    await engineer.shot('04-account-after');

    expect(team.problems).toEqual([]);
    expect(engineer.problems).toEqual([]);
    await engineer.context.close();
    await team.context.close();
  });
});

/** `epochMs` as a `datetime-local` value in the browser's (here: the test's) time zone. */
function localInput(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
