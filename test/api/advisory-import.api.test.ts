/**
 * Advisory import on both databases: the real OSV and GitHub records of ../shared/standards
 * round-trip (import, then export OSV: the same affected ranges, versions, references and ids), a bad
 * record fails alone and writes nothing, a second import of the same source id is skipped, and
 * only the project's team (or the operator) may import.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { repoRoot } from '../../src/lib/paths.js';
import type { ImportSource } from '../../src/modules/advisory/import/import.service.js';
import { findImportedAdvisoryId } from '../../src/modules/advisory/advisory.repo.js';
import type { OsvRecord } from '../../src/modules/advisory/export/osv.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
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

const STANDARDS = join(repoRoot(), '..', 'shared', 'standards');
const OSV_DIR = join(STANDARDS, 'osv', 'examples');
const GHSA_DIR = join(STANDARDS, 'ghsa');

type Json = Record<string, unknown>;
const read = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json;
const filesOf = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();

/**
 * Affected entries as compared: the package (none for an entry known by its GIT repository only),
 * its ranges (type, repo, events) and versions ([] = none).
 */
function comparable(affected: unknown): unknown[] {
  return ((affected as Json[] | undefined) ?? []).map((a) => {
    const pkg = a.package as Json | undefined;
    return {
      package: pkg
        ? { ecosystem: pkg.ecosystem, name: pkg.name, ...(pkg.purl ? { purl: pkg.purl } : {}) }
        : null,
      ranges: ((a.ranges as Json[] | undefined) ?? []).map((r) => ({
        type: r.type,
        ...(r.repo ? { repo: r.repo } : {}),
        events: r.events,
      })),
      versions: (a.versions as string[] | undefined) ?? [],
    };
  });
}

/**
 * What the exported OSV must give back, per source file: every affected entry, including one with
 * no package and only GIT ranges (CVE-2023-41045). The GraphQL record is compared with the OSV
 * that osv-schema's own converter made of it.
 */
function expectedOf(
  dir: string,
  file: string,
): { affected: unknown[]; references: unknown; aliases: string[] } {
  const source = file.endsWith('.graphql-api.json')
    ? read(dir, file.replace('.graphql-api.json', '.converted.osv.json'))
    : read(dir, file);
  // Every id the source gives the vulnerability, its own included (the export's id is Vigil's x_ id).
  const ids = [String(source.id), ...((source.aliases as string[] | undefined) ?? [])];
  return {
    affected: comparable(source.affected),
    references: source.references,
    aliases: [...new Set(ids)].sort(),
  };
}

