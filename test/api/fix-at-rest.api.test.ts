/**
 * The fix phase's confidential text is encrypted at rest: canaries written through the real API
 * (watchwords, the upstream project, a release line's override reason, a CI log, the
 * retrospective's sections and feedback) come back decrypted to those who may read them, and the
 * database itself (the SQLite files, or a pg_dump) never holds them.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queueRunsForPush } from '../../src/modules/fix/ci/ci-queue.steps.js';
import { draftRetrospective } from '../../src/modules/fix/retrospective/retrospective.steps.js';
import { findCaseByHumanId } from '../../src/modules/cases/cases.repo.js';
import { projectContextById } from '../../src/modules/cases/case-context.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { dumpDatabase } from '../support/db-dump.js';
import { describeEachDb } from '../support/db.js';
import {
  acceptedCase,
  bearer,
  buildTestApp,
  createUser,
  OPERATOR,
  tokenClient,
  type Client,
  type TestApp,
  seedTeamMember,
} from '../support/app.js';

const SYSTEM = { type: 'system', id: 'test' } as const;

describeEachDb('the fix phase at rest', (get) => {
  let t: TestApp;
  let team: Client;
  let admin: Client;
  const marker = randomBytes(5).toString('hex');
  const canary = (what: string) => `CANARY-${what}-${marker}`;

  beforeAll(async () => {
    t = await buildTestApp(get().db);
    await t.services.projects.createProject(OPERATOR, {
      slug: 'emissary',
      name: 'Emissary',
      policyYaml: getPresetYaml('emissary')
        .replace(/supportedLines: \[\]/, "supportedLines: ['1.28']")
        .replace(/testCommand: null/, 'testCommand: make test')
        .replace(/upstreamRepository: \S+/, 'upstreamRepository: null'),
    });
    const m = await createUser(t);
    await seedTeamMember(t.db, 'emissary', m.email);
    team = await tokenClient(t, m.id);
    admin = await tokenClient(t, (await createUser(t, { isAdmin: true })).id);
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('keeps watchwords, the upstream, override reasons, CI logs and the retrospective encrypted', async () => {
    const id = await acceptedCase(t, 'emissary', team, 'A flaw in the listener');
    const ok = async (res: Promise<{ statusCode: number; body: string }>) => {
      const r = await res;
      expect(r.statusCode, r.body).toBeLessThan(300);
      return r.body;
    };

    // Watchwords and the upstream project the case waits for.
    await ok(team.request('PUT', `/api/v1/cases/${id}/watchwords`, { words: [canary('WATCHWORD')] }));
    await ok(
      team.request('PUT', `/api/v1/cases/${id}/upstream`, {
        name: canary('UPSTREAM'),
        url: 'https://example.org/upstream',
        disclosureAt: '2026-12-24T12:00:00Z',
      }),
    );

    // The advisory names 1.28 affected, so the matrix has a line to override.
    const draft = await team.request('POST', `/api/v1/cases/${id}/advisory`);
    await ok(
      team.request('PUT', `/api/v1/cases/${id}/advisory`, {
        baseRevision: draft.json().revision,
        document: {
          title: 'A flaw in the listener',
          affected: [
            {
              ecosystem: 'Go',
              package: 'github.com/emissary-ingress/emissary',
              ranges: [{ type: 'SEMVER', events: [{ introduced: '1.28.0' }] }],
            },
          ],
        },
      }),
    );
    await ok(
      team.request('POST', `/api/v1/cases/${id}/releases/1.28/override`, { reason: canary('OVERRIDE') }),
    );

    // A runner reports a run whose log holds a canary.
    const c = await findCaseByHumanId(get().db.kysely, id);
    if (!c) throw new Error('no case');
    await get()
      .db.kysely.transaction()
      .execute((trx) =>
        queueRunsForPush(trx, t.clock, c, [{ branch: 'release-1.28', commit: 'a'.repeat(40) }], SYSTEM),
      );
    const { token } = JSON.parse(await ok(admin.request('POST', '/api/v1/runners', { name: 'ci' })));
    const runner = bearer(t, token);
    const claimed = (await runner('POST', '/api/v1/runner/claim')).json().run;
    await ok(
      runner('POST', `/api/v1/runner/runs/${claimed.id}/result`, {
        status: 'failed',
        exitCode: 1,
        timedOut: false,
        log: `FAIL ${canary('CI-LOG')}`,
        attempt: claimed.attempt,
      }),
    );

    // The retrospective, drafted as publication drafts it, with a section and feedback.
    const { policy } = await projectContextById(get().db.kysely, c.project_id);
    await get()
      .db.kysely.transaction()
      .execute(async (trx) => {
        await trx.updateTable('cases').set({ state: 'published' }).where('id', '=', c.id).execute();
        await draftRetrospective(trx, t.clock, c, policy, SYSTEM);
      });
    await ok(
      team.request('PUT', `/api/v1/cases/${id}/retrospective`, { sections: { wentWell: canary('SECTION') } }),
    );
    await ok(
      team.request('POST', `/api/v1/cases/${id}/retrospective/feedback`, { body: canary('FEEDBACK') }),
    );

    // Those who may read them get them back...
    const read = async (url: string) => ok(team.request('GET', url));
    expect(await read(`/api/v1/cases/${id}/watchwords`)).toContain(canary('WATCHWORD'));
    expect(await read(`/api/v1/cases/${id}/phases`)).toContain(canary('UPSTREAM'));
    expect(await read(`/api/v1/cases/${id}/releases`)).toContain(canary('OVERRIDE'));
    expect(await read(`/api/v1/cases/${id}/ci/runs/${claimed.id}/log`)).toContain(canary('CI-LOG'));
    const retro = await read(`/api/v1/cases/${id}/retrospective`);
    expect(retro).toContain(canary('SECTION'));
    expect(retro).toContain(canary('FEEDBACK'));

    // ...and the database holds none of them, only envelopes (the case's human id proves the dump covers it).
    const dump = await dumpDatabase(get());
    expect(dump).toContain(id);
    for (const what of ['WATCHWORD', 'UPSTREAM', 'OVERRIDE', 'CI-LOG', 'SECTION', 'FEEDBACK']) {
      expect(dump, what).not.toContain(canary(what));
    }
    expect(dump).not.toContain(marker);
  });
});
