import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit.log.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { describeEachDb } from '../support/db.js';
import { buildTestApp, createUser, signIn, type Client, type TestApp } from '../support/app.js';

describeEachDb('projects API', (get) => {
  let t: TestApp;
  let admin: Client;
  let team: Client;
  let stranger: Client;
  let teamEmail: string;
  const slug = 'contour';

  beforeAll(async () => {
    t = await buildTestApp(get().db);
    const a = await createUser(t, { isAdmin: true });
    const m = await createUser(t);
    const s = await createUser(t);
    teamEmail = m.email;
    admin = await signIn(t, a.email);
    team = await signIn(t, m.email);
    stranger = await signIn(t, s.email);
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('lets an admin create a project from a preset, and refuses an unknown preset by name', async () => {
    const created = await admin.request('POST', '/api/v1/projects', {
      slug,
      name: 'Contour',
      preset: 'contour',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().project).toMatchObject({ slug, name: 'Contour', policyVersion: 1 });

    const unknown = await admin.request('POST', '/api/v1/projects', {
      slug: 'other',
      name: 'Other',
      preset: 'nginx',
    });
    expect(unknown.statusCode).toBe(422);
    expect(JSON.stringify(unknown.json())).toContain('contour');
    const dup = await admin.request('POST', '/api/v1/projects', { slug, name: 'Again', preset: 'contour' });
    expect(dup.statusCode).toBe(409);
    const badSlug = await admin.request('POST', '/api/v1/projects', {
      slug: 'Bad Slug!',
      name: 'x',
      preset: 'contour',
    });
    expect(badSlug.statusCode).toBe(400);
    expect(badSlug.json().issues[0].path).toBe('body.slug');
    // Only admins create projects; others do not even learn the route works.
    expect(
      (await team.request('POST', '/api/v1/projects', { slug: 'mine', name: 'Mine', preset: 'contour' }))
        .statusCode,
    ).toBe(404);
  });

  it('shows a project to its team and admins, and 404 to everyone else', async () => {
    const added = await admin.request('POST', `/api/v1/projects/${slug}/members`, {
      email: teamEmail,
      role: 'security-team',
    });
    expect(added.statusCode).toBe(201);
    const asTeam = await team.request('GET', `/api/v1/projects/${slug}`);
    expect(asTeam.statusCode).toBe(200);
    expect(asTeam.json().abilities).toMatchObject({
      'project.policy.update': true,
      // A member may ask to add someone, and approve another's request (issue 11, item 2).
      'project.members.manage': false,
      'project.members.request': true,
      'project.members.approve': true,
    });
    expect(asTeam.json().policy.yaml).toContain('businessDays: 3');
    // The current policy's rejection reasons: what the inbox's bulk rejection offers.
    expect(asTeam.json().rejectionCategories).toEqual(['not-a-vulnerability', 'lack-of-safe-defaults']);

    const asStranger = await stranger.request('GET', `/api/v1/projects/${slug}`);
    const missing = await stranger.request('GET', '/api/v1/projects/no-such-project');
    expect(asStranger.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(asStranger.json().detail).toBe("Project 'contour' was not found.");
    expect((await stranger.request('GET', '/api/v1/projects')).json()).toEqual({ projects: [] });
    expect(
      (await team.request('GET', '/api/v1/projects')).json().projects.map((p: { slug: string }) => p.slug),
    ).toEqual([slug]);
  });

  it('versions every policy change and audits it', async () => {
    const current = (await team.request('GET', `/api/v1/projects/${slug}`)).json();
    const yaml = (current.policy.yaml as string).replace('businessDays: 3', 'businessDays: 5');
    const saved = await team.request('PUT', `/api/v1/projects/${slug}/policy`, {
      yaml,
      baseVersion: current.policyVersion,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({ version: current.policyVersion + 1 });

    const versions = (await team.request('GET', `/api/v1/projects/${slug}/policy/versions`)).json().versions;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([
      current.policyVersion + 1,
      current.policyVersion,
    ]);
    const old = await team.request(
      'GET',
      `/api/v1/projects/${slug}/policy/versions/${current.policyVersion}`,
    );
    expect(old.json().yaml).toContain('businessDays: 3');

    const events = await get()
      .db.kysely.selectFrom('audit_events')
      .select(['action', 'data_json'])
      .where('action', '=', 'project.policy_updated')
      .execute();
    expect(events.map((e) => JSON.parse(e.data_json).version)).toContain(current.policyVersion + 1);
    expect(await verifyAuditChain(get().db)).toMatchObject({ ok: true });
  });

  it('accepts the policy file itself as application/yaml', async () => {
    const current = (await team.request('GET', `/api/v1/projects/${slug}`)).json();
    const yaml = (current.policy.yaml as string).replace(/maxEmbargoDays: \d+/, 'maxEmbargoDays: 20');
    const res = await team.request('PUT', `/api/v1/projects/${slug}/policy`, yaml, {
      'content-type': 'application/yaml',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ version: current.policyVersion + 1 });
    expect((await team.request('GET', `/api/v1/projects/${slug}`)).json().policy.yaml).toContain(
      'maxEmbargoDays: 20',
    );
  });

  it('queues concurrent saves without a base version: each gets its own version', async () => {
    const current = (await team.request('GET', `/api/v1/projects/${slug}`)).json();
    const saves = await Promise.all(
      [21, 22, 23, 24, 25].map((days) =>
        admin.request('PUT', `/api/v1/projects/${slug}/policy`, {
          yaml: (current.policy.yaml as string).replace(/maxEmbargoDays: \d+/, `maxEmbargoDays: ${days}`),
        }),
      ),
    );
    expect(saves.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    const versions = saves.map((r) => r.json().version as number).sort((a, b) => a - b);
    expect(versions).toEqual([1, 2, 3, 4, 5].map((i) => current.policyVersion + i));
  });

  it('refuses a stale edit with 409 and writes nothing', async () => {
    const current = (await team.request('GET', `/api/v1/projects/${slug}`)).json();
    const stale = await admin.request('PUT', `/api/v1/projects/${slug}/policy`, {
      yaml: current.policy.yaml,
      baseVersion: current.policyVersion - 1,
    });
    expect(stale.statusCode).toBe(409);
    expect((await team.request('GET', `/api/v1/projects/${slug}`)).json().policyVersion).toBe(
      current.policyVersion,
    );
  });

  it('rejects an invalid policy naming the field and the line, and writes nothing', async () => {
    const before = (await team.request('GET', `/api/v1/projects/${slug}`)).json();
    const lines = (before.policy.yaml as string).split('\n');
    const lineNo = lines.findIndex((l) => l.includes('businessDays:')) + 1;
    const yaml = (before.policy.yaml as string).replace(/businessDays: \d+/, 'businessDays: soon');
    const res = await team.request('PUT', `/api/v1/projects/${slug}/policy`, {
      yaml,
      baseVersion: before.policyVersion,
    });
    expect(res.statusCode).toBe(422);
    const issue = res.json().issues.find((i: { path: string }) => i.path.endsWith('businessDays'));
    expect(issue).toMatchObject({ line: lineNo });
    const after = (await team.request('GET', `/api/v1/projects/${slug}`)).json();
    expect(after.policyVersion).toBe(before.policyVersion);
    expect(after.policy.yaml).toBe(before.policy.yaml);

    const broken = await team.request('PUT', `/api/v1/projects/${slug}/policy`, {
      yaml: 'timeZone: [unclosed',
      baseVersion: before.policyVersion,
    });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().issues[0].line).toBe(1);
  });

  it('renders a SECURITY.md preview as sanitised HTML', async () => {
    const yaml = getPresetYaml('contour').replace('businessDays: 3', 'businessDays: 4');
    const res = await team.request('POST', '/api/v1/policy/render', { yaml });
    expect(res.statusCode).toBe(200);
    expect(res.json().markdown).toContain('4 business days');
    expect(res.json().html).toContain('4 business days');
    expect(res.json().html).not.toContain('<script');
  });

  it('keeps team notes encrypted at rest and away from admins who are not on the team', async () => {
    const secret = 'Escalation: call Alice on +1 555 0100';
    expect(
      (await team.request('PUT', `/api/v1/projects/${slug}/team-notes`, { notes: secret })).statusCode,
    ).toBe(204);
    expect((await team.request('GET', `/api/v1/projects/${slug}/team-notes`)).json()).toEqual({
      notes: secret,
    });
    expect((await admin.request('GET', `/api/v1/projects/${slug}/team-notes`)).statusCode).toBe(404);
    const row = await get()
      .db.kysely.selectFrom('projects')
      .select('team_notes_enc')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    expect(row.team_notes_enc).toMatch(/^v1\./);
    expect(row.team_notes_enc).not.toContain('Alice');
  });
});
