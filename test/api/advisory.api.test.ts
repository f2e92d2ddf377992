import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit.log.js';
import { describeEachDb } from '../support/db.js';
import {
  buildTestApp,
  createUser,
  OPERATOR,
  tokenClient,
  type Client,
  type TestApp,
  seedTeamMember,
} from '../support/app.js';

const SUBJECT = 'Heap overflow in the xDS parser via a crafted ClusterLoadAssignment';
const SECRET_DESCRIPTION = 'The parser trusts the endpoint count field (zebra-marker-8812).';

type Issue = { path: string; message: string };

describeEachDb('advisory API', (get) => {
  let t: TestApp;
  let team: Client;
  let admin: Client;
  let otherTeam: Client;
  const slug = 'contour';

  beforeAll(async () => {
    t = await buildTestApp(get().db);
    await t.services.projects.createProject(OPERATOR, { slug, name: 'Contour', preset: 'contour' });
    await t.services.projects.createProject(OPERATOR, { slug: 'other', name: 'Other', preset: 'emissary' });
    const m = await createUser(t);
    const o = await createUser(t);
    const a = await createUser(t, { isAdmin: true });
    await seedTeamMember(t.db, slug, m.email);
    await seedTeamMember(t.db, 'other', o.email);
    team = await tokenClient(t, m.id);
    otherTeam = await tokenClient(t, o.id);
    admin = await tokenClient(t, a.id);
  });
  afterAll(async () => {
    await t.app.close();
  });

  let seq = 0;
  async function report(reporter: Record<string, unknown>, accept = true) {
    seq += 1;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${slug}/reports`,
      remoteAddress: `10.1.0.${seq}`,
      payload: { subject: SUBJECT, reporter, reproduction: 'Send the payload to the xDS port.' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const humanId = (res.json() as { humanId: string }).humanId;
    if (accept) {
      const moved = await team.request('POST', `/api/v1/cases/${humanId}/transitions`, { to: 'accepted' });
      expect(moved.statusCode, moved.body).toBe(200);
    }
    return humanId;
  }
  const url = (id: string, rest = '') => `/api/v1/cases/${id}/advisory${rest}`;

  const goodDocument = () => ({
    title: 'Heap overflow in the xDS parser',
    summary: 'A crafted ClusterLoadAssignment crashes Envoy',
    description: 'Line one.\nLine two.\nLine three.\n',
    affected: [
      {
        ecosystem: 'Go',
        package: 'github.com/projectcontour/contour',
        purl: 'pkg:golang/github.com/projectcontour/contour',
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.28.4' }] }],
      },
    ],
    references: [{ type: 'FIX', url: 'https://github.com/projectcontour/contour/pull/1' }],
    credits: [{ name: 'Ada', type: 'FINDER' }],
    severity: { cvss: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }] },
    cwes: ['CWE-787'],
  });

  it('drafts an advisory only for an accepted case, idempotently, with an advisory id', async () => {
    const received = await report({ name: 'Ada' }, false);
    const refused = await team.request('POST', url(received));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('accepted');

    const id = await report({ name: 'Ada' });
    const before = (await team.request('GET', `/api/v1/cases/${id}`)).json();
    expect(before.advisory).toBeNull();
    expect(before.abilities).toMatchObject({ 'advisory.read': true, 'advisory.edit': true });
    const created = await team.request('POST', url(id));
    expect(created.statusCode, created.body).toBe(201);
    const adv = created.json();
    // The case names its advisory, so the UI knows without asking for it.
    expect((await team.request('GET', `/api/v1/cases/${id}`)).json().advisory).toEqual({
      advisoryId: adv.advisoryId,
      state: 'draft',
    });
    expect(adv).toMatchObject({
      advisoryId: expect.stringMatching(/^CTR-ADV-2026-\d{4}$/),
      caseHumanId: id,
      state: 'draft',
      revision: 1,
      cveId: null,
      cveRequest: null,
      document: { title: SUBJECT, affected: [], cwes: [] },
      abilities: { 'advisory.read': true, 'advisory.edit': true },
    });
    const again = await team.request('POST', url(id));
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(adv.id);
    expect((await team.request('GET', url(id, '/revisions'))).json().revisions).toHaveLength(1);
    // The next draft takes the next number.
    const second = (await team.request('POST', url(await report({})))).json();
    expect(Number(second.advisoryId.slice(-4))).toBe(Number(adv.advisoryId.slice(-4)) + 1);
  });

  it("pre-fills the reporter's credit as they chose it, and nothing when they asked to stay anonymous", async () => {
    const named = await report({
      name: 'Ada Lovelace',
      affiliation: 'Example Corp',
      email: 'ada@example.org',
    });
    expect((await team.request('POST', url(named))).json().document.credits).toEqual([
      { name: 'Ada Lovelace (Example Corp)', type: 'REPORTER' },
    ]);
    const handle = await report({ handle: 'adal' });
    expect((await team.request('POST', url(handle))).json().document.credits).toEqual([
      { name: 'adal', type: 'REPORTER' },
    ]);
    const anon = await report({ name: 'Secret Person', anonymous: true });
    const doc = (await team.request('POST', url(anon))).json().document;
    expect(doc.credits).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain('Secret Person');
  });

  it('saves each edit as a new revision; the old one stays readable; a stale base is refused', async () => {
    const id = await report({});
    await team.request('POST', url(id));
    const saved = await team.request('PUT', url(id), { document: goodDocument(), baseRevision: 1 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      revision: 2,
      document: { title: 'Heap overflow in the xDS parser', cwes: ['CWE-787'] },
      patchedVersions: [
        { ecosystem: 'Go', package: 'github.com/projectcontour/contour', versions: ['1.28.4'] },
      ],
    });
    expect(saved.json().descriptionHtml).toBe('<p>Line one.\nLine two.\nLine three.</p>\n');
    // The record's parts at the top, as the interface names them: cwes with MITRE's names.
    expect(saved.json().cwes).toEqual([{ id: 'CWE-787', name: 'Out-of-bounds Write' }]);
    expect(saved.json().affected).toEqual(saved.json().document.affected);
    expect(saved.json().credits).toEqual(saved.json().document.credits);

    const r1 = await team.request('GET', url(id, '/revisions/1'));
    expect(r1.statusCode).toBe(200);
    expect(r1.json().document.title).toBe(SUBJECT);
    const list = (await team.request('GET', url(id, '/revisions'))).json().revisions;
    expect(list.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
    expect(list[1].author.name).toBeTruthy();

    const stale = await team.request('PUT', url(id), {
      document: { ...goodDocument(), title: 'Lost update' },
      baseRevision: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().detail).toContain('revision 2');
    const current = (await team.request('GET', url(id))).json();
    expect(current.revision).toBe(2);
    expect(current.document.title).toBe('Heap overflow in the xDS parser');
    expect((await team.request('GET', url(id, '/revisions'))).json().revisions).toHaveLength(2);
    expect((await team.request('GET', url(id, '/revisions/3'))).statusCode).toBe(404);
  });

  it('sanitises the rendered description', async () => {
    const id = await report({});
    await team.request('POST', url(id));
    const res = await team.request('PUT', url(id), {
      document: {
        ...goodDocument(),
        description: '**bold** <script>alert(1)</script> [x](javascript:alert(1))',
      },
      baseRevision: 1,
    });
    const html = res.json().descriptionHtml as string;
    expect(html).toContain('<strong>bold</strong>');
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/href="javascript/i);
    expect(html).not.toContain('<a');
  });

  it('refuses invalid documents, naming the path', async () => {
    const id = await report({});
    await team.request('POST', url(id));
    const base = goodDocument();
    const pkg = base.affected[0]!;
    const cases: [unknown, string][] = [
      [
        { ...base, affected: [{ ...pkg, ranges: [{ type: 'SEMVER', events: [{ fixed: '1.0.0' }] }] }] },
        'affected.0.ranges.0.events',
      ],
      [
        { ...base, affected: [{ ...pkg, ranges: [{ type: 'SEMVER', events: [{ introduced: 'v1.2' }] }] }] },
        'affected.0.ranges.0.events.0.introduced',
      ],
      [
        {
          ...base,
          affected: [
            {
              ...pkg,
              ranges: [
                {
                  type: 'SEMVER',
                  events: [{ introduced: '0' }, { fixed: '1.0.0' }, { last_affected: '0.9.0' }],
                },
              ],
            },
          ],
        },
        'affected.0.ranges.0.events',
      ],
      [
        { ...base, affected: [{ ...pkg, ranges: [{ type: 'GIT', events: [{ introduced: 'abc' }] }] }] },
        'affected.0.ranges.0.repo',
      ],
      [{ ...base, cwes: ['CWE-787', 'CWE-99999999'] }, 'cwes.1'],
      [{ ...base, affected: [{ ...pkg, purl: 'golang/contour' }] }, 'affected.0.purl'],
      [{ ...base, affected: [{ ...pkg, ecosystem: 'Gopher' }] }, 'affected.0.ecosystem'],
      // Without a package, only GIT ranges with their repository.
      [
        { ...base, affected: [{ ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }] },
        'affected.0.package',
      ],
      [{ ...base, affected: [{ package: 'contour', ranges: [] }] }, 'affected.0.ecosystem'],
      [{ ...base, summary: 'two\nlines' }, 'summary'],
      [{ ...base, surprise: true }, 'document'],
      [{ ...base, references: [{ type: 'BLOG', url: 'https://x.example' }] }, 'references.0.type'],
      // The CVE id is recorded with PUT .../advisory/cve, never as an alias; other ids once each.
      [{ ...base, aliases: ['GHSA-9v2f-6vcg-3hgv', 'CVE-2026-1234'] }, 'aliases.1'],
      [{ ...base, aliases: ['GHSA-9v2f-6vcg-3hgv', 'GHSA-9v2f-6vcg-3hgv'] }, 'aliases.1'],
      [{ ...base, aliases: ['not an id'] }, 'aliases.0'],
    ];
    for (const [document, path] of cases) {
      const res = await team.request('PUT', url(id), { document, baseRevision: 1 });
      expect([400, 422], `${path}: ${res.body}`).toContain(res.statusCode);
      const paths = (res.json().issues as Issue[]).map((i) => i.path);
      expect(
        paths.some((p) => p.includes(path)),
        `${path} in ${paths.join(', ')}`,
      ).toBe(true);
    }
    // Nothing was written by any of them.
    expect((await team.request('GET', url(id))).json().revision).toBe(1);
    // GIT ranges take commits, and a repo.
    const git = await team.request('PUT', url(id), {
      document: {
        ...base,
        affected: [
          {
            ...pkg,
            ranges: [
              {
                type: 'GIT',
                repo: 'https://github.com/projectcontour/contour',
                events: [{ introduced: 'a1b2c3' }, { fixed: 'd4e5f6' }],
              },
            ],
          },
        ],
      },
      baseRevision: 1,
    });
    expect(git.statusCode, git.body).toBe(200);
    expect(git.json().patchedVersions[0].versions).toEqual([]);
    // An entry with no package, known by its repository (OSV's form for C/C++ projects).
    const repoOnly = {
      ranges: [
        {
          type: 'GIT',
          repo: 'https://github.com/envoyproxy/envoy',
          events: [{ introduced: '0' }, { fixed: 'b'.repeat(40) }],
        },
      ],
    };
    const bare = await team.request('PUT', url(id), {
      document: { ...base, affected: [repoOnly] },
      baseRevision: 2,
    });
    expect(bare.statusCode, bare.body).toBe(200);
    expect(bare.json()).toMatchObject({
      revision: 3,
      document: { affected: [repoOnly] },
      affected: [repoOnly],
      patchedVersions: [],
    });
    expect(bare.json().document.affected[0]).not.toHaveProperty('package');
    expect(bare.json().document.aliases).toEqual([]);
    const cve = await team.request('PUT', url(id), {
      document: { ...base, aliases: ['CVE-2026-1234'] },
      baseRevision: 3,
    });
    // The request schema refuses it (400), naming the body's path.
    expect([400, 422], cve.body).toContain(cve.statusCode);
    expect(cve.json().issues).toEqual([
      expect.objectContaining({
        path: expect.stringMatching(/(^|\.)document\.aliases\.0$/),
        message: expect.stringContaining('record the CVE id with PUT /api/v1/cases/{id}/advisory/cve'),
      }),
    ]);
    const aliased = await team.request('PUT', url(id), {
      document: { ...base, aliases: ['GHSA-9v2f-6vcg-3hgv', ' PYSEC-2023-74 '] },
      baseRevision: 3,
    });
    expect(aliased.statusCode, aliased.body).toBe(200);
    expect(aliased.json().document.aliases).toEqual(['GHSA-9v2f-6vcg-3hgv', 'PYSEC-2023-74']);
  });

  it('validates CVSS vectors with the parser, naming the path and the reason', async () => {
    const id = await report({});
    await team.request('POST', url(id));
    const base = goodDocument();
    const bad: [string[], string, RegExp][] = [
      [
        ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N'],
        'document.severity.cvss.0.vector',
        /missing mandatory base metric "A"/,
      ],
      [
        [
          'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
          'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
        ],
        'document.severity.cvss.1.vector',
        /AV|Q/,
      ],
      [['CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H'], 'document.severity.cvss.0.vector', /3\.2|version/i],
      [
        ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 'CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H'],
        'document.severity.cvss.1.vector',
        /one vector per version/,
      ],
    ];
    for (const [vectors, path, reason] of bad) {
      const res = await team.request('PUT', url(id), {
        document: { ...base, severity: { cvss: vectors.map((vector) => ({ vector })) } },
        baseRevision: 1,
      });
      expect([400, 422], `${path}: ${res.body}`).toContain(res.statusCode);
      // The HTTP layer names the body too: `body.document.severity.cvss.0.vector`.
      const issues = (res.json().issues as Issue[]).filter((i) => i.path.endsWith(path));
      expect(issues.length, `${path} in ${res.body}`).toBeGreaterThan(0);
      expect(issues.map((i) => i.message).join(' ')).toMatch(reason);
    }
    expect((await team.request('GET', url(id))).json().revision).toBe(1);
  });

  it('answers with each vector scored and the overall severity of the highest CVSS version', async () => {
    const id = await report({});
    const created = (await team.request('POST', url(id))).json();
    expect(created.cvss).toEqual([]);
    expect(created.severity).toBeNull();
    const v2 = 'AV:N/AC:L/Au:N/C:C/I:C/A:C';
    const v31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H';
    const v40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N';
    const saved = await team.request('PUT', url(id), {
      document: { ...goodDocument(), severity: { cvss: [{ vector: v2 }, { vector: v31 }, { vector: v40 }] } },
      baseRevision: 1,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const got = (await team.request('GET', url(id))).json();
    expect(got.cvss).toEqual([
      { vector: v2, version: '2.0', score: 10, severity: 'high' },
      { vector: v31, version: '3.1', score: 7.5, severity: 'high' },
      { vector: v40, version: '4.0', score: 6.9, severity: 'medium' },
    ]);
    // v4.0 speaks for the advisory even though the v3.1 score is higher: the newest version wins.
    expect(got.severity).toEqual({ vector: v40, version: '4.0', score: 6.9, severity: 'medium' });
    // The document keeps the vectors as written, and round-trips through PUT unchanged.
    expect(got.document.severity.cvss).toEqual([{ vector: v2 }, { vector: v31 }, { vector: v40 }]);

    const onlyV3 = await team.request('PUT', url(id), {
      document: { ...goodDocument(), severity: { cvss: [{ vector: v2 }, { vector: v31 }] } },
      baseRevision: 2,
    });
    expect(onlyV3.json().severity).toEqual({ vector: v31, version: '3.1', score: 7.5, severity: 'high' });
  });

  it('diffs two revisions by JSON path and by description line', async () => {
    const id = await report({});
    await team.request('POST', url(id));
    await team.request('PUT', url(id), { document: goodDocument(), baseRevision: 1 });
    const changed = goodDocument();
    changed.description = 'Line one.\nLine 2, corrected.\nLine three.\nLine four.\n';
    changed.affected[0]!.ranges[0]!.events[1] = { fixed: '1.28.5' };
    changed.cwes = ['CWE-787', 'CWE-20'];
    await team.request('PUT', url(id), { document: changed, baseRevision: 2 });

    const res = await team.request('GET', url(id, '/diff?from=2&to=3'));
    expect(res.statusCode, res.body).toBe(200);
    const diff = res.json();
    expect(diff.changes).toEqual(
      expect.arrayContaining([
        { path: 'affected[0].ranges[0].events[1].fixed', before: '1.28.4', after: '1.28.5' },
        { path: 'cwes[1]', before: null, after: 'CWE-20' },
        { path: 'description', before: expect.any(String), after: expect.any(String) },
      ]),
    );
    expect(diff.changes.map((c: { path: string }) => c.path)).not.toContain('title');
    expect(diff.descriptionDiff).toBe(
      '@@ -1,3 +1,4 @@\n Line one.\n-Line two.\n+Line 2, corrected.\n Line three.\n+Line four.\n',
    );
    const none = (await team.request('GET', url(id, '/diff?from=3&to=3'))).json();
    expect(none).toMatchObject({ changes: [], descriptionDiff: '' });
    expect((await team.request('GET', url(id, '/diff?from=1&to=9'))).statusCode).toBe(404);
  });

  it('records a CVE id in the CVE format and a CVE request, keeping the id out of the audit data', async () => {
    const id = await report({});
    await team.request('POST', url(id));
    for (const bad of ['CVE-26-1234', 'CVE-2026-123', 'GHSA-xxxx-yyyy-zzzz', 'CVE-2026-12a4', '']) {
      const res = await team.request('PUT', url(id, '/cve'), { cveId: bad });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().issues[0].path).toContain('cveId');
    }
    expect((await team.request('GET', url(id))).json().cveId).toBeNull();
    const set = await team.request('PUT', url(id, '/cve'), { cveId: 'cve-2026-424242' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().cveId).toBe('CVE-2026-424242');
    const req = await team.request('POST', url(id, '/cve-request'), {
      cna: 'GitHub',
      requestedAt: '2026-11-20T10:00:00Z',
    });
    expect(req.json().cveRequest).toMatchObject({ cna: 'GitHub', requestedAt: '2026-11-20T10:00:00.000Z' });
    const audit = await get()
      .db.kysely.selectFrom('audit_events')
      .select(['action', 'data_json'])
      .where('action', 'like', 'advisory.%')
      .execute();
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['advisory.cve_set', 'advisory.cve_requested']),
    );
    expect(JSON.stringify(audit)).not.toContain('424242');
  });

  it('withdraws or rejects with a reason, and then refuses edits', async () => {
    const id = await report({});
    await team.request('POST', url(id));
    expect((await team.request('POST', url(id, '/withdraw'), { reason: '' })).statusCode).toBe(400);
    const w = await team.request('POST', url(id, '/withdraw'), {
      reason: 'Duplicate of an existing advisory.',
    });
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json()).toMatchObject({ state: 'withdrawn', stateReason: 'Duplicate of an existing advisory.' });
    expect(
      (await team.request('PUT', url(id), { document: goodDocument(), baseRevision: 1 })).statusCode,
    ).toBe(409);
    expect((await team.request('POST', url(id, '/reject'), { reason: 'x' })).statusCode).toBe(409);

    const other = await report({});
    await team.request('POST', url(other));
    const r = await team.request('POST', url(other, '/reject'), { reason: 'Not a vulnerability after all.' });
    expect(r.json().state).toBe('rejected');
  });

  it('hides the advisory from other teams and from admins (404), and from the anonymous (401)', async () => {
    const id = await report({});
    await team.request('POST', url(id));
    for (const client of [otherTeam, admin]) {
      expect((await client.request('GET', url(id))).statusCode).toBe(404);
      expect((await client.request('POST', url(id))).statusCode).toBe(404);
      expect((await client.request('GET', url(id, '/revisions/1'))).statusCode).toBe(404);
      expect(
        (await client.request('PUT', url(id), { document: goodDocument(), baseRevision: 1 })).statusCode,
      ).toBe(404);
    }
    expect((await t.app.inject({ method: 'GET', url: url(id) })).statusCode).toBe(401);
  });

  it('keeps documents and reasons out of the database in the clear, and the audit chain verifies', async () => {
    const id = await report({ name: 'Ada' });
    await team.request('POST', url(id));
    await team.request('PUT', url(id), {
      document: { ...goodDocument(), description: SECRET_DESCRIPTION },
      baseRevision: 1,
    });
    await team.request('POST', url(id, '/reject'), { reason: 'Rejected: zebra-reason-5531' });
    const db = get().db;
    const dump = JSON.stringify([
      await db.kysely.selectFrom('advisories').selectAll().execute(),
      await db.kysely.selectFrom('advisory_revisions').selectAll().execute(),
      await db.kysely.selectFrom('audit_events').selectAll().execute(),
    ]);
    for (const secret of [
      'zebra-marker-8812',
      'zebra-reason-5531',
      'Heap overflow in the xDS parser',
      'CWE-787',
    ]) {
      expect(dump).not.toContain(secret);
    }
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });
});
