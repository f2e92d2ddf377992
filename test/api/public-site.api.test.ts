/**
 * The public site on both databases, through HTTP: the front page and project pages (server HTML,
 * readable without JavaScript, the app's CSP, escaped), a published advisory's page, JSON and OSV
 * record, the Atom feeds (well-formed XML, stable ids, newest first), the JSON indexes, OSV's
 * all.zip per ecosystem (each file valid against the OSV schema) and the OSV query API's semantics
 * (SEMVER, ECOSYSTEM with PEP 440, GIT, `versions`, `introduced: 0`, `fixed`, `last_affected`,
 * `limit`, purls, commits, batches, paging) with its refusals. Published advisories come from an
 * import (history) and from a case published as the publication will publish it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import type { OsvRecord } from '../../src/modules/advisory/export/osv.js';
import {
  loadValidator,
  schemaErrors,
  type ValidateStandard,
} from '../../src/modules/advisory/export/export.test-support.js';
import {
  createPublicSiteService,
  OSV_BATCHES_PER_MINUTE,
} from '../../src/modules/public/site/site.service.js';
import { describeEachDb } from '../support/db.js';
import {
  acceptedCase,
  buildTestApp,
  OPERATOR,
  projectWithTeam,
  type Client,
  type TestApp,
} from '../support/app.js';
import { publishCase } from '../support/publish.js';
import { childrenNamed, childText, parseXml, type XmlElement } from '../support/xml.js';
import { readZip } from '../support/zip-reader.js';

type Json = Record<string, unknown>;
const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);
const C3 = 'c'.repeat(40);
const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>';

/** An OSV record to import (a source record of osv.dev's kind). */
function source(id: string, affected: Json[], extra: Json = {}): Json {
  return {
    schema_version: '1.6.0',
    id,
    published: '2025-06-01T00:00:00Z',
    modified: '2025-06-02T00:00:00Z',
    summary: `Summary of ${id}`,
    details: `Details of ${id}.`,
    affected,
    ...extra,
  };
}

