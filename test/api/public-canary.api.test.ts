/**
 * Nothing embargoed ever appears in a public answer (issue 10, item 7), on both databases. Canaries
 * are planted in everything of two embargoed cases (subject, report, reporter's name and email,
 * the advisory's title, summary, description, affected package, commits, credits and CVE id): one
 * scheduled for disclosure, and one whose advisory row says `published` while its case is still
 * embargoed (the site must look at both). A published case carries its own canary, and a canary
 * in its report, which is never public either. Then EVERY public route the app registers (found as
 * the authorization test finds them, so a route added tomorrow is called too) is called with every
 * project, advisory, ecosystem and OSV query that names the embargoed advisories, archives are
 * unzipped, and every answer (body and headers) is searched. The published canary must appear
 * where a published advisory is listed; the embargoed ones nowhere, until the case is published.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import {
  createUser,
  OPERATOR,
  tokenClient,
  type Client,
  type TestApp,
  seedTeamMember,
} from '../support/app.js';
import { describeEachDb } from '../support/db.js';
import { publishCase, scheduleDisclosure } from '../support/publish.js';
import { buildCollecting, isPublicRoute, type RegisteredRoute } from '../support/routes.js';
import { readZip } from '../support/zip-reader.js';

const hex = (n: number) => randomBytes(n).toString('hex');
const cveOf = () => `CVE-2026-${String(100000 + Math.floor(Math.random() * 899999))}`;

/** Everything planted in one case: strings that must stay out of public answers (or appear in them). */
function canaries(kind: string) {
  const tag = `${kind}${hex(6)}`;
  return {
    tag,
    cve: cveOf(),
    subject: `Subject ${tag}`,
    report: `Reproduction ${tag}-report`,
    reporterName: `Reporter ${tag}`,
    reporterEmail: `${tag}@example.org`,
    pkg: `example.com/${tag}/pkg`,
    repo: `https://github.com/example/${tag}`,
    commit: hex(20),
    lastCommit: hex(20),
  };
}
type Canaries = ReturnType<typeof canaries>;

