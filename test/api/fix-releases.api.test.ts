/**
 * The release matrix through the API (PROCESS.md §5, §8): from the policy's supported lines and the
 * advisory's affected ranges, the rows that must ship, each with its fix branch's newest CI run;
 * blocked lines, the Fix Lead's override, recorded releases, and the guards that hold the case at
 * fixing and at disclosure-scheduled until every line is green (or overridden) and every release
 * is published. The case's severity is its advisory's.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queueRunsForPush } from '../../src/modules/fix/ci/ci-queue.steps.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { describeEachDb } from '../support/db.js';
import {
  acceptedCase,
  buildTestApp,
  createUser,
  OPERATOR,
  tokenClient,
  type Client,
  type TestApp,
  seedTeamMember,
} from '../support/app.js';

const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H'; // 9.6
const LOW = 'CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N'; // 2.0

type Events = Record<string, string>[];
type Board = {
  outcome: string;
  explanation: string;
  rows: {
    line: string;
    branch: string;
    kind: string;
    blocker: boolean;
    release: { version: string | null; plannedAt: string | null; state: string; url: string | null } | null;
    ci: { state: string; commit: string } | null;
    green: boolean;
    override: { reason: string; by: string; at: string } | null;
    blocked: boolean;
  }[];
  lines: { line: string; affected: boolean }[];
  publicIssue: boolean;
  cveWarranted: boolean | null;
  ciRequired: boolean;
  publishable: boolean;
  blockers: string[];
};

/** A policy of the preset with two supported lines and, unless `ci` is false, a test command. */
function policyYaml(preset: string, ci = true): string {
  const yaml = getPresetYaml(preset).replace(/supportedLines: \[\]/, "supportedLines: ['1.27', '1.28']");
  return ci ? yaml.replace(/testCommand: null/, 'testCommand: make test') : yaml;
}