const SOURCES: Json[] = [
  source('TEST-SEMVER-1', [
    {
      package: { ecosystem: 'Go', name: 'example.com/semver' },
      ranges: [
        { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.5' }] },
        { type: 'SEMVER', events: [{ introduced: '2.0.0' }, { last_affected: '2.1.0' }] },
        { type: 'SEMVER', events: [{ introduced: '3.0.0' }, { limit: '3.5.0' }] },
      ],
      versions: ['4.0.0'],
    },
  ]),
  source('TEST-PYPI-1', [
    {
      package: { ecosystem: 'PyPI', name: 'Some_Package' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0a1' }, { fixed: '1.0.1' }] }],
    },
  ]),
  source('TEST-GIT-1', [
    {
      ranges: [
        {
          type: 'GIT',
          repo: 'https://github.com/example/cproj',
          events: [{ introduced: C1 }, { last_affected: C2 }],
        },
        {
          type: 'GIT',
          repo: 'https://github.com/example/cproj',
          events: [{ introduced: '0' }, { fixed: C3 }],
        },
      ],
      versions: ['cproj-1.0.0'],
    },
  ]),
  source('TEST-MAVEN-1', [
    {
      package: { ecosystem: 'Maven', name: 'org.example:lib' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }],
      versions: ['1.5'],
    },
  ]),
  source('TEST-NPM-1', [
    {
      package: { ecosystem: 'npm', name: '@scope/pkg' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.4.0' }] }],
    },
  ]),
];

describeEachDb('the public site', (get) => {
  const cipher = createKeyring({ current: randomBytes(32) });
  let t: TestApp;
  let team: Client;
  let validate: ValidateStandard;
  const slug = `site-${randomBytes(3).toString('hex')}`;
  /** Source id -> the OSV id Vigil gives the imported record. */
  const osvIds = new Map<string, string>();
  let own: { humanId: string; advisoryId: string };
  let draft: { humanId: string; advisoryId: string };
  const cve = `CVE-2026-${String(10000 + Math.floor(Math.random() * 89999))}`;

  const get_ = (url: string) => t.app.inject({ method: 'GET', url });
  const post = (url: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url, payload: payload as Json });

  async function advisoryCase(subject: string, document: Json) {
    const humanId = await acceptedCase(t, slug, team, subject);
    const created = await team.request('POST', `/api/v1/cases/${humanId}/advisory`);
    expect(created.statusCode, created.body).toBe(201);
    const base = created.json() as { advisoryId: string; document: Json };
    const saved = await team.request('PUT', `/api/v1/cases/${humanId}/advisory`, {
      document: { ...base.document, ...document },
      baseRevision: 1,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    return { humanId, advisoryId: base.advisoryId };
  }

  beforeAll(async () => {
    validate = await loadValidator();
    t = await buildTestApp(get().db, cipher);
    ({ team } = await projectWithTeam(t, slug, { name: 'Site Demo', preset: 'contour' }));
    const report = await t.services.advisoryImport.importRecords(
      OPERATOR,
      slug,
      SOURCES.map((json) => ({ name: `${String(json.id)}.json`, json })),
    );
    expect(report.failed).toEqual([]);
    for (const i of report.imported) osvIds.set(i.sourceId, `x_${i.advisoryId}`);

    own = await advisoryCase('Own published case', {
      title: `Header injection ${XSS}`,
      summary: 'A crafted header smuggles a request.',
      description: 'Details, with *Markdown* and a [link](https://example.org/fix).',
      affected: [
        {
          ecosystem: 'Go',
          package: 'example.com/own',
          ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.0.3' }] }],
        },
      ],
      severity: { cvss: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] },
    });
    const cveSet = await team.request('PUT', `/api/v1/cases/${own.humanId}/advisory/cve`, { cveId: cve });
    expect(cveSet.statusCode, cveSet.body).toBe(200);
    t.clock.advance(3_600_000);
    await publishCase(t, get().db, cipher, own.humanId);

    draft = await advisoryCase('Still embargoed', {
      title: 'Draft not public',
      summary: 'Not yet.',
      affected: [{ ecosystem: 'Go', package: 'example.com/own', ranges: [] }],
    });
  });
  afterAll(async () => {
    await t?.app.close();
  });

  describe('HTML pages', () => {
    it('serves the front page: every project with its report form, security files, key and advisories', async () => {
      const res = await get_('/');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toBe(String((await get_('/healthz')).headers['content-security-policy']));
      expect(csp).toContain("script-src 'self'");
      expectNoActiveContent(res.body);
      expect(res.body).toContain('<html lang="en">');
      expect(res.body).toContain('<h1>Security reporting and advisories</h1>');
      for (const tail of ['/report', '/security.txt', '/SECURITY.md', '/pgp-key.asc', '/advisories']) {
        expect(res.body).toContain(`href="http://vigil.test/p/${slug}${tail}"`);
      }
      expect(res.body).toContain('>Site Demo</a>');
      expect(res.body).toContain('href="/sign-in"');
      // Contour's policy has a distributors list: its application page is linked.
      expect(res.body).toContain(`/p/${slug}/distributors/apply`);
      expect(res.body).toContain('6 published advisories');
      expect(res.body).not.toContain('Draft not public');
      const css = await get_('/site.css');
      expect(css.statusCode).toBe(200);
      expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    });

    it('serves the project page and its advisories, newest first, escaped', async () => {
      for (const url of [`/p/${slug}`, `/p/${slug}/advisories`]) {
        const res = await get_(url);
        expect(res.statusCode, url).toBe(200);
        expectNoActiveContent(res.body);
        expect(res.body).toContain('Header injection &lt;script&gt;alert(1)&lt;/script&gt;&lt;img');
        expect(res.body).toContain(
          `<a href="http://vigil.test/p/${slug}/advisories/${own.advisoryId}">${cve}</a>`,
        );
        expect(res.body).toContain(`href="http://vigil.test/p/${slug}/advisories.atom"`);
        expect(res.body).not.toContain('Draft not public');
        // Newest first: the published case (an hour later than the import) before the history.
        const history = res.body.indexOf('Summary of TEST-SEMVER-1');
        expect(history).toBeGreaterThan(0);
        expect(res.body.indexOf(cve)).toBeLessThan(history);
      }
      const missing = await get_('/p/no-such-project');
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(missing.body).toContain('<h1>Page not found</h1>');
    });

    it("renders a published advisory's page from the project's template, sanitised, without script", async () => {
      const res = await get_(`/p/${slug}/advisories/${own.advisoryId}`);
      expect(res.statusCode, res.body).toBe(200);
      expectNoActiveContent(res.body);
      expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(res.body).toContain(`<strong>${cve}</strong>`);
      expect(res.body).toContain('<em>Markdown</em>');
      expect(res.body).toContain('href="https://example.org/fix"');
      expect(res.body).toContain(`href="http://vigil.test/p/${slug}/advisories/${own.advisoryId}.osv.json"`);
      // Imported history without every section still has a page.
      const imported = osvIds.get('TEST-GIT-1')?.replace(/^x_/, '') ?? '';
      const page = await get_(`/p/${slug}/advisories/${imported}`);
      expect(page.statusCode, page.body).toBe(200);
      expect(page.body).toContain('Summary of TEST-GIT-1');
    });

    it('answers a draft exactly as a nonexistent advisory', async () => {
      for (const [tail, type] of [
        ['', 'text/html; charset=utf-8'],
        ['.json', 'application/problem+json; charset=utf-8'],
        ['.osv.json', 'application/problem+json; charset=utf-8'],
      ] as const) {
        const hidden = await get_(`/p/${slug}/advisories/${draft.advisoryId}${tail}`);
        const absent = await get_(`/p/${slug}/advisories/NOPE-ADV-2026-9999${tail}`);
        expect(hidden.statusCode).toBe(404);
        expect(hidden.headers['content-type']).toBe(type);
        expect(hidden.body.split(draft.advisoryId).join('ID')).toBe(
          absent.body.split('NOPE-ADV-2026-9999').join('ID'),
        );
      }
    });
  });

  describe('documents and feeds', () => {
    it("serves the advisory's JSON and its OSV record, valid against the OSV schema, with the CVE id", async () => {
      const json = await get_(`/p/${slug}/advisories/${own.advisoryId}.json`);
      expect(json.statusCode).toBe(200);
      expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
      const doc = json.json() as Json;
      expect(doc).toMatchObject({
        format: 'vigil.public-advisory/1',
        id: own.advisoryId,
        cveId: cve,
        state: 'published',
        severity: { severity: 'critical', score: 9.8, version: '3.1' },
        project: { slug, name: 'Site Demo' },
        urls: { osv: `http://vigil.test/p/${slug}/advisories/${own.advisoryId}.osv.json` },
      });
      expect((doc.document as Json).title).toBe(`Header injection ${XSS}`);
      const osv = await get_(`/p/${slug}/advisories/${own.advisoryId}.osv.json`);
      const record = osv.json() as OsvRecord;
      const r = validate('osv', record);
      expect(r.valid, schemaErrors(r)).toBe(true);
      expect(record).toMatchObject({
        id: `x_${own.advisoryId}`,
        aliases: [cve],
        database_specific: { tlp: 'CLEAR' },
      });
      expect(record.published).toBe(doc.published);
    });

    it('serves Atom feeds that parse, list the published advisories newest first, with stable ids', async () => {
      for (const url of [`/p/${slug}/advisories.atom`, '/advisories.atom']) {
        const res = await get_(url);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
        const feed = parseXml(res.body);
        expect(feed.name).toBe('feed');
        expect(feed.attributes.xmlns).toBe('http://www.w3.org/2005/Atom');
        checkAtom(feed);
        const entries = childrenNamed(feed, 'entry');
        expect(entries).toHaveLength(6);
        expect(childText(entries[0] as XmlElement, 'title')).toBe(`${cve}: Header injection ${XSS}`);
        const updated = entries.map((e) => childText(e, 'updated') ?? '');
        expect([...updated].sort().reverse()).toEqual(updated);
        expect(res.body).not.toContain('Draft not public');
        // Read again: the same ids (a feed reader keys entries by them).
        const again = childrenNamed(parseXml((await get_(url)).body), 'entry').map((e) => childText(e, 'id'));
        expect(again).toEqual(entries.map((e) => childText(e, 'id')));
      }
      expect((await get_('/p/no-such-project/advisories.atom')).statusCode).toBe(404);
    });

    it('keeps an entry id when its advisory changes, and moves its updated', async () => {
      const before = childrenNamed(parseXml((await get_('/advisories.atom')).body), 'entry');
      t.clock.advance(60_000);
      const current = (await team.request('GET', `/api/v1/cases/${own.humanId}/advisory`)).json() as {
        revision: number;
        document: Json;
      };
      // A correction after publication: a new revision, so a new `modified`.
      const saved = await team.request('PUT', `/api/v1/cases/${own.humanId}/advisory`, {
        document: { ...current.document, summary: 'A crafted header smuggles a request (corrected).' },
        baseRevision: current.revision,
      });
      expect(saved.statusCode, saved.body).toBe(200);
      const after = childrenNamed(parseXml((await get_('/advisories.atom')).body), 'entry');
      const id = childText(before[0] as XmlElement, 'id');
      expect(childText(after[0] as XmlElement, 'id')).toBe(id);
      expect(childText(after[0] as XmlElement, 'updated')).toBe(
        t.clock
          .now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
      );
      expect(childText(after[0] as XmlElement, 'published')).toBe(
        childText(before[0] as XmlElement, 'published'),
      );
    });

    it('serves the JSON indexes', async () => {
      for (const url of [`/p/${slug}/advisories.json`, '/advisories.json']) {
        const res = await get_(url);
        expect(res.statusCode).toBe(200);
        const index = res.json() as { total: number; truncated: boolean; advisories: Json[] };
        expect(index.total).toBe(6);
        expect(index.truncated).toBe(false);
        expect(index.advisories[0]).toMatchObject({
          id: own.advisoryId,
          cveId: cve,
          osvId: `x_${own.advisoryId}`,
          title: `Header injection ${XSS}`,
          severity: { severity: 'critical' },
          urls: {
            html: `http://vigil.test/p/${slug}/advisories/${own.advisoryId}`,
            json: `http://vigil.test/p/${slug}/advisories/${own.advisoryId}.json`,
          },
        });
        for (const a of index.advisories) expect(Object.keys(a).sort()).toEqual(INDEX_KEYS);
        expect(res.body).not.toContain(draft.advisoryId);
      }
    });

    it('lists every published advisory on every call when there are more than the document cache holds', async () => {
      const site = createPublicSiteService({
        db: get().db,
        clock: t.clock,
        cipher,
        publicUrl: 'http://vigil.test',
        documentCacheSize: 2,
      });
      const expected = (await t.services.publicSite.index()).advisories.map((a) => a.id).sort();
      expect(expected).toHaveLength(6);
      for (let call = 1; call <= 3; call++) {
        const index = await site.index();
        expect(index.total, `call ${call}`).toBe(6);
        expect(index.advisories.map((a) => a.id).sort(), `call ${call}`).toEqual(expected);
      }
    });
  });

  describe('OSV archives', () => {
    async function zipOf(url: string) {
      const res = await get_(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('application/zip');
      return readZip(res.rawPayload);
    }

    it("serves all.zip in osv.dev's layout: one valid record per <id>.json, by id", async () => {
      const files = await zipOf('/osv/all.zip');
      expect(files.map((f) => f.name)).toEqual(
        [...osvIds.values(), `x_${own.advisoryId}`].map((id) => `${id}.json`).sort(),
      );
      for (const f of files) {
        const record = JSON.parse(f.data.toString('utf8')) as OsvRecord;
        const r = validate('osv', record);
        expect(r.valid, `${f.name}: ${schemaErrors(r)}`).toBe(true);
        expect(f.name).toBe(`${record.id}.json`);
        expect(f.modified.getTime()).toBe(Math.floor(new Date(record.modified).getTime() / 2000) * 2000);
      }
      expect(files.map((f) => f.data.toString()).join('\n')).not.toContain('Draft not public');
    });

    it('serves one archive per ecosystem (GIT for git ranges), an empty one for a known ecosystem without records, 404 otherwise', async () => {
      const names = async (url: string) => (await zipOf(url)).map((f) => f.name).sort();
      expect(await names('/osv/Go/all.zip')).toEqual(
        [osvIds.get('TEST-SEMVER-1'), `x_${own.advisoryId}`].map((id) => `${id}.json`).sort(),
      );
      expect(await names('/osv/PyPI/all.zip')).toEqual([`${osvIds.get('TEST-PYPI-1')}.json`]);
      expect(await names('/osv/GIT/all.zip')).toEqual([`${osvIds.get('TEST-GIT-1')}.json`]);
      expect(await names('/osv/crates.io/all.zip')).toEqual([]);
      for (const url of ['/osv/Nope/all.zip', '/osv/go/all.zip']) {
        const res = await get_(url);
        expect(res.statusCode).toBe(404);
        expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      }
      expect((await get_('/osv/ecosystems.txt')).body).toBe('GIT\nGo\nMaven\nPyPI\nnpm\n');
    });
  });

  describe('the OSV query API', () => {
    const ids = async (query: Json): Promise<string[]> => {
      const res = await post('/osv/v1/query', query);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { vulns?: OsvRecord[] };
      return (body.vulns ?? []).map((v) => v.id);
    };
    const go = (version?: string) => ({
      package: { ecosystem: 'Go', name: 'example.com/semver' },
      ...(version !== undefined && { version }),
    });

    it('evaluates SEMVER ranges: introduced 0, fixed, last_affected, limit and the versions list', async () => {
      const hit = [osvIds.get('TEST-SEMVER-1')];
      const cases: [string, boolean][] = [
        ['0.0.1', true],
        ['1.2.4', true],
        ['v1.2.4', true],
        ['1.2.5-rc.1', true],
        ['1.2.5', false],
        ['1.9.9', false],
        ['2.0.0', true],
        ['2.1.0', true],
        ['2.1.1', false],
        ['3.4.99', true],
        ['3.5.0', false],
        ['4.0.0', true],
        ['4.0.1', false],
      ];
      for (const [version, affected] of cases) {
        expect(await ids(go(version)), version).toEqual(affected ? hit : []);
      }
      // Without a version, every advisory of the package.
      expect(await ids(go())).toEqual(hit);
    });

    it('answers the full record, and {} when nothing matches', async () => {
      const res = await post('/osv/v1/query', go('1.0.0'));
      const [record] = (res.json() as { vulns: OsvRecord[] }).vulns;
      expect(validate('osv', record).valid).toBe(true);
      expect(record?.affected?.[0]?.package?.name).toBe('example.com/semver');
      const none = await post('/osv/v1/query', go('9.9.9'));
      expect(none.statusCode).toBe(200);
      expect(none.json()).toEqual({});
    });

    it('evaluates ECOSYSTEM ranges of PyPI by PEP 440, with normalised names', async () => {
      const hit = [osvIds.get('TEST-PYPI-1')];
      for (const [version, affected] of [
        ['1.0a0', false],
        ['1.0a1', true],
        ['1.0rc1', true],
        ['1.0', true],
        ['1.0.0', true],
        ['1.0.1.dev0', true],
        ['1.0.1', false],
        ['1.0.1.post1', false],
      ] as const) {
        expect(await ids({ package: { ecosystem: 'PyPI', name: 'some-package' }, version }), version).toEqual(
          affected ? hit : [],
        );
      }
    });

    it('matches only the versions list of an ecosystem it has no ordering for (Maven)', async () => {
      const q = (version: string) => ({ package: { ecosystem: 'Maven', name: 'org.example:lib' }, version });
      expect(await ids(q('1.5'))).toEqual([osvIds.get('TEST-MAVEN-1')]);
      expect(await ids(q('1.6'))).toEqual([]);
    });

    it('reads purls, and answers an unknown purl type with nothing', async () => {
      expect(await ids({ package: { purl: 'pkg:npm/%40scope/pkg@1.3.9' } })).toEqual([
        osvIds.get('TEST-NPM-1'),
      ]);
      expect(await ids({ package: { purl: 'pkg:npm/%40scope/pkg' }, version: '1.4.0' })).toEqual([]);
      expect(await ids({ package: { purl: 'pkg:golang/example.com/semver@v2.0.1' } })).toEqual([
        osvIds.get('TEST-SEMVER-1'),
      ]);
      expect(await ids({ package: { purl: 'pkg:pypi/some.package@1.0' } })).toEqual([
        osvIds.get('TEST-PYPI-1'),
      ]);
      expect(await ids({ package: { purl: 'pkg:unheardof/thing@1.0' } })).toEqual([]);
      // A version without an ecosystem searches every ecosystem.
      expect(await ids({ package: { name: 'example.com/own' }, version: '1.0.2' })).toEqual([
        `x_${own.advisoryId}`,
      ]);
    });

    it('matches the commits a GIT range names as affected, and tags by repository', async () => {
      const git = [osvIds.get('TEST-GIT-1')];
      expect(await ids({ commit: C1 })).toEqual(git);
      expect(await ids({ commit: C2.toUpperCase() })).toEqual(git);
      expect(await ids({ commit: C3 })).toEqual([]);
      expect(await ids({ commit: 'd'.repeat(40) })).toEqual([]);
      expect(
        await ids({
          package: { ecosystem: 'GIT', name: 'https://github.com/example/cproj.git' },
          version: '1.0.0',
        }),
      ).toEqual(git);
      expect(
        await ids({ package: { ecosystem: 'GIT', name: 'github.com/example/cproj' }, version: '2.0.0' }),
      ).toEqual([]);
      expect(await ids({ package: { ecosystem: 'GIT', name: 'github.com/example/cproj' } })).toEqual(git);
    });

    it('answers a batch with ids and modified only, {} for a query without results', async () => {
      const res = await post('/osv/v1/querybatch', {
        queries: [go('1.0.0'), { commit: C1 }, go('9.0.0'), { package: { purl: 'pkg:unheardof/x@1' } }],
      });
      expect(res.statusCode, res.body).toBe(200);
      const results = (res.json() as { results: Json[] }).results;
      expect(results).toHaveLength(4);
      expect(results[0]).toEqual({
        vulns: [{ id: osvIds.get('TEST-SEMVER-1'), modified: expect.any(String) }],
      });
      expect(results[1]).toEqual({ vulns: [{ id: osvIds.get('TEST-GIT-1'), modified: expect.any(String) }] });
      expect(results.slice(2)).toEqual([{}, {}]);
      expect((await post('/osv/v1/querybatch', { queries: [] })).json()).toEqual({ results: [] });
    });

    it('pages with next_page_token in id order', async () => {
      const all = await ids({ package: { name: 'example.com/semver' }, version: '1.0.0' });
      expect(all).toHaveLength(1);
      const res = await post('/osv/v1/query', {
        package: { ecosystem: 'Go', name: 'example.com/semver' },
        page_token: Buffer.from(all[0] ?? '').toString('base64url'),
      });
      expect(res.json()).toEqual({});
    });

    it('limits batches per client address, saying when to retry', async () => {
      t.clock.advance(60_000);
      const statuses: number[] = [];
      for (let i = 0; i < OSV_BATCHES_PER_MINUTE; i++) {
        statuses.push((await post('/osv/v1/querybatch', { queries: [] })).statusCode);
      }
      expect(statuses.every((s) => s === 200)).toBe(true);
      const refused = await post('/osv/v1/querybatch', { queries: [] });
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      t.clock.advance(60_000);
      expect((await post('/osv/v1/querybatch', { queries: [] })).statusCode).toBe(200);
    });

    it('refuses a malformed query with a 400 naming the field', async () => {
      const refusals: [string, unknown, string][] = [
        [
          '/osv/v1/query',
          { package: { name: 'x', ecosystem: 'Nope' }, version: '1' },
          'body.package.ecosystem',
        ],
        ['/osv/v1/query', { package: { name: 'x' } }, 'body.package.ecosystem'],
        ['/osv/v1/query', { package: { ecosystem: 'Go' }, version: '1' }, 'body.package.name'],
        ['/osv/v1/query', { version: '1.0.0' }, 'body.package'],
        ['/osv/v1/query', { commit: 'not-hex' }, 'body.commit'],
        ['/osv/v1/query', { commit: C1, version: '1' }, 'body.version'],
        ['/osv/v1/query', { package: { purl: 'pkg:npm/x@1', name: 'x' } }, 'body.package.name'],
        ['/osv/v1/query', { package: { purl: 'pkg:npm/x@1' }, version: '2' }, 'body.version'],
        ['/osv/v1/query', { package: { purl: 'npm/x' } }, 'body.package.purl'],
        ['/osv/v1/query', { package: { name: 'x'.repeat(1001), ecosystem: 'Go' } }, 'body.package.name'],
        [
          '/osv/v1/querybatch',
          { queries: [go('1'), { package: { name: 'x', ecosystem: 'Nope' } }] },
          'body.queries.1.package.ecosystem',
        ],
        [
          '/osv/v1/querybatch',
          { queries: Array.from({ length: 1001 }, () => ({ commit: C1 })) },
          'body.queries',
        ],
        ['/osv/v1/querybatch', {}, 'body.queries'],
      ];
      for (const [url, body, path] of refusals) {
        const res = await post(url, body);
        expect(res.statusCode, `${JSON.stringify(body).slice(0, 80)}: ${res.body}`).toBe(400);
        expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect((res.json() as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(path);
      }
      const big = await t.app.inject({
        method: 'POST',
        url: '/osv/v1/query',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ package: { name: 'x'.repeat(70_000), ecosystem: 'Go' } }),
      });
      expect(big.statusCode).toBe(413);
    });
  });
});

/** No element that runs or styles anything: no script, image, style, event handler or style attribute. */
function expectNoActiveContent(body: string): void {
  expect(body).not.toMatch(/<(script|img|style|iframe|object)\b/i);
  expect(body).not.toMatch(/<[a-z][^>]*\s(on[a-z]+|style)\s*=/i);
}

const INDEX_KEYS = [
  'aliases',
  'cveId',
  'id',
  'modified',
  'osvId',
  'project',
  'published',
  'severity',
  'summary',
  'title',
  'urls',
];

/** RFC 4287's rules for a feed and its entries, as far as a reader checks them. */
function checkAtom(feed: XmlElement): void {
  const uri = /^(urn:uuid:[0-9a-f-]{36}|tag:[a-z0-9.-]+,\d{4}:\S+)$/;
  const date = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
  for (const name of ['id', 'title', 'updated'])
    expect(childrenNamed(feed, name), `feed ${name}`).toHaveLength(1);
  expect(childText(feed, 'id')).toMatch(uri);
  expect(childText(feed, 'updated')).toMatch(date);
  expect(childrenNamed(feed, 'author')).toHaveLength(1);
  expect(childrenNamed(feed, 'link').some((l) => l.attributes.rel === 'self')).toBe(true);
  const entries = childrenNamed(feed, 'entry');
  expect(entries.length).toBeLessThanOrEqual(50);
  expect(new Set(entries.map((e) => childText(e, 'id'))).size).toBe(entries.length);
  for (const e of entries) {
    for (const name of ['id', 'title', 'updated', 'summary'])
      expect(childrenNamed(e, name), `entry ${name}`).toHaveLength(1);
    expect(childText(e, 'id')).toMatch(uri);
    expect(childText(e, 'updated')).toMatch(date);
    expect(childText(e, 'published')).toMatch(date);
    expect(
      childrenNamed(e, 'link').some(
        (l) => l.attributes.rel === 'alternate' && l.attributes.type === 'text/html',
      ),
    ).toBe(true);
  }
}
