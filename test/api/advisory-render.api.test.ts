/**
 * Advisory renders through the API: the announcement, the distributors' early notice (never with
 * the CVE id), the "fix is coming" notice and the public page from a filled advisory; required
 * fields refused by name; the project's templates versioned, previewed, reset and guarded.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { describeEachDb } from '../support/db.js';
import {
  acceptedCase,
  buildTestApp,
  createUser,
  projectWithTeam,
  tokenClient,
  type Client,
  type TestApp,
} from '../support/app.js';

const CVE = 'CVE-2026-12345';
const RELEASE_AT = '2026-12-01T16:00:00Z';
const EMBARGO_END =
  'If you continue to leak information and break the policy outlined here, you will be permanently removed from the list.';

describeEachDb('advisory renders', (get) => {
  let t: TestApp;
  let team: Client;
  let stranger: Client;
  let humanId: string;
  let document: Record<string, unknown>;
  let revision: number;

  const render = (template: string, releaseAt?: string) =>
    team.request(
      'GET',
      `/api/v1/cases/${humanId}/advisory/render?template=${template}${releaseAt ? `&releaseAt=${encodeURIComponent(releaseAt)}` : ''}`,
    );
  const renderSource = (template: string, source: string, releaseAt = RELEASE_AT) =>
    team.request('POST', `/api/v1/cases/${humanId}/advisory/render`, { template, source, releaseAt });
  /** Saves `changes` over the document, runs `fn`, then saves the document back. */
  async function withDocument(changes: Record<string, unknown>, fn: () => Promise<void>) {
    const put = async (doc: Record<string, unknown>) => {
      const res = await team.request('PUT', `/api/v1/cases/${humanId}/advisory`, {
        baseRevision: revision,
        document: doc,
      });
      expect(res.statusCode, res.body).toBe(200);
      revision = res.json().revision;
    };
    await put({ ...document, ...changes });
    try {
      await fn();
    } finally {
      await put(document);
    }
  }

  beforeAll(async () => {
    t = await buildTestApp(get().db, createKeyring({ current: Buffer.alloc(32, 8) }));
    ({ team } = await projectWithTeam(t, 'contour', { name: 'Contour' }));
    stranger = await tokenClient(t, (await createUser(t)).id);
    humanId = await acceptedCase(t, 'contour', team, 'xDS parser overflow');
    const draft = (await team.request('POST', `/api/v1/cases/${humanId}/advisory`)).json();
    document = {
      ...draft.document,
      title: 'Heap overflow in the xDS parser',
      summary: 'A crafted ClusterLoadAssignment crashes Contour',
      description: 'The parser trusts the [endpoint count](https://example.com/eds).\n',
      workarounds: 'None known.',
      mitigations: 'Restrict who can create HTTPProxy objects.',
      amIVulnerable: 'Every Contour with the xDS server reachable.',
      affected: [
        {
          ecosystem: 'Go',
          package: 'github.com/projectcontour/contour',
          ranges: [
            { type: 'SEMVER', events: [{ introduced: '1.27.0' }, { fixed: '1.27.2' }] },
            { type: 'SEMVER', events: [{ introduced: '1.28.0' }, { fixed: '1.28.4' }] },
          ],
        },
      ],
      references: [{ type: 'ADVISORY', url: `https://www.cve.org/CVERecord?id=${CVE}` }],
      credits: [{ name: 'Ada Lovelace', type: 'FINDER' }],
      severity: { cvss: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }] },
      cwes: ['CWE-787'],
    };
    const saved = await team.request('PUT', `/api/v1/cases/${humanId}/advisory`, {
      baseRevision: draft.revision,
      document,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    revision = saved.json().revision;
    const cve = await team.request('PUT', `/api/v1/cases/${humanId}/advisory/cve`, { cveId: CVE });
    expect(cve.statusCode, cve.body).toBe(200);
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('renders the Security Fix Announcement with the CVE, CVSS, summary and upgrade versions', async () => {
    const res = await render('announcement');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ template: 'announcement', contentType: 'text/plain', missing: [] });
    expect(r.subject).toBe(`[SECURITY] Contour: ${CVE} fixed in 1.27.2, 1.28.4`);
    expect(r.body).toContain(
      `* ${CVE} (CVSS score 7.5, High): A crafted ClusterLoadAssignment crashes Contour`,
    );
    expect(r.body).toContain('Upgrading to 1.27.2, 1.28.4 is encouraged to fix these issues.');
    expect(r.body).toContain(
      'github.com/projectcontour/contour (Go): >= 1.27.0, < 1.27.2; >= 1.28.0, < 1.28.4',
    );
    for (const heading of [
      'Am I vulnerable?',
      'How do I mitigate',
      'How do I upgrade?',
      'Vulnerability Details',
    ])
      expect(r.body).toContain(heading);
    expect(r.body).toContain('endpoint count <https://example.com/eds>');
    expect(r.body).toContain('CWE-787: Out-of-bounds Write');
    expect(r.body).toContain('* Ada Lovelace (finder)');
  });

  it("renders the distributors' notice without the CVE id, tagged, with the date and the embargo note last", async () => {
    const res = await render('distributors', RELEASE_AT);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.contentType).toBe('text/plain');
    expect(r.subject).toContain('#security');
    expect(r.subject).toContain('[EMBARGOED]');
    expect(res.body).not.toContain(CVE);
    expect(res.body).not.toContain('cve.org');
    for (const part of [
      'Description of the vulnerability',
      'Contour versions affected',
      'Known attack vectors',
      'Possible workarounds (to avoid the vulnerable code until you upgrade)\nNone known.',
      'patch releases 1.27.2, 1.28.4',
      'Tuesday, 1 December 2026 at 16:00 UTC',
      'whether this release date works for you',
    ])
      expect(r.body).toContain(part);
    expect(r.body.trimEnd().endsWith(EMBARGO_END)).toBe(true);
    expect(r.body).toContain('must not be made public, shared, or even hinted at anywhere');
  });

  it('renders the fix-coming notice with the release date and mitigations, and the page as sanitised HTML', async () => {
    const coming = await render('fix-coming', '2026-12-01T17:30:00+01:00');
    expect(coming.statusCode, coming.body).toBe(200);
    expect(coming.json().subject).toContain('2026-12-01 16:30 UTC');
    expect(coming.json().body).toContain('Restrict who can create HTTPProxy objects.');
    expect(coming.json().body).toContain('This time is the Release Date.');
    const page = await render('page');
    expect(page.statusCode, page.body).toBe(200);
    const p = page.json();
    expect(p).toMatchObject({ template: 'page', contentType: 'text/html', subject: null });
    expect(p.body).toContain('<h1>Heap overflow in the xDS parser</h1>');
    expect(p.body).toContain('&gt;= 1.27.0, &lt; 1.27.2');
    expect(p.body).toContain('<a href="https://example.com/eds"');
  });

  it("refuses the distributors' notice when the CVE id was typed into the advisory or the template", async () => {
    await withDocument({ description: `Same bug as ${CVE.toLowerCase()} upstream.` }, async () => {
      const res = await render('distributors', RELEASE_AT);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().issues).toEqual([expect.objectContaining({ path: 'document.description' })]);
      expect((await render('announcement')).statusCode).toBe(200);
    });
    const typed = await renderSource('distributors', `Subject: notice\n\nAbout ${CVE}.\n`);
    expect(typed.statusCode).toBe(422);
    expect(typed.json().issues.map((i: { path: string }) => i.path)).toContain('source');
    const variable = await renderSource('distributors', 'Subject: notice\n\n{{cveId}}\n');
    expect(variable.statusCode).toBe(422);
    expect(variable.json().issues[0]).toMatchObject({ path: 'source', line: 3 });
    expect(variable.json().issues[0].message).toContain('leaves out the CVE id');
  });

  it('refuses a render naming each missing required field', async () => {
    const noDate = await render('distributors');
    expect(noDate.statusCode).toBe(422);
    expect(noDate.headers['content-type']).toContain('application/problem+json');
    expect(noDate.json().issues).toEqual([
      { path: 'releaseAt', message: expect.stringContaining('distributors template') },
    ]);
    await withDocument({ workarounds: '', mitigations: '', summary: '', affected: [] }, async () => {
      const d = await render('distributors');
      expect(d.json().issues.map((i: { path: string }) => i.path)).toEqual([
        'document.affected',
        'document.workarounds',
        'document.mitigations',
        'releaseAt',
      ]);
      const f = await render('fix-coming', RELEASE_AT);
      expect(f.json().issues.map((i: { path: string }) => i.path)).toEqual([
        'document.workarounds',
        'document.mitigations',
      ]);
      const a = await render('announcement');
      expect(a.json().issues.map((i: { path: string }) => i.path)).toEqual([
        'document.summary',
        'document.affected',
      ]);
      const p = await render('page');
      expect(p.json().issues.map((i: { path: string }) => i.path)).toEqual([
        'document.summary',
        'document.affected',
      ]);
    });
  });

  it('saves a template as a new version, renders with it, previews unsaved source, refuses a stale base, resets', async () => {
    const list = await team.request('GET', '/api/v1/projects/contour/advisory-templates');
    expect(list.statusCode, list.body).toBe(200);
    const templates = list.json().templates;
    expect(templates.map((x: { name: string }) => x.name)).toEqual([
      'announcement',
      'distributors',
      'fix-coming',
      'page',
    ]);
    const fixComing = templates[2];
    expect(fixComing).toMatchObject({ isDefault: true, version: 0, updatedAt: null, updatedBy: null });
    expect(fixComing.requiredFields).toEqual(['releaseAt', 'document.workarounds', 'document.mitigations']);
    expect(fixComing.variables).toContainEqual({ name: 'releaseAt.utc', description: expect.any(String) });
    expect(templates[1].variables.map((v: { name: string }) => v.name)).not.toContain('cveId');

    const url = '/api/v1/projects/contour/advisory-templates/fix-coming';
    const source = 'Subject: Fix on {{releaseAt.date}}\n\nPatch {{project.name}} at {{releaseAt.utc}}.\n';
    const saved = await team.request('PUT', url, { source, baseVersion: 0 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ source, isDefault: false, version: 1 });
    expect(saved.json().updatedBy).toBeTruthy();

    const used = await render('fix-coming', RELEASE_AT);
    expect(used.json()).toMatchObject({
      subject: 'Fix on 2026-12-01',
      body: 'Patch Contour at 2026-12-01 16:00 UTC.\n',
    });
    const unsaved = await renderSource('fix-coming', 'Subject: draft\n\nUnsaved {{title}}\n');
    expect(unsaved.json().body).toBe('Unsaved Heap overflow in the xDS parser\n');
    expect((await render('fix-coming', RELEASE_AT)).json().subject).toBe('Fix on 2026-12-01');

    const stale = await team.request('PUT', url, { source: `${source}\nmore`, baseVersion: 0 });
    expect(stale.statusCode).toBe(409);
    const racing = await Promise.all(
      ['A', 'B'].map((x) => team.request('PUT', url, { source: `Subject: ${x}\n\n${x}\n`, baseVersion: 1 })),
    );
    expect(racing.map((r) => r.statusCode).sort()).toEqual([200, 409]);

    const reset = await team.request('DELETE', url);
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ isDefault: true, version: 3 });
    expect((await render('fix-coming', RELEASE_AT)).json().body).toContain('This time is the Release Date.');

    const audit = await get()
      .db.kysely.selectFrom('audit_events')
      .select(['action', 'data_json'])
      .where('action', 'in', ['advisory.template_saved', 'advisory.template_reset'])
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'advisory.template_saved',
      'advisory.template_saved',
      'advisory.template_reset',
    ]);
    expect(audit.every((a) => !a.data_json.includes('Subject'))).toBe(true);
  });

  it('previews a template against the sample advisory', async () => {
    const res = await team.request(
      'POST',
      '/api/v1/projects/contour/advisory-templates/distributors/preview',
      {
        source: 'Subject: {{project.name}} notice\n\n{{title}} on {{releaseAt.utc}}\n',
      },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      template: 'distributors',
      contentType: 'text/plain',
      subject: 'Contour notice #security',
    });
    expect(res.json().body).toContain('(sample advisory) on 2026-12-01 16:00 UTC');
    // The embargo note cannot be left out of the distributors' mail.
    expect(res.json().body.trimEnd().endsWith(EMBARGO_END)).toBe(true);
  });

  it('renders a page template with <script> in it without the script', async () => {
    const source =
      '<h1>{{title}}</h1><script>alert(1)</script><p onclick="x()">{{{descriptionHtml}}}</p><img src=x onerror=alert(2)>';
    const saved = await team.request('PUT', '/api/v1/projects/contour/advisory-templates/page', { source });
    expect(saved.statusCode, saved.body).toBe(200);
    const body = (await render('page')).json().body as string;
    expect(body).toContain('<h1>Heap overflow in the xDS parser</h1>');
    expect(body).not.toMatch(/script|alert|onclick|onerror|<img/i);
    await withDocument({ title: '<script>alert(3)</script>' }, async () => {
      const escaped = (await render('page')).json().body as string;
      expect(escaped).toContain('&lt;script&gt;alert(3)&lt;/script&gt;');
      expect(escaped).not.toContain('<script');
    });
  });

  it('refuses a template that does not parse, naming the line', async () => {
    const res = await renderSource('announcement', 'Subject: x\n\nHello\n{{/title}}\nmore\n');
    expect(res.statusCode).toBe(422);
    expect(res.json().issues[0]).toMatchObject({ path: 'source', line: 4 });
    const unclosed = await team.request('PUT', '/api/v1/projects/contour/advisory-templates/announcement', {
      source: 'Subject: x\n\n{{#cvss}}\n{{score}}\n',
    });
    expect(unclosed.statusCode).toBe(422);
    expect(unclosed.json().issues[0]).toMatchObject({ path: 'source', line: 3 });
    const noSubject = await renderSource('announcement', 'Hello\n');
    expect(noSubject.json().issues[0]).toMatchObject({ path: 'source', line: 1 });
    const partial = await renderSource('announcement', 'Subject: x\n{{> other}}\n');
    expect(partial.json().issues[0]).toMatchObject({ path: 'source', line: 2 });
    const prototype = await renderSource('announcement', 'Subject: x\n{{affected.constructor}}\n');
    expect(prototype.statusCode).toBe(422);
    const nested = '{{#affected}}'.repeat(12) + 'x' + '{{/affected}}'.repeat(12);
    expect((await renderSource('announcement', `Subject: x\n${nested}\n`)).statusCode).toBe(200);
  });

  it('answers 404 to those who may not see the advisory or the templates', async () => {
    expect(
      (await stranger.request('GET', `/api/v1/cases/${humanId}/advisory/render?template=page`)).statusCode,
    ).toBe(404);
    expect(
      (await stranger.request('POST', `/api/v1/cases/${humanId}/advisory/render`, { template: 'page' }))
        .statusCode,
    ).toBe(404);
    expect((await stranger.request('GET', '/api/v1/projects/contour/advisory-templates')).statusCode).toBe(
      404,
    );
    expect(
      (
        await stranger.request('PUT', '/api/v1/projects/contour/advisory-templates/page', {
          source: '<p></p>',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await stranger.request('DELETE', '/api/v1/projects/contour/advisory-templates/page')).statusCode,
    ).toBe(404);
    expect(
      (
        await stranger.request('POST', '/api/v1/projects/contour/advisory-templates/page/preview', {
          source: 'x',
        })
      ).statusCode,
    ).toBe(404);
    expect((await team.request('GET', '/api/v1/projects/nope/advisory-templates')).statusCode).toBe(404);
    expect((await render('press-release')).statusCode).toBe(400);
  });
});