describeEachDb('advisory import', (get) => {
  let t: TestApp;
  let team: Client;
  let stranger: Client;
  // A policy without a repository URL, so that the OSV export adds no PACKAGE reference of its own.
  const policyYaml = getPresetYaml('contour').replace(/^\s*repositoryUrl:.*\n/m, '');
  const project = async (slug: string) =>
    t.services.projects.createProject(OPERATOR, { slug, name: slug, policyYaml });

  beforeAll(async () => {
    t = await buildTestApp(get().db, createKeyring({ current: Buffer.alloc(32, 9) }));
    await project('hist');
    await project('other');
    const m = await createUser(t);
    await seedTeamMember(t.db, 'hist', m.email);
    team = await tokenClient(t, m.id);
    const s = await createUser(t);
    await seedTeamMember(t.db, 'other', s.email);
    stranger = await tokenClient(t, s.id);
  });

  describe('round trip of every real example (import, then export OSV)', () => {
    const cases = [
      ...filesOf(OSV_DIR).map((f) => [`osv/examples/${f}`, OSV_DIR, f] as const),
      ...filesOf(GHSA_DIR).map((f) => [`ghsa/${f}`, GHSA_DIR, f] as const),
    ];
    it.each(cases)('%s', async (_label, dir, file) => {
      const slug = `rt-${file.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`.slice(0, 60);
      await project(slug);
      const report = await t.services.advisoryImport.importRecords(OPERATOR, slug, [
        { name: file, text: readFileSync(join(dir, file), 'utf8') },
      ]);
      expect(report.failed).toEqual([]);
      const [imported] = report.imported;
      if (!imported) throw new Error('nothing imported');
      const { document } = await t.services.advisoryExport.exportAdvisory(
        OPERATOR,
        imported.advisoryId,
        'osv',
      );
      const osv = document as OsvRecord;
      const expected = expectedOf(dir, file);
      expect(comparable(osv.affected)).toEqual(expected.affected);
      expect(osv.references).toEqual(expected.references);
      expect(osv.id).toBe(`x_${imported.advisoryId}`);
      expect([...(osv.aliases ?? [])].sort()).toEqual(expected.aliases);
      const source = read(dir, file);
      expect(osv.published).toBe(new Date(String(source.published ?? source.publishedAt)).toISOString());
      expect(osv.modified).toBe(new Date(String(source.modified ?? source.updatedAt)).toISOString());
    });
  });

  it('imports the real folders once: a record already imported is skipped, naming its advisory', async () => {
    const sources = (dir: string): ImportSource[] =>
      filesOf(dir).map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
    const progress: string[] = [];
    const first = await t.services.advisoryImport.importRecords(OPERATOR, 'hist', sources(OSV_DIR), (p) =>
      progress.push(`${p.done}/${p.total} ${p.outcome}`),
    );
    expect(first.failed).toEqual([]);
    expect(first.imported.map((i) => i.sourceId)).toEqual([
      'CVE-2023-41045',
      'GHSA-9v2f-6vcg-3hgv',
      'GO-2024-2963',
      'MAL-2024-10238',
      'PYSEC-2023-74',
      'RHSA-2022:0216',
    ]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6].map((n) => `${n}/6 imported`));
    const ids = first.imported.map((i) => i.advisoryId);
    expect(ids.every((id) => /^CTR-ADV-2026-\d{4}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(6);

    const gradio = first.imported[1];
    const second = await t.services.advisoryImport.importRecords(OPERATOR, 'hist', sources(GHSA_DIR));
    // GHSA-9v2f came with the OSV examples; the GraphQL shape of GHSA-mr95 follows its OSV conversion.
    expect(second.imported.map((i) => [i.name, i.sourceId])).toEqual([
      ['GHSA-mr95-9rr4-668f.converted.osv.json', 'GHSA-mr95-9rr4-668f'],
    ]);
    expect(second.skipped).toEqual([
      {
        name: 'GHSA-9v2f-6vcg-3hgv.advisory-database.json',
        sourceId: 'GHSA-9v2f-6vcg-3hgv',
        advisoryId: gradio?.advisoryId,
        reason: `already imported as ${gradio?.advisoryId}`,
      },
      expect.objectContaining({
        name: 'GHSA-mr95-9rr4-668f.graphql-api.json',
        sourceId: 'GHSA-mr95-9rr4-668f',
      }),
    ]);

    // The advisory and its case, as the team sees them.
    const advisory = (await team.request('GET', `/api/v1/cases/${gradio?.advisoryId}/advisory`)).json();
    expect(advisory).toMatchObject({
      state: 'published',
      cveId: 'CVE-2024-39236',
      revision: 1,
      createdAt: '2024-07-01T21:31:15.000Z',
      document: {
        title:
          'Gradio was discovered to contain a code injection vulnerability via the component /gradio/component_meta.py',
        cwes: ['CWE-94'],
        aliases: ['GHSA-9v2f-6vcg-3hgv'],
        severity: { cvss: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] },
      },
    });
    const revisions = (
      await team.request('GET', `/api/v1/cases/${gradio?.advisoryId}/advisory/revisions`)
    ).json();
    expect(revisions.revisions).toEqual([
      { revision: 1, author: { userId: null, name: 'operator test' }, createdAt: expect.any(String) },
    ]);
    const c = (await team.request('GET', `/api/v1/cases/${gradio?.caseHumanId}`)).json();
    expect(c).toMatchObject({
      state: 'published',
      channel: 'import',
      receivedAt: '2024-07-01T21:31:15.000Z',
    });
    const k = get().db.kysely;
    const events = await k
      .selectFrom('audit_events')
      .select(['data_json', 'actor_type'])
      .where('action', '=', 'advisory.imported')
      .where('subject_id', '=', advisory.id)
      .execute();
    expect(events.map((e) => [e.actor_type, JSON.parse(e.data_json)])).toEqual([
      [
        'operator',
        {
          advisoryId: gradio?.advisoryId,
          caseId: c.id,
          caseHumanId: gradio?.caseHumanId,
          sourceId: 'GHSA-9v2f-6vcg-3hgv',
          format: 'osv',
          state: 'published',
          unmapped: gradio?.unmapped.length,
        },
      ],
    ]);
  });

  it('never half-writes: the bad records fail with the field and reason, the others stand', async () => {
    await project('half');
    const k = get().db.kysely;
    const go = readFileSync(join(OSV_DIR, 'GO-2024-2963.json'), 'utf8');
    const mal = readFileSync(join(OSV_DIR, 'MAL-2024-10238.json'), 'utf8');
    const report = await t.services.advisoryImport.importRecords(OPERATOR, 'half', [
      { name: 'a.json', text: go },
      { name: 'b.json', text: JSON.stringify({ name: 'not an advisory', severity: 'high' }) },
      { name: 'c.json', text: '{ "id": "GHSA-xxxx", ' },
      { name: 'd.json', json: { id: 'X-1', modified: '2024-01-01T00:00:00Z', summary: '' } },
      { name: 'e.json', text: mal },
    ]);
    // d.json has no summary and no details: its id stands in for the title.
    expect(report.imported.map((i) => [i.name, i.sourceId])).toEqual([
      ['a.json', 'GO-2024-2963'],
      ['d.json', 'X-1'],
      ['e.json', 'MAL-2024-10238'],
    ]);
    expect(report.failed).toEqual([
      {
        name: 'b.json',
        sourceId: null,
        issues: [
          {
            path: 'id',
            message: 'not OSV (no `id`/`modified`) nor a GitHub advisory (no `ghsa_id`/`ghsaId`)',
          },
        ],
      },
      {
        name: 'c.json',
        sourceId: null,
        issues: [{ path: '(file)', message: expect.stringMatching(/^not JSON/) }],
      },
    ]);
    const project_ = await k
      .selectFrom('projects')
      .select('id')
      .where('slug', '=', 'half')
      .executeTakeFirstOrThrow();
    const advisories = await k
      .selectFrom('advisories')
      .select('advisory_id')
      .where('project_id', '=', project_.id)
      .execute();
    expect(advisories).toHaveLength(3);
    const cases = await k.selectFrom('cases').select('id').where('project_id', '=', project_.id).execute();
    expect(cases).toHaveLength(3);
    const events = await k
      .selectFrom('audit_events')
      .select('data_json')
      .where('action', '=', 'advisory.imported')
      .where('project_id', '=', project_.id)
      .execute();
    expect(events.map((e) => JSON.parse(e.data_json).sourceId).sort()).toEqual([
      'GO-2024-2963',
      'MAL-2024-10238',
      'X-1',
    ]);
  });

  it('imports through the API; 404 to anyone not on the project team', async () => {
    const graphql = read(GHSA_DIR, 'GHSA-mr95-9rr4-668f.graphql-api.json');
    const denied = await stranger.request('POST', '/api/v1/projects/hist/advisories/import', graphql);
    expect(denied.statusCode).toBe(404);
    const unknown = await team.request('POST', '/api/v1/projects/nope/advisories/import', graphql);
    expect(unknown.statusCode).toBe(404);
    expect(denied.json().detail).toBe(unknown.json().detail.replace('nope', 'hist'));

    const one = await team.request('POST', '/api/v1/projects/hist/advisories/import', graphql);
    expect(one.statusCode).toBe(200);
    expect(one.json().skipped).toHaveLength(1);
    const batch = await team.request('POST', '/api/v1/projects/hist/advisories/import', {
      records: [
        { ...graphql, ghsaId: 'GHSA-aaaa-bbbb-cccc', identifiers: [], withdrawnAt: '2022-01-01T00:00:00Z' },
        { hello: 'world' },
      ],
    });
    expect(batch.statusCode).toBe(200);
    const body = batch.json();
    expect(body.imported).toEqual([
      expect.objectContaining({
        name: 'records.0',
        sourceId: 'GHSA-aaaa-bbbb-cccc',
        format: 'ghsa-graphql',
        state: 'withdrawn',
      }),
    ]);
    expect(body.failed).toEqual([
      { name: 'records.1', sourceId: null, issues: [expect.objectContaining({ path: 'id' })] },
    ]);
    const withdrawn = (
      await team.request('GET', `/api/v1/cases/${body.imported[0].advisoryId}/advisory`)
    ).json();
    expect(withdrawn).toMatchObject({
      state: 'withdrawn',
      cveId: null,
      stateReason: expect.stringContaining('GHSA-aaaa-bbbb-cccc'),
    });
    // Imported history never reported here: it does not count in the project's response metrics,
    // even when it was published within their 90-day window.
    const before = (await team.request('GET', '/api/v1/projects/hist/metrics/response')).json();
    const recent = {
      ...graphql,
      ghsaId: 'GHSA-rrrr-eeee-cccc',
      identifiers: [],
      publishedAt: new Date(Date.now() - 86_400_000).toISOString(),
    };
    const fresh = await team.request('POST', '/api/v1/projects/hist/advisories/import', recent);
    expect(fresh.json().imported).toHaveLength(1);
    const after = (await team.request('GET', '/api/v1/projects/hist/metrics/response')).json();
    expect(after.cases).toBe(before.cases);
    // Nor among the open clocks, which count every unanswered case whenever it came in.
    expect(after.firstResponse).toEqual(before.firstResponse);

    const tooMany = await team.request('POST', '/api/v1/projects/hist/advisories/import', {
      records: Array.from({ length: 501 }, () => ({})),
    });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().issues[0].path).toBe('records');
  });

  // The review's reproducer: a record whose id is 60,000 characters made the already-imported
  // lookup build a LIKE pattern SQLite refuses (500). Ids are bounded; the lookup is too.
  it('refuses a record with an overlong id, naming the field, and the lookup never throws', async () => {
    const long = `GHSA-${'a'.repeat(60_000)}`;
    const res = await team.request('POST', '/api/v1/projects/hist/advisories/import', {
      records: [
        { id: long, modified: '2024-01-01T00:00:00Z', summary: 'long' },
        { ghsa_id: long, summary: 'long' },
        { id: 'X-%_\\1', modified: '2024-01-01T00:00:00Z', summary: 'wildcards' },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().failed).toEqual([
      { name: 'records.0', sourceId: null, issues: [{ path: 'id', message: 'at most 200 characters' }] },
      { name: 'records.1', sourceId: null, issues: [{ path: 'ghsa_id', message: 'at most 200 characters' }] },
    ]);
    expect(res.json().imported.map((i: { sourceId: string }) => i.sourceId)).toEqual(['X-%_\\1']);
    const projectId = (
      await get()
        .db.kysely.selectFrom('projects')
        .select('id')
        .where('slug', '=', 'hist')
        .executeTakeFirstOrThrow()
    ).id;
    const reader = get().db.kysely;
    await expect(findImportedAdvisoryId(reader, projectId, long)).resolves.toBeUndefined();
    // The wildcards match literally: `X-%` finds nothing, the id itself finds its advisory.
    await expect(findImportedAdvisoryId(reader, projectId, 'X-%')).resolves.toBeUndefined();
    await expect(findImportedAdvisoryId(reader, projectId, 'X-%_\\1')).resolves.toBe(
      res.json().imported[0].advisoryId,
    );
    // A second import of it is skipped: the lookup finds it through the escaped pattern.
    const again = await team.request('POST', '/api/v1/projects/hist/advisories/import', {
      id: 'X-%_\\1',
      modified: '2024-01-01T00:00:00Z',
      summary: 'wildcards',
    });
    expect(again.json().skipped).toHaveLength(1);
  });
});
