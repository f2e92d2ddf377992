/**
 * The distributors' portal through the real API on both databases, with a real fix repository
 * (seeded from a local upstream by the real job, git format-patch by the real helpers): a person
 * sees only the cases shared with their organisation while embargoed (another organisation, another
 * project's list, the team and outsiders get 404, and everyone after publication); the case as
 * distributors see it carries nothing of the conversation, the reporter or the CVE id; the embargo
 * end in the person's zone; every opening logged for the team; acknowledgement and feedback; a
 * changed embargo text closes the portal until accepted again; and what people wrote is encrypted at rest.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { createJobRunner } from '../../src/jobs/job.runner.js';
import { projectContextBySlug } from '../../src/modules/cases/case-context.js';
import { distributorEmbargoHash } from '../../src/modules/embargo/portal/portal-access.js';
import { repositorySeedJobHandler } from '../../src/modules/fix/repository/repository-seed.job.js';
import { SEED_JOB } from '../../src/modules/fix/repository/repository.steps.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import {
  buildTestApp,
  createUser,
  OPERATOR,
  tokenClient,
  type Client,
  type TestApp,
  seedTeamMember,
} from '../support/app.js';
import { dumpDatabase } from '../support/db-dump.js';
import { describeEachDb } from '../support/db.js';
import { addDistributor, fileReport, shareCase, type TestDistributor } from '../support/distributors.js';

/** git as a developer runs it, with nothing of this machine's configuration. */
function git(cwd: string, home: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: home,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_TERMINAL_PROMPT: '0',
          GIT_AUTHOR_NAME: 'Eve Engineer',
          GIT_AUTHOR_EMAIL: 'eve@example.org',
          GIT_COMMITTER_NAME: 'Eve Engineer',
          GIT_COMMITTER_EMAIL: 'eve@example.org',
        },
      },
      (err, stdout, stderr) =>
        err ? reject(new Error(`git ${args.join(' ')}: ${stderr}`)) : resolve(stdout.trim()),
    );
  });
}