describeEachDb('release matrix API', (get) => {
  let t: TestApp;
  let team: Client;
  let leadName: string;
  const slug = 'emissary';

  beforeAll(async () => {
    t = await buildTestApp(get().db);
    await t.services.projects.createProject(OPERATOR, {
      slug,
      name: 'Emissary',
      policyYaml: policyYaml('emissary'),
    });
    await t.services.projects.createProject(OPERATOR, {
      slug: 'contour',
      name: 'Contour',
      policyYaml: policyYaml('contour', false),
    });
    const m = await createUser(t);
    leadName = m.name;
    for (const s of [slug, 'contour']) await seedTeamMember(t.db, s, m.email);
    team = await tokenClient(t, m.id);
  });
  afterAll(async () => {
    await t.app.close();
  });

  const releases = async (id: string): Promise<Board> => {
    const res = await team.request('GET', `/api/v1/cases/${id}/releases`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Board;
  };
  const move = (id: string, to: string, extra: Record<string, unknown> = {}) =>
    team.request('POST', `/api/v1/cases/${id}/transitions`, { to, ...extra });

  /** Drafts and saves the advisory with these ranges and vector. */
  async function advisory(id: string, events: Events, vector = CRITICAL) {
    const created = await team.request('POST', `/api/v1/cases/${id}/advisory`);
    expect(created.statusCode, created.body).toBeLessThan(300);
    const saved = await team.request('PUT', `/api/v1/cases/${id}/advisory`, {
      baseRevision: created.json().revision,
      document: {
        title: 'A flaw in the listener',
        affected: [
          {
            ecosystem: 'Go',
            package: 'github.com/emissary-ingress/emissary',
            ranges: [{ type: 'SEMVER', events }],
          },
        ],
        severity: { cvss: [{ vector }] },
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
  }

  /** Queues runs for pushed heads as a push would, then sets their results as a runner would. */
  async function ci(id: string, results: Record<string, 'passed' | 'failed' | 'queued'>, commit = 'a') {
    const db = get().db.kysely;
    const c = await db
      .selectFrom('cases')
      .select(['id', 'project_id'])
      .where('human_id', '=', id)
      .executeTakeFirstOrThrow();
    const heads = Object.keys(results).map((branch) => ({ branch, commit: commit.repeat(40).slice(0, 40) }));
    const runIds = await db
      .transaction()
      .execute((trx) => queueRunsForPush(trx, t.clock, c, heads, { type: 'system', id: 'test' }));
    expect(runIds).toHaveLength(heads.length);
    for (const [branch, state] of Object.entries(results)) {
      if (state === 'queued') continue;
      await db
        .updateTable('ci_runs')
        .set({ state, finished_at: t.clock.now().toISOString(), exit_code: state === 'passed' ? 0 : 1 })
        .where('case_id', '=', c.id)
        .where('branch', '=', branch)
        .where('state', '=', 'queued')
        .execute();
    }
  }

  it('makes the advisory’s CVSS the case’s severity', async () => {
    const id = await acceptedCase(t, slug, team, 'Severity follows the advisory');
    const before = (await team.request('GET', `/api/v1/cases/${id}`)).json();
    expect(before).toMatchObject({ severity: null, cvssScore: null });
    await advisory(id, [{ introduced: '1.27.0' }, { fixed: '1.28.4' }]);
    const after = (await team.request('GET', `/api/v1/cases/${id}`)).json();
    expect(after).toMatchObject({ severity: 'critical', cvssScore: 9.6 });
    const inbox = (await team.request('GET', `/api/v1/cases?project=${slug}`)).json().cases;
    expect(inbox.find((c: { humanId: string }) => c.humanId === id)).toMatchObject({
      severity: 'critical',
      cvssScore: 9.6,
    });
    // A new revision with another score moves the case with it.
    const rev = (await team.request('GET', `/api/v1/cases/${id}/advisory`)).json();
    await team.request('PUT', `/api/v1/cases/${id}/advisory`, {
      baseRevision: rev.revision,
      document: { ...rev.document, severity: { cvss: [{ vector: LOW }] } },
    });
    expect((await team.request('GET', `/api/v1/cases/${id}`)).json()).toMatchObject({
      severity: 'low',
      cvssScore: 2,
    });
  });

  it('is unknown until the advisory names affected versions, and blocks the fix until then', async () => {
    const id = await acceptedCase(t, slug, team, 'No advisory yet');
    const none = await releases(id);
    expect(none).toMatchObject({ outcome: 'unknown', rows: [], publishable: false });
    expect(none.explanation).toContain('no advisory yet');
    expect((await move(id, 'fixing')).statusCode).toBe(200);
    const blocked = await move(id, 'fix-ready');
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().code).toBe('transition_blocked');
    expect(blocked.json().detail).toContain('The release matrix is unknown');
  });

  it('holds the fix at every line without a green run until the Fix Lead overrides it, then waits for every release', async () => {
    const id = await acceptedCase(t, slug, team, 'Patch every supported line');
    await advisory(id, [{ introduced: '1.27.0' }, { fixed: '1.28.4' }]);
    let board = await releases(id);
    expect(board).toMatchObject({
      outcome: 'patch-releases',
      ciRequired: true,
      publishable: false,
      cveWarranted: true,
    });
    expect(board.rows.map((r) => [r.line, r.branch, r.kind, r.blocked])).toEqual([
      ['1.27', 'release-1.27', 'patch', true],
      ['1.28', 'release-1.28', 'patch', true],
      ['main', 'main', 'main-fix', true],
    ]);
    expect(board.blockers).toContain(
      'Line 1.27 (release-1.27) has no CI run: push the fix to release-1.27, or override the line with a reason.',
    );

    expect((await move(id, 'fixing')).statusCode).toBe(200);
    const noRuns = await move(id, 'fix-ready');
    expect(noRuns.statusCode).toBe(409);
    expect(noRuns.json().code).toBe('transition_blocked');
    for (const branch of ['release-1.27', 'release-1.28', 'main'])
      expect(noRuns.json().detail).toContain(branch);

    // The runner reports green on 1.27 and main, red on 1.28.
    await ci(id, { 'release-1.27': 'passed', 'release-1.28': 'failed', main: 'passed' });
    board = await releases(id);
    const row = (line: string) => board.rows.find((r) => r.line === line);
    expect(row('1.27')).toMatchObject({
      green: true,
      blocked: false,
      ci: { state: 'passed', commit: 'a'.repeat(40) },
    });
    expect(row('1.28')).toMatchObject({ green: false, blocked: true, ci: { state: 'failed' } });
    const red = await move(id, 'fix-ready');
    expect(red.statusCode).toBe(409);
    expect(red.json().detail).toContain('Line 1.28 (release-1.28) has no green run');
    expect(red.json().detail).not.toContain('release-1.27');

    // A newer push on 1.27 waits for its own run.
    await ci(id, { 'release-1.27': 'queued' }, 'b');
    expect((await releases(id)).rows[0]).toMatchObject({
      green: false,
      blocked: true,
      ci: { state: 'queued' },
    });
    await ci(id, { 'release-1.27': 'passed' }, 'c');

    // The Fix Lead goes on without a green run on 1.28, for a reason kept encrypted.
    const reason = 'The red test is flaky upstream (tracked), the fix itself is verified by hand.';
    const overridden = await team.request('POST', `/api/v1/cases/${id}/releases/1.28/override`, { reason });
    expect(overridden.statusCode, overridden.body).toBe(200);
    expect((overridden.json() as Board).rows[1]).toMatchObject({
      blocked: false,
      override: { reason, by: leadName, at: t.clock.now().toISOString() },
    });
    const stored = await get()
      .db.kysely.selectFrom('case_releases')
      .select(['override_reason_enc', 'override_by'])
      .where('line', '=', '1.28')
      .executeTakeFirstOrThrow();
    expect(stored.override_reason_enc).not.toContain('flaky');
    const empty = await team.request('POST', `/api/v1/cases/${id}/releases/1.28/override`, { reason: '  ' });
    expect(empty.statusCode).toBe(400);

    expect((await move(id, 'fix-ready')).statusCode).toBe(200);
    expect(
      (await move(id, 'disclosure-scheduled', { disclosureAt: '2026-12-01T15:00:00Z' })).statusCode,
    ).toBe(200);
    const unpublished = await move(id, 'published');
    expect(unpublished.statusCode).toBe(409);
    expect(unpublished.json().detail).toContain('The patch release on 1.27 is not published (not recorded).');
    expect(unpublished.json().detail).toContain('The patch release on 1.28 is not published (planned).');

    // Recording releases: bounded, of their line, and never for the main row.
    const put = (line: string, body: unknown) =>
      team.request('PUT', `/api/v1/cases/${id}/releases/${line}`, body);
    expect((await put('1.27', { state: 'published' })).json().issues).toEqual([
      { path: 'version', message: 'is required for a release that is published' },
    ]);
    const wrongLine = await put('1.27', { version: '1.28.5', state: 'planned' });
    expect(wrongLine.statusCode).toBe(422);
    expect(wrongLine.json().issues[0].message).toContain('a version of line 1.27');
    expect((await put('1.27', { version: '1.27.9; rm -rf /', state: 'planned' })).statusCode).toBe(400);
    expect(
      (await put('1.27', { version: '1.27.9', state: 'planned', url: 'javascript:alert(1)' })).statusCode,
    ).toBe(400);
    expect((await put('1.27', { version: '1.27.9', state: 'shipped' })).statusCode).toBe(400);
    const main = await put('main', { state: 'planned' });
    expect(main.statusCode).toBe(409);
    expect(main.json().detail).toContain('no release of its own');
    const notInMatrix = await put('1.26', { version: '1.26.1', state: 'planned' });
    expect(notInMatrix.statusCode).toBe(409);
    expect(notInMatrix.json().detail).toContain('its rows: 1.27, 1.28, main');

    const url = 'https://github.com/emissary-ingress/emissary/releases/tag/v1.27.9';
    const p127 = await put('1.27', {
      version: '1.27.9',
      plannedAt: '2026-11-30T10:00:00Z',
      state: 'published',
      url,
    });
    expect(p127.statusCode, p127.body).toBe(200);
    expect((p127.json() as Board).rows[0]?.release).toEqual({
      version: '1.27.9',
      plannedAt: '2026-11-30T10:00:00.000Z',
      state: 'published',
      url,
    });
    expect((await put('1.28', { version: '1.28.4', state: 'built' })).statusCode).toBe(200);
    const built = await move(id, 'published');
    expect(built.json().detail).toContain('The patch release on 1.28 is not published (built).');
    expect(built.json().detail).not.toContain('1.27');
    // The version recorded earlier is kept when a later record leaves it out.
    const p128 = await put('1.28', { state: 'published' });
    expect((p128.json() as Board).rows[1]?.release).toMatchObject({ version: '1.28.4', state: 'published' });
    expect(p128.json() as Board).toMatchObject({ publishable: true, blockers: [] });

    const published = await move(id, 'published');
    expect(published.statusCode, published.body).toBe(200);
    // After publication the releases are the record of what shipped.
    expect((await put('1.28', { state: 'planned' })).statusCode).toBe(409);

    const actions = await get()
      .db.kysely.selectFrom('audit_events')
      .select(['action', 'data_json'])
      .where('action', 'in', ['case.release_recorded', 'case.release_line_overridden'])
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'case.release_line_overridden',
      'case.release_recorded',
      'case.release_recorded',
      'case.release_recorded',
    ]);
    expect(JSON.parse(actions[1]?.data_json ?? '{}')).toEqual({
      line: '1.27',
      version: '1.27.9',
      state: 'published',
    });
  });

  it('sends a fix that only main carries into the next release, a blocker, recorded as next', async () => {
    const id = await acceptedCase(t, slug, team, 'Only main');
    await advisory(id, [{ introduced: '1.29.0-alpha.1' }]);
    const board = await releases(id);
    expect(board.outcome).toBe('next-release');
    expect(board.rows).toMatchObject([
      { line: 'next', branch: 'main', kind: 'next', blocker: true, blocked: true },
    ]);
    expect(board.explanation).toContain('a release blocker');
    const planned = await team.request('PUT', `/api/v1/cases/${id}/releases/next`, {
      version: '1.29.0',
      state: 'planned',
    });
    expect(planned.statusCode, planned.body).toBe(200);
    expect((planned.json() as Board).blockers).toEqual([
      'The next release (main) has no CI run: push the fix to main, or override the line with a reason.',
      'The next release is not published (planned).',
    ]);
  });

  it('ships nothing when only unsupported lines are affected: a public issue, nothing holds the case', async () => {
    const id = await acceptedCase(t, slug, team, 'Only unsupported');
    await advisory(id, [{ introduced: '1.20.0' }, { fixed: '1.26.3' }], LOW);
    const board = await releases(id);
    expect(board).toMatchObject({
      outcome: 'no-release',
      rows: [],
      publicIssue: true,
      cveWarranted: false,
      publishable: true,
      lines: [
        { line: '1.27', affected: false },
        { line: '1.28', affected: false },
      ],
    });
    expect(board.explanation).toContain('no CVE (CVSS 2.0 is below 4.0)');
    expect((await move(id, 'fixing')).statusCode).toBe(200);
    expect((await move(id, 'fix-ready')).statusCode).toBe(200);
  });

  it('waits for no green run when the policy has no test command', async () => {
    const id = await acceptedCase(t, 'contour', team, 'No CI');
    await advisory(id, [{ introduced: '0' }]);
    const board = await releases(id);
    expect(board).toMatchObject({ outcome: 'patch-releases', ciRequired: false });
    expect(board.rows.every((r) => !r.blocked)).toBe(true);
    expect(board.blockers).toEqual([
      'The patch release on 1.27 is not published (not recorded).',
      'The patch release on 1.28 is not published (not recorded).',
    ]);
  });

  it('records nothing before acceptance', async () => {
    const filed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${slug}/reports`,
      payload: { subject: 'Not yet accepted', reporter: { name: 'Ada' }, reproduction: 'steps' },
    });
    const id = filed.json().humanId as string;
    expect((await releases(id)).outcome).toBe('unknown');
    const res = await team.request('PUT', `/api/v1/cases/${id}/releases/1.28`, {
      version: '1.28.1',
      state: 'planned',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain('from acceptance until publication');
  });
});
