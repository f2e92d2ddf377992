import * as mandatoryTests from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import runCsafTests from '@secvisogram/csaf-validator-lib/validate.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/errors.js';
import { toCsaf, toCsafVex, type CsafContext } from './csaf.js';
import {
  BASIC_DOCUMENT,
  GIT_ONLY_DOCUMENT,
  RICH_DOCUMENT,
  buildAdvisory,
  loadStandardsValidator,
  schemaErrors,
  type SchemaResult,
} from './cve5-csaf.fixtures.js';
import type { ExportableAdvisory } from './cve5.js';

type Json = Record<string, unknown>;

let validate: (kind: 'csaf', doc: unknown) => SchemaResult;
beforeAll(async () => {
  validate = await loadStandardsValidator();
});

function contextFor(advisory: ExportableAdvisory): CsafContext {
  return {
    publisher: { name: 'Project Contour security team', namespace: 'https://projectcontour.io' },
    vendor: 'Project Contour',
    generator: { name: 'Vigil', version: '0.1.0' },
    generatedAt: '2026-03-06T08:00:00.000Z',
    revisions: Array.from({ length: advisory.revision }, (_, i) => ({
      revision: i + 1,
      createdAt: new Date(Date.UTC(2026, 2, 2 + i, 9)).toISOString(),
    })),
  };
}

/** The official JSON schema, then CSAF 2.0's mandatory tests (§6.1) as csaf-validator-lib runs them. */
async function expectValid(doc: Json): Promise<void> {
  const r = validate('csaf', doc);
  expect(schemaErrors(r)).toEqual([]);
  expect(r.valid).toBe(true);
  const tests = Object.values(mandatoryTests);
  expect(tests.length).toBeGreaterThan(40);
  const mandatory = await runCsafTests(tests, doc);
  expect(
    mandatory.tests.filter((t) => !t.isValid).map((t) => `${t.name}: ${JSON.stringify(t.errors)}`),
  ).toEqual([]);
  expect(mandatory.isValid).toBe(true);
}

const exportOf = (advisory: ExportableAdvisory) => toCsaf(advisory, contextFor(advisory));
const vulnOf = (doc: Json) => (doc.vulnerabilities as Json[])[0] as Json;
const documentOf = (doc: Json) => doc.document as Json;