describeEachDb('nothing embargoed on any public route', (get) => {
  const cipher = createKeyring({ current: randomBytes(32) });
  let t: TestApp;
  let routes: RegisteredRoute[];
  let team: Client;
  const slug = `canary-${hex(3)}`;
  const embargoed = canaries('embargoed');
  const trap = canaries('trap');
  const shown = canaries('shown');
  const ids = { embargoed: '', trap: '', shown: '', embargoedCase: '' };

  /** An accepted case of `c`'s canaries with its advisory draft and CVE id; its advisory id. */
  async function plant(c: Canaries): Promise<{ humanId: string; advisoryId: string }> {
    const filed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${slug}/reports`,
      payload: {
        subject: c.subject,
        reporter: { name: c.reporterName, email: c.reporterEmail },
        reproduction: c.report,
        impact: `Impact ${c.tag}`,
      },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const humanId = (filed.json() as { humanId: string }).humanId;
    expect(
      (await team.request('POST', `/api/v1/cases/${humanId}/transitions`, { to: 'accepted' })).statusCode,
    ).toBe(200);
    const created = await team.request('POST', `/api/v1/cases/${humanId}/advisory`);
    const base = created.json() as { advisoryId: string; document: Record<string, unknown> };
    const saved = await team.request('PUT', `/api/v1/cases/${humanId}/advisory`, {
      baseRevision: 1,
      document: {
        ...base.document,
        title: `Title ${c.tag}`,
        summary: `Summary ${c.tag}`,
        description: `Description ${c.tag}`,
        workarounds: `Workaround ${c.tag}`,
        affected: [
          {
            ecosystem: 'Go',
            package: c.pkg,
            ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '9.9.9' }] }],
            versions: ['1.0.0'],
          },
          {
            ranges: [
              {
                type: 'GIT',
                repo: c.repo,
                events: [{ introduced: c.commit }, { last_affected: c.lastCommit }],
              },
            ],
          },
        ],
        references: [{ type: 'WEB', url: `https://example.org/${c.tag}` }],
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const cve = await team.request('PUT', `/api/v1/cases/${humanId}/advisory/cve`, { cveId: c.cve });
    expect(cve.statusCode, cve.body).toBe(200);
    return { humanId, advisoryId: base.advisoryId };
  }

  beforeAll(async () => {
    const db = get().db;
    ({ t, routes } = await buildCollecting(db, cipher));
    await t.services.projects.createProject(OPERATOR, { slug, name: 'Canary Project', preset: 'contour' });
    const member = await createUser(t);
    await seedTeamMember(t.db, slug, member.email);
    team = await tokenClient(t, member.id);

    const e = await plant(embargoed);
    await scheduleDisclosure(t, db, e.humanId);
    const trapped = await plant(trap);
    // An advisory row that says published while its case is embargoed: only the case state tells.
    await db.kysely
      .updateTable('advisories')
      .set({ state: 'published' })
      .where('advisory_id', '=', trapped.advisoryId)
      .execute();
    const s = await plant(shown);
    t.clock.advance(60_000);
    await publishCase(t, db, cipher, s.humanId);
    Object.assign(ids, {
      embargoed: e.advisoryId,
      trap: trapped.advisoryId,
      shown: s.advisoryId,
      embargoedCase: e.humanId,
    });
  });
  afterAll(async () => {
    await t?.app.close();
  });

  /** Values for each path parameter a public route may have; a new one fails the test until added. */
  function paramValues(name: string): string[] {
    const values: Record<string, string[]> = {
      slug: [slug, 'no-such-project'],
      advisoryId: [ids.embargoed, ids.trap, ids.shown],
      ecosystem: ['Go', 'GIT', 'PyPI'],
      token: [`vrt_${'x'.repeat(43)}`],
      attachmentId: [randomUUID()],
      '*': ['index.html'],
    };
    const v = values[name];
    if (!v) throw new Error(`a public route has a parameter the canary test cannot fill: ${name}`);
    return v;
  }

  /** Every URL of `route` with its parameters filled in every combination. */
  function urlsOf(route: RegisteredRoute): string[] {
    let urls = [route.url];
    for (const m of route.url.matchAll(/:([A-Za-z0-9_]+)|\*/g)) {
      const name = m[1] ?? '*';
      urls = urls.flatMap((u) => paramValues(name).map((v) => u.replace(m[0], encodeURIComponent(v))));
    }
    return urls;
  }

  /** OSV queries that name every canary case's package, purl, repository and commits. */
  function osvQueries(): Record<string, unknown>[] {
    return [embargoed, trap, shown].flatMap((c) => [
      { package: { ecosystem: 'Go', name: c.pkg }, version: '1.0.0' },
      { package: { ecosystem: 'Go', name: c.pkg } },
      { package: { name: c.pkg }, version: '2.0.0' },
      { package: { purl: `pkg:golang/${c.pkg}@v1.0.0` } },
      { package: { ecosystem: 'GIT', name: c.repo } },
      { commit: c.commit },
      { commit: c.lastCommit },
    ]);
  }

  function bodiesOf(route: RegisteredRoute): unknown[] {
    if (route.method === 'GET' || route.method === 'HEAD') return [undefined];
    if (route.url === '/osv/v1/query') return osvQueries();
    if (route.url === '/osv/v1/querybatch') return [{ queries: osvQueries() }];
    return [{}];
  }

  /** What an answer says: its headers and body, and the files of an archive. */
  function textOf(res: LightMyRequestResponse): string {
    const headers = JSON.stringify(res.headers);
    // A HEAD answer has the archive's headers and no bytes.
    if (String(res.headers['content-type']).startsWith('application/zip') && res.rawPayload.length > 0) {
      return `${headers}\n${readZip(res.rawPayload)
        .map((f) => `${f.name}\n${f.data.toString('utf8')}`)
        .join('\n')}`;
    }
    return `${headers}\n${res.body}`;
  }

  /** Calls every public route in every way; the answers by `METHOD url`. */
  async function callEveryPublicRoute(): Promise<Map<string, string>> {
    const answers = new Map<string, string>();
    for (const route of routes.filter(isPublicRoute)) {
      for (const url of urlsOf(route)) {
        for (const [i, body] of bodiesOf(route).entries()) {
          const res = await t.app.inject({
            method: route.method as 'GET',
            url,
            ...(body !== undefined && { payload: body as Record<string, unknown> }),
          });
          expect(res.statusCode, `${route.method} ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
          answers.set(`${route.method} ${url} #${i}`, textOf(res));
        }
      }
    }
    return answers;
  }

  const secretsOf = (c: Canaries) => [c.tag, c.cve, c.commit, c.lastCommit];

  it('calls every public route, and no answer carries an embargoed canary or a report', async () => {
    const publicRoutes = routes.filter(isPublicRoute);
    for (const must of [
      'GET /',
      'GET /osv/all.zip',
      'POST /osv/v1/query',
      'POST /osv/v1/querybatch',
      'GET /advisories.atom',
    ]) {
      expect(publicRoutes.map((r) => `${r.method} ${r.url}`)).toContain(must);
    }
    const answers = await callEveryPublicRoute();
    expect(answers.size).toBeGreaterThan(publicRoutes.length);
    const leaks: string[] = [];
    for (const [call, text] of answers) {
      for (const secret of [
        ...secretsOf(embargoed),
        ...secretsOf(trap),
        `${shown.tag}-report`,
        shown.reporterEmail,
      ]) {
        if (text.includes(secret)) leaks.push(`${call} carries ${secret}`);
      }
    }
    expect(leaks).toEqual([]);

    // The control: the published case is listed where published advisories are, with its CVE id.
    const base = `/p/${slug}/advisories`;
    const expected = [
      'GET / #0',
      `GET /p/${slug} #0`,
      `GET ${base} #0`,
      `GET ${base}/${ids.shown} #0`,
      `GET ${base}/${ids.shown}.json #0`,
      `GET ${base}/${ids.shown}.osv.json #0`,
      `GET ${base}.atom #0`,
      `GET ${base}.json #0`,
      'GET /advisories.atom #0',
      'GET /advisories.json #0',
      'GET /osv/all.zip #0',
      'GET /osv/Go/all.zip #0',
      'GET /osv/GIT/all.zip #0',
      'POST /osv/v1/query #14',
      'POST /osv/v1/query #19',
    ];
    for (const call of expected) {
      const text = answers.get(call);
      expect(text, `${call} was not called`).toBeDefined();
      expect(text, `${call} lacks the published canary`).toContain(shown.tag);
    }
    // A batch answers ids only: the published one, never an embargoed one.
    const batch = answers.get('POST /osv/v1/querybatch #0') ?? '';
    expect(batch).toContain(`x_${ids.shown}`);
    expect(batch).not.toContain(ids.embargoed);
    expect(batch).not.toContain(ids.trap);
    for (const call of [
      `GET ${base}/${ids.shown} #0`,
      `GET ${base}/${ids.shown}.osv.json #0`,
      'GET /osv/all.zip #0',
    ]) {
      expect(answers.get(call)).toContain(shown.cve);
    }
  });

  it('answers an embargoed advisory exactly as a nonexistent one, on every route that names one', async () => {
    for (const tail of ['', '.json', '.osv.json']) {
      const absent = await t.app.inject({
        method: 'GET',
        url: `/p/${slug}/advisories/NOPE-ADV-2026-9999${tail}`,
      });
      for (const id of [ids.embargoed, ids.trap]) {
        const res = await t.app.inject({ method: 'GET', url: `/p/${slug}/advisories/${id}${tail}` });
        expect(res.statusCode).toBe(404);
        expect(res.headers['content-type']).toBe(absent.headers['content-type']);
        expect(res.body.split(id).join('ID')).toBe(absent.body.split('NOPE-ADV-2026-9999').join('ID'));
      }
    }
  });

  it('shows the embargoed case once it is published (the search finds what is there)', async () => {
    t.clock.advance(60_000);
    await publishCase(t, get().db, cipher, ids.embargoedCase);
    for (const url of [
      '/advisories.atom',
      `/p/${slug}/advisories/${ids.embargoed}.osv.json`,
      '/osv/all.zip',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(textOf(res), url).toContain(embargoed.tag);
    }
    const query = await t.app.inject({
      method: 'POST',
      url: '/osv/v1/query',
      payload: { commit: embargoed.commit },
    });
    expect(query.body).toContain(embargoed.cve);
    // The report stays private after publication.
    const answers = await callEveryPublicRoute();
    for (const [call, text] of answers) expect(text, call).not.toContain(`${embargoed.tag}-report`);
  });
});