describeEachDb('the distributors’ portal', (get, dialect) => {
  const root = mkdtempSync(join(tmpdir(), `vigil-portal-${dialect}-`));
  const home = join(root, 'home');
  const upstream = join(root, 'upstream');
  const repositoriesDir = join(root, 'data', 'repositories');
  const marker = randomBytes(5).toString('hex');
  const canary = (what: string) => `CANARY-${what}-${marker}`;
  const CVE = 'CVE-2026-31337';
  let t: TestApp;
  let team: Client;
  let outsider: Client;
  let dA: TestDistributor;
  let dA2: TestDistributor;
  let dB: TestDistributor;
  let x: { id: string; humanId: string; token: string };
  let y: { id: string; humanId: string };

  const ok = async (res: Promise<{ statusCode: number; body: string; json(): unknown }>, status = 200) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(status);
    return r.json() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const portal = (humanId: string, query = '') => `/api/v1/portal/cases/${humanId}${query}`;
  const policyYaml = (upstreamPath: string) =>
    getPresetYaml('contour')
      .replace(/^(\s*upstreamRepository:).*$/m, `$1 ${upstreamPath}`)
      .replace(/^(\s*supportedLines:).*$/m, "$1 ['1.28']");

  beforeAll(async () => {
    mkdirSync(home);
    mkdirSync(upstream);
    const g = (dir: string, ...args: string[]) => git(dir, home, ...args);
    await g(upstream, 'init', '-q', '-b', 'main');
    writeFileSync(join(upstream, 'parser.c'), 'int parse(void) { return 0; }\n');
    await g(upstream, 'add', 'parser.c');
    await g(upstream, 'commit', '-q', '-m', 'Initial parser');
    await g(upstream, 'branch', 'release-1.28');

    t = await buildTestApp(get().db, undefined, { repositoriesDir });
    await t.services.projects.createProject(OPERATOR, {
      slug: 'portal',
      name: 'Portal',
      policyYaml: policyYaml(upstream),
    });
    await t.services.projects.createProject(OPERATOR, {
      slug: 'other',
      name: 'Other',
      policyYaml: policyYaml('null'),
    });
    const member = await createUser(t);
    for (const slug of ['portal', 'other']) await seedTeamMember(t.db, slug, member.email);
    team = await tokenClient(t, member.id);
    outsider = await tokenClient(t, (await createUser(t)).id);
    dA = await addDistributor(t, get().db, 'portal', 'Debonair Linux');
    dA2 = await addDistributor(t, get().db, 'portal', 'Unshared Distro');
    dB = await addDistributor(t, get().db, 'other', 'Other Distro');

    // Case X: a report with everything distributors must not see, accepted, its advisory drafted.
    x = await fileReport(t, 'portal', `Subject ${canary('SUBJECT')}`, {
      name: 'Grace Hopperfield',
      email: `grace-${marker}@example.org`,
    });
    await ok(
      t.app.inject({
        method: 'POST',
        url: `/api/v1/reporter/cases/${x.token}/messages`,
        payload: {
          body: `Conversation ${canary('CONVERSATION')}`,
          attachments: [
            { filename: 'poc.txt', contentBase64: Buffer.from(canary('ATTACHMENT')).toString('base64') },
          ],
        },
      }),
      201,
    );
    await ok(
      team.request('POST', `/api/v1/cases/${x.humanId}/messages`, {
        body: `Note ${canary('NOTE')}`,
        internal: true,
      }),
      201,
    );
    await ok(team.request('POST', `/api/v1/cases/${x.humanId}/transitions`, { to: 'accepted' }));
    await ok(team.request('POST', `/api/v1/cases/${x.humanId}/advisory`), 201);
    await ok(
      team.request('PUT', `/api/v1/cases/${x.humanId}/advisory`, {
        baseRevision: 1,
        document: {
          title: 'Header smuggling in the listener',
          summary: `A request smuggling flaw, ${CVE}`,
          description: `Found by Grace Hopperfield. Tracked as ${CVE}.`,
          workarounds: 'Disable HTTP/1.0.',
          affected: [
            {
              ecosystem: 'Go',
              package: 'github.com/example/portal',
              ranges: [{ type: 'SEMVER', events: [{ introduced: '1.28.0' }, { fixed: '1.28.4' }] }],
            },
          ],
          references: [{ type: 'ADVISORY', url: `https://www.cve.org/CVERecord?id=${CVE}` }],
          credits: [{ name: 'Grace Hopperfield', type: 'FINDER' }],
          severity: { cvss: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] },
        },
      }),
    );
    await ok(team.request('PUT', `/api/v1/cases/${x.humanId}/advisory/cve`, { cveId: CVE }));
    // The fix repository, seeded by the real job; then a fix commit on the 1.28 line (fetched into
    // the bare repository, as a push would leave it).
    const seeded = await createJobRunner({
      db: get().db,
      clock: t.clock,
      handlers: {
        [SEED_JOB]: repositorySeedJobHandler({ db: get().db, repositoriesDir, allowLocalUpstream: true }),
      },
    }).runDueJobsOnce();
    expect(seeded).toMatchObject({ succeeded: 1 });
    const work = join(root, 'work');
    await g(root, 'clone', '-q', '-b', 'release-1.28', join(repositoriesDir, `${x.id}.git`), work);
    writeFileSync(join(work, 'parser.c'), 'int parse(void) { return check_bounds(); }\n');
    await g(work, 'commit', '-q', '-am', 'Tighten a bounds check');
    await g(join(repositoriesDir, `${x.id}.git`), 'fetch', '-q', work, 'release-1.28:release-1.28');
    await shareCase(get().db, x.id, dA.orgId, t.clock.now().toISOString());

    // Case Y of the other project, shared with its list's organisation.
    const filedY = await fileReport(t, 'other', 'Another flaw', {
      name: 'Linus',
      email: 'linus@example.org',
    });
    await ok(team.request('POST', `/api/v1/cases/${filedY.humanId}/transitions`, { to: 'accepted' }));
    await shareCase(get().db, filedY.id, dB.orgId, t.clock.now().toISOString());
    y = filedY;
  });
  afterAll(async () => {
    await t.app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('shows each person only the cases shared with their organisation, and nobody else any', async () => {
    const listA = await ok(dA.client.request('GET', '/api/v1/portal/cases'));
    expect(listA.cases).toEqual([
      expect.objectContaining({
        humanId: x.humanId,
        organisation: 'Debonair Linux',
        title: 'Header smuggling in the listener',
        embargoAccepted: true,
        embargoEndsAt: null,
      }),
    ]);
    expect(
      (await ok(dB.client.request('GET', '/api/v1/portal/cases'))).cases.map(
        (c: { humanId: string }) => c.humanId,
      ),
    ).toEqual([y.humanId]);
    for (const c of [dA2.client, team, outsider]) {
      expect((await ok(c.request('GET', '/api/v1/portal/cases'))).cases).toEqual([]);
    }
    await ok(dA.client.request('GET', portal(x.humanId)));
    // Another organisation of the same list, another project's list, the team, an outsider: as absent.
    const absent = (await dB.client.request('GET', portal('CTR-2026-9999'))).body.replaceAll(
      'CTR-2026-9999',
      'X',
    );
    for (const c of [dA2.client, dB.client, team, outsider]) {
      for (const ref of [x.humanId, x.id]) {
        const res = await c.request('GET', portal(ref));
        expect(res.statusCode).toBe(404);
        expect(res.body.replaceAll(ref, 'X')).toBe(absent);
      }
      expect((await c.request('POST', portal(x.humanId, '/acknowledge'))).statusCode).toBe(404);
    }
    expect((await dA.client.request('GET', portal(y.humanId))).statusCode).toBe(404);
    // A runner or an anonymous caller has no portal.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/portal/cases' })).statusCode).toBe(401);
  });

  it('shows the case as distributors may see it: no conversation, reporter or CVE id; patches and the plan', async () => {
    const res = await dA.client.request('GET', portal(x.humanId, '?timeZone=America/New_York'));
    expect(res.statusCode, res.body).toBe(200);
    for (const secret of [
      CVE,
      'Hopperfield',
      `grace-${marker}`,
      canary('SUBJECT'),
      canary('CONVERSATION'),
      canary('NOTE'),
      canary('ATTACHMENT'),
      'poc.txt',
      'Steps for',
    ]) {
      expect(res.body, secret).not.toContain(secret);
    }
    const view = res.json();
    expect(view.advisory).toMatchObject({
      title: 'Header smuggling in the listener',
      summary: 'A request smuggling flaw, [CVE id withheld]',
      description: 'Found by [withheld]. Tracked as [CVE id withheld].',
      workarounds: 'Disable HTTP/1.0.',
      severity: { score: 9.8, severity: 'critical' },
      patchedVersions: [{ ecosystem: 'Go', package: 'github.com/example/portal', versions: ['1.28.4'] }],
    });
    expect(view.advisory).not.toHaveProperty('references');
    expect(view.advisory).not.toHaveProperty('credits');
    const line = view.patches.find((p: { line: string }) => p.line === '1.28');
    expect(line).toMatchObject({ branch: 'release-1.28', kind: 'patch', state: 'ready', commits: 1 });
    expect(line.mbox).toContain('Subject: [PATCH] Tighten a bounds check');
    expect(line.mbox).not.toContain('Initial parser');
    expect(view.patches.find((p: { line: string }) => p.line === 'main')).toMatchObject({
      state: 'empty',
      mbox: null,
    });
    expect(view.releasePlan.rows.map((r: { line: string; ready: boolean }) => [r.line, r.ready])).toEqual([
      ['1.28', true],
      ['main', true],
    ]);
    expect(view.embargo).toMatchObject({
      endsAt: null,
      timeZone: 'America/New_York',
      projectTimeZone: 'UTC',
    });
    expect(view.abilities).toEqual({ respond: true, answerDate: true });

    // The embargo end, once decided, in UTC and in the person's zone.
    await ok(
      team.request('POST', `/api/v1/cases/${x.humanId}/disclosure-date`, {
        action: 'decide',
        at: '2026-12-01T15:00:00Z',
        timeZone: 'UTC',
      }),
    );
    const dated = await ok(dA.client.request('GET', portal(x.humanId, '?timeZone=America/New_York')));
    expect(dated.embargo).toEqual({
      endsAt: '2026-12-01T15:00:00.000Z',
      utc: 'Tuesday, 1 December 2026 at 15:00 (UTC)',
      local: 'Tuesday, 1 December 2026 at 10:00 (America/New_York)',
      timeZone: 'America/New_York',
      projectTimeZone: 'UTC',
    });
    expect((await dA.client.request('GET', portal(x.humanId, '?timeZone=Mars/Olympus'))).statusCode).toBe(
      400,
    );
    expect((await ok(dA.client.request('GET', portal(x.humanId)))).embargo.timeZone).toBe('UTC');
  });

  it('logs everything a person opens or does through the portal, for the team on the case', async () => {
    const before = await ok(team.request('GET', `/api/v1/cases/${x.humanId}/portal-log`));
    await ok(dA.client.request('GET', '/api/v1/portal/cases'));
    await ok(dA.client.request('GET', portal(x.humanId)));
    await ok(dA.client.request('GET', `/api/v1/cases/${x.humanId}/disclosure-date`));
    const log = await ok(team.request('GET', `/api/v1/cases/${x.humanId}/portal-log`));
    const added = log.entries.slice(0, log.entries.length - before.entries.length);
    expect(added.map((e: { what: string }) => e.what)).toEqual(['disclosure-date', 'case', 'listed']);
    expect(added[1]).toMatchObject({
      who: { userId: dA.user.id, email: dA.user.email },
      organisation: 'Debonair Linux',
      detail: expect.stringMatching(/^advisory CTR-ADV-\d{4}-\d{4}; patches 1\.28; release plan$/),
      at: t.clock.now().toISOString(),
    });
    // Only the team reads the log; the person's own requests are not answered there.
    for (const c of [dA.client, dB.client, outsider]) {
      expect((await c.request('GET', `/api/v1/cases/${x.humanId}/portal-log`)).statusCode).toBe(404);
    }
  });

  it('records an acknowledgement once and feedback for the team, each logged and audited', async () => {
    const first = await ok(dA.client.request('POST', portal(x.humanId, '/acknowledge')));
    t.clock.advance(60_000);
    const again = await ok(dA.client.request('POST', portal(x.humanId, '/acknowledge')));
    expect(again.acknowledgedAt).toBe(first.acknowledgedAt);
    const fb = await ok(
      dA.client.request('POST', portal(x.humanId, '/feedback'), {
        body: `Builds fine. ${canary('FEEDBACK')}`,
      }),
      201,
    );
    expect(
      (await dA.client.request('POST', portal(x.humanId, '/feedback'), { body: '   ' })).statusCode,
    ).toBe(400);
    const view = await ok(dA.client.request('GET', portal(x.humanId)));
    expect(view.acknowledgedAt).toBe(first.acknowledgedAt);
    expect(view.feedback).toEqual([
      expect.objectContaining({ id: fb.id, body: `Builds fine. ${canary('FEEDBACK')}` }),
    ]);
    const log = await ok(team.request('GET', `/api/v1/cases/${x.humanId}/portal-log`));
    expect(log.acknowledgements).toEqual([
      {
        userId: dA.user.id,
        name: expect.any(String),
        organisation: 'Debonair Linux',
        at: first.acknowledgedAt,
      },
    ]);
    expect(log.feedback).toEqual([
      expect.objectContaining({ organisation: 'Debonair Linux', body: `Builds fine. ${canary('FEEDBACK')}` }),
    ]);
    expect(
      log.entries.filter((e: { what: string }) => ['acknowledged', 'feedback'].includes(e.what)),
    ).toHaveLength(2);
    const events = await get()
      .db.kysely.selectFrom('audit_events')
      .select(['action', 'data_json'])
      .where('subject_id', '=', x.id)
      .where('action', 'in', ['portal.case_acknowledged', 'portal.feedback_added'])
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['portal.case_acknowledged', 'portal.feedback_added']);
    for (const e of events) expect(e.data_json).not.toContain('Builds fine');
  });

  it('closes the portal to a person whose accepted embargo text is no longer the current one, until they accept it', async () => {
    const project = await projectContextBySlug(get().db.kysely, 'portal');
    const changed = policyYaml(upstream).replace(
      'The information that members receive',
      'As of this year, the information that members receive',
    );
    await t.services.projects.updatePolicy(OPERATOR, 'portal', { yaml: changed });
    for (const [method, path] of [
      ['GET', portal(x.humanId)],
      ['POST', portal(x.humanId, '/acknowledge')],
      ['GET', `/api/v1/cases/${x.humanId}/disclosure-date`],
    ] as const) {
      const res = await dA.client.request(method, path);
      expect(res.statusCode, `${method} ${path}`).toBe(409);
      expect(res.json().code).toBe('embargo_not_accepted');
    }
    // The list says only that the project asks for the current text: no case, organisation or date.
    const listedBefore = await ok(team.request('GET', `/api/v1/cases/${x.humanId}/portal-log`));
    const list = await dA.client.request('GET', '/api/v1/portal/cases');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().cases).toEqual([
      {
        caseId: null,
        humanId: null,
        project: { slug: 'portal', name: 'Portal' },
        organisation: null,
        title: null,
        embargoEndsAt: null,
        embargoAccepted: false,
        acknowledgedAt: null,
      },
    ]);
    for (const word of [x.humanId, x.id, 'Debonair Linux', '2026-12-01'])
      expect(list.body).not.toContain(word);
    expect((await ok(team.request('GET', `/api/v1/cases/${x.humanId}/portal-log`))).entries).toHaveLength(
      listedBefore.entries.length,
    );
    // Accepting the new text (the account page's work) opens it again.
    const now = await projectContextBySlug(get().db.kysely, 'portal');
    expect(distributorEmbargoHash(now.policy)).not.toBe(distributorEmbargoHash(project.policy));
    await get()
      .db.kysely.updateTable('distributor_people')
      .set({ embargo_hash: distributorEmbargoHash(now.policy) })
      .where('id', '=', dA.personId)
      .execute();
    await ok(dA.client.request('GET', portal(x.humanId)));
  });

  it('keeps the words of feedback, notes and reasons encrypted at rest', async () => {
    const dates = `/api/v1/cases/${x.humanId}/disclosure-date`;
    const proposed = await ok(
      team.request('POST', dates, {
        action: 'propose',
        at: '2026-12-02T15:00:00Z',
        timeZone: 'UTC',
        note: canary('PROPOSAL-NOTE'),
      }),
    );
    await ok(
      dA.client.request('POST', dates, {
        action: 'respond',
        proposalId: proposed.proposals.at(-1).id,
        answer: 'object',
        reason: canary('OBJECTION'),
      }),
    );
    await ok(
      team.request('POST', dates, {
        action: 'decide',
        proposalId: proposed.proposals.at(-1).id,
        note: canary('DECISION-NOTE'),
      }),
    );
    const read = JSON.stringify(await ok(team.request('GET', dates)));
    for (const what of ['PROPOSAL-NOTE', 'OBJECTION', 'DECISION-NOTE']) expect(read).toContain(canary(what));
    const dump = await dumpDatabase(get());
    expect(dump).toContain(x.humanId);
    for (const what of ['FEEDBACK', 'PROPOSAL-NOTE', 'OBJECTION', 'DECISION-NOTE', 'CONVERSATION']) {
      expect(dump, what).not.toContain(canary(what));
    }
  });

  it('withholds a patch series that names the reporter or a CVE id, and tells the team why in the log', async () => {
    const zCve = 'CVE-2026-31338';
    const z = await fileReport(t, 'portal', 'A third flaw', {
      name: 'Zoe Quillfeather',
      email: `zoe-${marker}@example.org`,
    });
    await ok(team.request('POST', `/api/v1/cases/${z.humanId}/transitions`, { to: 'accepted' }));
    await ok(team.request('POST', `/api/v1/cases/${z.humanId}/advisory`), 201);
    await ok(
      team.request('PUT', `/api/v1/cases/${z.humanId}/advisory`, {
        baseRevision: 1,
        document: {
          title: 'Parser overflow',
          summary: 'An overflow in the parser.',
          affected: [
            {
              ecosystem: 'Go',
              package: 'github.com/example/portal',
              ranges: [{ type: 'SEMVER', events: [{ introduced: '1.28.0' }, { fixed: '1.28.5' }] }],
            },
          ],
        },
      }),
    );
    await ok(team.request('PUT', `/api/v1/cases/${z.humanId}/advisory/cve`, { cveId: zCve }));
    await createJobRunner({
      db: get().db,
      clock: t.clock,
      handlers: {
        [SEED_JOB]: repositorySeedJobHandler({ db: get().db, repositoriesDir, allowLocalUpstream: true }),
      },
    }).runDueJobsOnce();
    const g = (dir: string, ...args: string[]) => git(dir, home, ...args);
    const bare = join(repositoriesDir, `${z.id}.git`);
    // Line 1.28: a fix crediting the reporter in a trailer. Main: a diff that names the CVE id.
    const line = join(root, 'work-z-1.28');
    await g(root, 'clone', '-q', '-b', 'release-1.28', bare, line);
    writeFileSync(join(line, 'parser.c'), 'int parse(void) { return check_length(); }\n');
    await g(
      line,
      'commit',
      '-q',
      '-am',
      `Check the length first\n\nReported-by: Zoe Quillfeather <zoe-${marker}@example.org>`,
    );
    await g(bare, 'fetch', '-q', line, 'release-1.28:release-1.28');
    const main = join(root, 'work-z-main');
    await g(root, 'clone', '-q', '-b', 'main', bare, main);
    writeFileSync(
      join(main, 'parser.c'),
      'int parse(void) { return check_length(); /* cve_2026_31338 */ }\n',
    );
    await g(main, 'commit', '-q', '-am', 'Check the length first');
    await g(bare, 'fetch', '-q', main, 'main:main');
    await shareCase(get().db, z.id, dA.orgId, t.clock.now().toISOString());
    // Out of the way of the tests that follow once done: published, it leaves the portal.
    onTestFinished(async () => {
      await get().db.kysely.updateTable('cases').set({ state: 'published' }).where('id', '=', z.id).execute();
    });

    const res = await dA.client.request('GET', portal(z.humanId));
    expect(res.statusCode, res.body).toBe(200);
    for (const secret of ['Quillfeather', `zoe-${marker}`, '31338', 'Reported-by', 'check_length']) {
      expect(res.body, secret).not.toContain(secret);
    }
    const patches = res.json().patches as { line: string; state: string; mbox: string | null }[];
    expect(patches.map((p) => [p.line, p.state, p.mbox])).toEqual([
      ['1.28', 'withheld', null],
      ['main', 'withheld', null],
    ]);
    for (const p of patches) expect(p).not.toHaveProperty('reason');
    const log = await ok(team.request('GET', `/api/v1/cases/${z.humanId}/portal-log`));
    expect(log.entries[0]).toMatchObject({
      what: 'case',
      detail: expect.stringContaining(
        'no patches; patches withheld 1.28 (names the reporter or a credited person), main (names a CVE id)',
      ),
    });
  });

  it('ends with publication: the shared case answers 404 and leaves the list', async () => {
    await get().db.kysely.updateTable('cases').set({ state: 'published' }).where('id', '=', x.id).execute();
    const res = await dA.client.request('GET', portal(x.humanId));
    expect(res.statusCode).toBe(404);
    expect((await dA.client.request('GET', `/api/v1/cases/${x.humanId}/disclosure-date`)).statusCode).toBe(
      404,
    );
    expect((await ok(dA.client.request('GET', '/api/v1/portal/cases'))).cases).toEqual([]);
  });
});