describe('toCsaf', () => {
  it('exports a published advisory as a valid final security advisory with TLP WHITE and its CVE', async () => {
    const advisory = buildAdvisory({ state: 'published', cveId: 'CVE-2026-1234' });
    const doc = exportOf(advisory);
    await expectValid(doc);
    expect(documentOf(doc)).toMatchObject({
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      title: 'Heap overflow in the xDS parser',
      distribution: { tlp: { label: 'WHITE' } },
      publisher: { category: 'vendor', name: 'Project Contour security team' },
      tracking: {
        id: 'CONTOUR-ADV-2026-0007',
        status: 'final',
        version: '3',
        initial_release_date: '2026-03-02T09:00:00.000Z',
        current_release_date: '2026-03-04T09:00:00.000Z',
        generator: { engine: { name: 'Vigil', version: '0.1.0' } },
      },
    });
    expect((documentOf(doc).tracking as Json).revision_history).toEqual([
      { number: '1', date: '2026-03-02T09:00:00.000Z', summary: 'Initial version.' },
      { number: '2', date: '2026-03-03T09:00:00.000Z', summary: 'Revision 2.' },
      { number: '3', date: '2026-03-04T09:00:00.000Z', summary: 'Revision 3.' },
    ]);
    expect(doc.product_tree).toEqual({
      branches: [
        {
          category: 'vendor',
          name: 'Project Contour',
          branches: [
            {
              category: 'product_name',
              name: 'github.com/projectcontour/contour (Go)',
              branches: [
                {
                  category: 'product_version_range',
                  name: 'vers:semver/>=1.0.0|<1.28.4',
                  product: {
                    name: 'Project Contour github.com/projectcontour/contour vers:semver/>=1.0.0|<1.28.4',
                    product_id: 'CSAFPID-0001',
                  },
                },
                {
                  category: 'product_version',
                  name: '1.28.4',
                  product: {
                    name: 'Project Contour github.com/projectcontour/contour 1.28.4',
                    product_id: 'CSAFPID-0002',
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    const v = vulnOf(doc);
    expect(v).toMatchObject({
      cve: 'CVE-2026-1234',
      cwe: { id: 'CWE-787', name: 'Out-of-bounds Write' },
      product_status: { known_affected: ['CSAFPID-0001'], fixed: ['CSAFPID-0002'] },
      remediations: [
        {
          category: 'vendor_fix',
          details: 'Upgrade github.com/projectcontour/contour to 1.28.4 or later.',
          product_ids: ['CSAFPID-0001'],
        },
        { category: 'workaround', details: 'Disable the xDS listener.', product_ids: ['CSAFPID-0001'] },
      ],
      scores: [
        {
          products: ['CSAFPID-0001'],
          cvss_v3: expect.objectContaining({
            version: '3.1',
            vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
            baseScore: 9.8,
            baseSeverity: 'CRITICAL',
          }),
        },
      ],
      references: [
        {
          category: 'external',
          summary: 'Fix reference',
          url: 'https://github.com/projectcontour/contour/commit/abc123',
        },
      ],
      acknowledgments: [{ names: ['Ada Lovelace'], summary: 'finder' }],
    });
  });

  it('marks a draft TLP AMBER and keeps its CVE id out of the whole document (§7)', async () => {
    const cveId = 'CVE-2026-4242';
    const advisory = buildAdvisory({
      state: 'draft',
      cveId,
      document: {
        ...BASIC_DOCUMENT,
        description: `Tracked as ${cveId} once public.`,
        references: [
          { type: 'FIX', url: 'https://github.com/projectcontour/contour/commit/abc123' },
          { type: 'ADVISORY', url: `https://www.cve.org/CVERecord?id=${cveId}` },
        ],
      },
    });
    const doc = exportOf(advisory);
    await expectValid(doc);
    expect(documentOf(doc).distribution).toMatchObject({ tlp: { label: 'AMBER' } });
    expect((documentOf(doc).tracking as Json).status).toBe('draft');
    expect(vulnOf(doc).cve).toBeUndefined();
    expect(JSON.stringify(doc)).not.toContain(cveId);
    expect(JSON.stringify(doc)).toContain('[CVE id withheld until publication]');
    expect(vulnOf(doc).references).toHaveLength(1);
  });

  it('exports a draft with no CVE yet, valid', async () => {
    const doc = exportOf(buildAdvisory({ cveId: null }));
    await expectValid(doc);
    expect(vulnOf(doc).cve).toBeUndefined();
  });

  it('exports unicode everywhere and many SEMVER, ECOSYSTEM and GIT ranges, valid, without CVSS v4.0', async () => {
    const advisory = buildAdvisory({ state: 'published', cveId: 'CVE-2026-99999', document: RICH_DOCUMENT });
    const doc = exportOf(advisory);
    await expectValid(doc);
    // The other ids of the vulnerability, each under its tracking system, beside the Vigil id.
    expect(vulnOf(doc).ids).toEqual([
      { system_name: 'Vigil advisory', text: 'CONTOUR-ADV-2026-0007' },
      { system_name: 'GitHub Security Advisory', text: 'GHSA-7m5x-3q2p-vw9c' },
      { system_name: 'RHSA', text: 'RHSA-2026:0216' },
      { system_name: 'PYSEC', text: 'PYSEC-2026-74' },
    ]);
    // They are public, so a draft names them too (its VEX as well); its private CVE stays out.
    const draft = buildAdvisory({ cveId: 'CVE-2026-99999', document: RICH_DOCUMENT });
    const draftVex = toCsafVex(draft, contextFor(draft), {
      justification: 'vulnerable_code_not_present',
      impact: 'The parser is not built.',
    });
    await expectValid(draftVex);
    expect(vulnOf(draftVex).ids).toEqual(vulnOf(doc).ids);
    expect(JSON.stringify(draftVex)).not.toContain('CVE-2026-99999');
    const vendor = ((doc.product_tree as Json).branches as Json[])[0] as Json;
    const packages = vendor.branches as Json[];
    expect(packages.map((p) => p.name)).toEqual([
      '@exämple/pärser (npm)',
      'päckage-ß (PyPI)',
      'libexample (Debian:12)',
      'example/action (GitHub Actions)',
      'libexample-ümlaut (Alpine:v3.20)',
      'graylog2/graylog2-server (git)',
    ]);
    expect(
      ((packages[0] as Json).branches as Json[]).map((b) => `${String(b.category)} ${String(b.name)}`),
    ).toEqual([
      'product_version_range vers:semver/<1.2.3',
      'product_version_range vers:semver/>=2.0.0|<2.4.1',
      'product_version_range vers:semver/>=3.0.0-beta.1|<=3.1.0',
      'product_version_range vers:semver/>=4.0.0',
      'product_version 1.2.2',
      'product_version 2.4.0',
      'product_version 1.2.3',
      'product_version 2.4.1',
    ]);
    expect(((packages[1] as Json).branches as Json[])[0]).toMatchObject({
      name: 'vers:pypi/>=0.9rc1|<1.0.post1',
    });
    expect(((packages[2] as Json).branches as Json[])[0]).toMatchObject({
      name: 'vers:deb/>=1.0-1|<1.5-3+deb12u1',
    });
    expect(((packages[3] as Json).branches as Json[])[0]).toMatchObject({
      category: 'product_version_range',
      name: 'commits of https://github.com/example/action from 0a1b2c3d4e5f60718293a4b5c6d7e8f901234567 up to fedcba9876543210fedcba9876543210fedcba98 (excluded)',
    });
    // A package with no ranges is affected as a whole.
    expect(packages[4]).toMatchObject({ product: { name: 'Project Contour libexample-ümlaut' } });
    // No package: named by its repository, one range per fixed commit (a fix on each branch).
    const git = packages[5] as Json;
    const gitRanges = git.branches as Json[];
    expect(gitRanges.map((b) => b.name)).toEqual([
      'commits of https://github.com/graylog2/graylog2-server from 0 up to 466af814523cffae9fbc7e77bab7472988f03c3e (excluded)',
      'commits of https://github.com/graylog2/graylog2-server from 0 up to a101f4f12180fd3dfa7d3345188a099877a3c327 (excluded)',
    ]);
    const gitIds = gitRanges.map((b) => (b.product as Json).product_id);
    expect(gitRanges.map((b) => (b.product as Json).name)).toEqual([
      `Project Contour graylog2/graylog2-server ${String(gitRanges[0]?.name)}`,
      `Project Contour graylog2/graylog2-server ${String(gitRanges[1]?.name)}`,
    ]);
    const v = vulnOf(doc);
    expect((v.product_status as Json).known_affected).toHaveLength(12);
    expect((v.product_status as Json).known_affected).toEqual(expect.arrayContaining(gitIds));
    // Fixed commits are not versions: no fixed product for them, but a vendor fix naming them.
    expect((v.product_status as Json).fixed).toHaveLength(3);
    expect(v.remediations).toContainEqual({
      category: 'vendor_fix',
      details:
        'Update graylog2/graylog2-server to a revision that includes commit ' +
        '466af814523cffae9fbc7e77bab7472988f03c3e or a101f4f12180fd3dfa7d3345188a099877a3c327.',
      product_ids: gitIds,
    });
    expect((v.scores as Json[]).map((s) => Object.keys(s))).toEqual([['products', 'cvss_v3']]);
    expect(JSON.stringify(doc)).not.toContain('CVSS:4.0');
    expect(v.cwe).toEqual({ id: 'CWE-787', name: 'Out-of-bounds Write' });
    expect((v.notes as Json[]).at(-1)).toMatchObject({
      category: 'other',
      text: expect.stringContaining('CWE-20'),
    });
    expect(documentOf(doc).title).toBe(RICH_DOCUMENT.title);
    expect((v.acknowledgments as Json[]).map((a) => a.names)).toEqual(
      RICH_DOCUMENT.credits?.map((c) => [c.name]),
    );
  });

  it.each(['withdrawn', 'rejected'] as const)(
    'exports a %s advisory as a final document with the reason',
    async (state) => {
      const doc = exportOf(
        buildAdvisory({
          state,
          cveId: 'CVE-2026-1234',
          stateReason: 'Not a vulnerability — pas une faille.',
        }),
      );
      await expectValid(doc);
      expect((documentOf(doc).tracking as Json).status).toBe('final');
      // Never published as far as the record knows: still AMBER, still no CVE (as OSV and GHSA do).
      expect(documentOf(doc).distribution).toMatchObject({ tlp: { label: 'AMBER' } });
      expect(vulnOf(doc).cve).toBeUndefined();
      expect(documentOf(doc).notes).toContainEqual({
        category: 'general',
        title: state === 'withdrawn' ? 'Withdrawn' : 'Rejected',
        text: 'Not a vulnerability — pas une faille.',
      });
    },
  );

  it('exports a first draft with only a title and a package, the title as the required vulnerability note', async () => {
    const doc = exportOf(
      buildAdvisory({
        revision: 1,
        document: {
          title: 'Only a title',
          affected: [{ ecosystem: 'npm', package: 'left-pad', ranges: [] }],
        },
      }),
    );
    await expectValid(doc);
    expect(vulnOf(doc).notes).toEqual([{ category: 'summary', title: 'Summary', text: 'Only a title' }]);
    expect(vulnOf(doc).product_status).toEqual({ known_affected: ['CSAFPID-0001'] });
  });

  it('exports an advisory whose only entry is a git repository, products named from it, valid', async () => {
    const doc = exportOf(
      buildAdvisory({ state: 'published', cveId: 'CVE-2023-41045', document: GIT_ONLY_DOCUMENT }),
    );
    await expectValid(doc);
    const vendor = ((doc.product_tree as Json).branches as Json[])[0] as Json;
    expect((vendor.branches as Json[]).map((p) => p.name)).toEqual(['graylog2/graylog2-server (git)']);
    const v = vulnOf(doc);
    expect(v.product_status).toEqual({ known_affected: ['CSAFPID-0001', 'CSAFPID-0002'] });
    expect((v.remediations as Json[]).map((r) => [r.category, r.product_ids])).toEqual([
      ['vendor_fix', ['CSAFPID-0001', 'CSAFPID-0002']],
    ]);
    expect((v.scores as Json[])[0]?.products).toEqual(['CSAFPID-0001', 'CSAFPID-0002']);
  });

  it('refuses an advisory with no affected product: the profile requires a product tree', () => {
    expect(() => exportOf(buildAdvisory({ revision: 1, document: { title: 'Only a title' } }))).toThrow(
      ValidationError,
    );
  });

  it('runs live checks: a version that does not match the revision history fails the mandatory tests', async () => {
    const doc = exportOf(buildAdvisory());
    const tracking = documentOf(doc).tracking as Json;
    tracking.version = '4';
    const mandatory = await runCsafTests(Object.values(mandatoryTests), doc);
    expect(mandatory.tests.filter((t) => !t.isValid).map((t) => t.name)).toEqual(['mandatoryTest_6_1_16']);
    tracking.status = 'published';
    expect(validate('csaf', doc).valid).toBe(false);
  });

  it('refuses a revision list that does not reach the current revision', () => {
    const advisory = buildAdvisory();
    const context = { ...contextFor(advisory), revisions: contextFor(advisory).revisions.slice(0, 2) };
    expect(() => toCsaf(advisory, context)).toThrow(ValidationError);
    expect(() => toCsaf(advisory, { ...context, revisions: [] })).toThrow(/revisions? up to 3/);
  });
});

describe('toCsafVex', () => {
  const statement = {
    justification: 'vulnerable_code_not_present' as const,
    impact: 'Contour never links the vulnerable parser — le code n’est pas présent.',
  };

  it('exports the listed products as known_not_affected in a valid VEX, with flag and impact statement', async () => {
    const advisory = buildAdvisory({ state: 'published', cveId: 'CVE-2026-1234', document: RICH_DOCUMENT });
    const doc = toCsafVex(advisory, contextFor(advisory), statement);
    await expectValid(doc);
    expect(documentOf(doc).category).toBe('csaf_vex');
    const v = vulnOf(doc);
    const ids = (v.product_status as { known_not_affected: string[] }).known_not_affected;
    expect(Object.keys(v.product_status as Json)).toEqual(['known_not_affected']);
    expect(ids).toHaveLength(15);
    expect(v).toMatchObject({
      cve: 'CVE-2026-1234',
      flags: [{ label: 'vulnerable_code_not_present', product_ids: ids }],
      threats: [{ category: 'impact', details: statement.impact, product_ids: ids }],
    });
    expect(v.remediations).toBeUndefined();
    expect(v.scores).toBeUndefined();
    // The statements are what the profile checks: without them the mandatory tests fail.
    delete v.flags;
    delete v.threats;
    const bare = await runCsafTests(Object.values(mandatoryTests), doc);
    expect(bare.tests.filter((t) => !t.isValid).map((t) => t.name)).toEqual(['mandatoryTest_6_1_27_9']);
  });

  it('lists the ranges of an entry without a package as not affected, valid', async () => {
    const advisory = buildAdvisory({
      state: 'published',
      cveId: 'CVE-2023-41045',
      document: GIT_ONLY_DOCUMENT,
    });
    const doc = toCsafVex(advisory, contextFor(advisory), statement);
    await expectValid(doc);
    expect(vulnOf(doc).product_status).toEqual({ known_not_affected: ['CSAFPID-0001', 'CSAFPID-0002'] });
  });

  it('names an unpublished vulnerability by the Vigil id only, TLP AMBER, valid', async () => {
    const advisory = buildAdvisory({ cveId: 'CVE-2026-4242' });
    const doc = toCsafVex(advisory, contextFor(advisory), statement);
    await expectValid(doc);
    expect(vulnOf(doc).ids).toEqual([{ system_name: 'Vigil advisory', text: 'CONTOUR-ADV-2026-0007' }]);
    expect(documentOf(doc).distribution).toMatchObject({ tlp: { label: 'AMBER' } });
    expect(JSON.stringify(doc)).not.toContain('CVE-2026-4242');
  });

  it('refuses a VEX without an impact statement', () => {
    const advisory = buildAdvisory();
    expect(() => toCsafVex(advisory, contextFor(advisory), { ...statement, impact: ' ' })).toThrow(
      ValidationError,
    );
  });
});
