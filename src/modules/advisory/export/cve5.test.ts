import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../../lib/errors.js';
import { cvssJson, toCve5, toCve5CnaDraft } from './cve5.js';
import {
  BASIC_DOCUMENT,
  CVE5_CONTEXT,
  GIT_ONLY_DOCUMENT,
  RICH_DOCUMENT,
  buildAdvisory,
  loadStandardsValidator,
  schemaErrors,
  type SchemaResult,
} from './cve5-csaf.fixtures.js';

type Json = Record<string, unknown>;

let validate: (kind: 'cve5', doc: unknown) => SchemaResult;
beforeAll(async () => {
  validate = await loadStandardsValidator();
});

function expectValid(record: unknown): void {
  const r = validate('cve5', record);
  expect(schemaErrors(r)).toEqual([]);
  expect(r.valid).toBe(true);
}

const cnaOf = (record: Json) => (record.containers as { cna: Json }).cna;

describe('toCve5', () => {
  it('exports a published advisory with its CVE id as a valid PUBLISHED record', () => {
    const record = toCve5(buildAdvisory({ state: 'published', cveId: 'CVE-2026-1234' }), CVE5_CONTEXT);
    expectValid(record);
    expect(record).toMatchObject({
      dataType: 'CVE_RECORD',
      dataVersion: '5.1',
      cveMetadata: { cveId: 'CVE-2026-1234', assignerOrgId: CVE5_CONTEXT.orgId, state: 'PUBLISHED' },
    });
    const cna = cnaOf(record);
    expect(cna.providerMetadata).toEqual({ orgId: CVE5_CONTEXT.orgId, shortName: 'contour' });
    expect(cna.title).toBe('Heap overflow in the xDS parser');
    expect(cna.descriptions).toEqual([
      {
        lang: 'en',
        value: BASIC_DOCUMENT.description,
        supportingMedia: [{ type: 'text/markdown', base64: false, value: BASIC_DOCUMENT.description }],
      },
    ]);
    expect(cna.affected).toEqual([
      {
        vendor: 'Project Contour',
        product: 'github.com/projectcontour/contour',
        collectionURL: 'https://pkg.go.dev',
        packageName: 'github.com/projectcontour/contour',
        versions: [{ version: '1.0.0', status: 'affected', versionType: 'semver', lessThan: '1.28.4' }],
        defaultStatus: 'unaffected',
      },
    ]);
    expect(cna.problemTypes).toEqual([
      {
        descriptions: [
          { lang: 'en', type: 'CWE', cweId: 'CWE-787', description: 'CWE-787: Out-of-bounds Write' },
        ],
      },
    ]);
    expect(cna.metrics).toEqual([
      {
        cvssV3_1: {
          version: '3.1',
          vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
          baseScore: 9.8,
          baseSeverity: 'CRITICAL',
          attackVector: 'NETWORK',
          attackComplexity: 'LOW',
          privilegesRequired: 'NONE',
          userInteraction: 'NONE',
          scope: 'UNCHANGED',
          confidentialityImpact: 'HIGH',
          integrityImpact: 'HIGH',
          availabilityImpact: 'HIGH',
        },
      },
    ]);
    expect(cna.references).toEqual([
      { url: 'https://github.com/projectcontour/contour/commit/abc123', tags: ['patch'] },
    ]);
    expect(cna.credits).toEqual([{ lang: 'en', value: 'Ada Lovelace', type: 'finder' }]);
    expect(cna.workarounds).toEqual([
      expect.objectContaining({ lang: 'en', value: 'Disable the xDS listener.' }),
    ]);
    expect(cna.solutions).toEqual([
      { lang: 'en', value: 'Upgrade github.com/projectcontour/contour (Go) to 1.28.4 or later.' },
    ]);
    expect(cna.x_generator).toEqual({ engine: 'Vigil 0.1.0' });
  });

  it('exports unicode everywhere, many SEMVER, ECOSYSTEM and GIT ranges, CVSS v3.1 and v4.0, valid', () => {
    const record = toCve5(
      buildAdvisory({ state: 'published', cveId: 'CVE-2026-99999', document: RICH_DOCUMENT }),
      CVE5_CONTEXT,
    );
    expectValid(record);
    const cna = cnaOf(record);
    expect(cna.title).toBe(RICH_DOCUMENT.title);
    // CVE JSON 5 has no field for other ids: the document's aliases stay out of the record.
    expect(JSON.stringify(record)).not.toMatch(/GHSA-7m5x|RHSA-2026|PYSEC-2026/);
    const affected = cna.affected as Json[];
    expect(affected.map((a) => a.versions)).toEqual([
      [
        { version: '0', status: 'affected', versionType: 'semver', lessThan: '1.2.3' },
        { version: '2.0.0', status: 'affected', versionType: 'semver', lessThan: '2.4.1' },
        { version: '3.0.0-beta.1', status: 'affected', versionType: 'semver', lessThanOrEqual: '3.1.0' },
        { version: '4.0.0', status: 'affected', versionType: 'semver', lessThan: '*' },
        { version: '1.2.2', status: 'affected' },
        { version: '2.4.0', status: 'affected' },
      ],
      [{ version: '0.9rc1', status: 'affected', versionType: 'custom', lessThan: '1.0.post1' }],
      [{ version: '1.0-1', status: 'affected', versionType: 'custom', lessThan: '1.5-3+deb12u1' }],
      [
        {
          version: '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
          status: 'affected',
          versionType: 'git',
          lessThan: 'fedcba9876543210fedcba9876543210fedcba98',
        },
      ],
      undefined,
      [
        {
          version: '0',
          status: 'affected',
          versionType: 'git',
          lessThan: '466af814523cffae9fbc7e77bab7472988f03c3e',
        },
        {
          version: '0',
          status: 'affected',
          versionType: 'git',
          lessThan: 'a101f4f12180fd3dfa7d3345188a099877a3c327',
        },
      ],
    ]);
    // No package: the product its repository names, the repository as `repo`, no registry.
    expect(affected[5]).toEqual({
      vendor: 'Project Contour',
      product: 'graylog2-server',
      repo: 'https://github.com/graylog2/graylog2-server',
      versions: affected[5]?.versions,
      defaultStatus: 'unaffected',
    });
    expect((cna.solutions as Json[])[0]?.value).toContain(
      'Update graylog2/graylog2-server to a revision that includes commit 466af814523cffae9fbc7e77bab7472988f03c3e or a101f4f12180fd3dfa7d3345188a099877a3c327.',
    );
    expect(affected[0]).toMatchObject({
      collectionURL: 'https://registry.npmjs.org',
      packageName: '@exämple/pärser',
    });
    // Debian carries a release suffix; Alpine has no registry URL: vendor and product only.
    expect(affected[2]).toMatchObject({ collectionURL: 'https://packages.debian.org' });
    expect(affected[3]).toMatchObject({ repo: 'https://github.com/example/action' });
    expect(affected[4]).toEqual({
      vendor: 'Project Contour',
      product: 'libexample-ümlaut',
      defaultStatus: 'unknown',
    });
    expect((cna.metrics as Json[]).map((m) => Object.keys(m))).toEqual([['cvssV3_1'], ['cvssV4_0']]);
    expect((cna.credits as Json[]).map((c) => c.type)).toEqual([
      'finder',
      'reporter',
      'remediation developer',
      'analyst',
      'coordinator',
    ]);
    expect((cna.references as Json[])[0]).toEqual({ url: 'https://example.org/advisories/%C3%BCmlaut' });
    expect((cna.problemTypes as Json[]).length).toBe(2);
    expect((cna.workarounds as Json[]).length).toBe(2);
  });

  it('exports an advisory whose only entry is a git repository: git versions up to each fix, valid', () => {
    const record = toCve5(
      buildAdvisory({ state: 'published', cveId: 'CVE-2023-41045', document: GIT_ONLY_DOCUMENT }),
      CVE5_CONTEXT,
    );
    expectValid(record);
    expect(cnaOf(record).affected).toEqual([
      {
        vendor: 'Project Contour',
        product: 'graylog2-server',
        repo: 'https://github.com/graylog2/graylog2-server',
        versions: [
          {
            version: '0',
            status: 'affected',
            versionType: 'git',
            lessThan: '466af814523cffae9fbc7e77bab7472988f03c3e',
          },
          {
            version: '0',
            status: 'affected',
            versionType: 'git',
            lessThan: 'a101f4f12180fd3dfa7d3345188a099877a3c327',
          },
        ],
        defaultStatus: 'unaffected',
      },
    ]);
  });

  it('refuses an advisory with no CVE id yet, naming the missing id', () => {
    const advisory = buildAdvisory({ state: 'published', cveId: null });
    expect(() => toCve5(advisory, CVE5_CONTEXT)).toThrow(ValidationError);
    try {
      toCve5(advisory, CVE5_CONTEXT);
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      const e = err as ValidationError;
      expect(e.message).toBe('Advisory CONTOUR-ADV-2026-0007 cannot be exported as a CVE record yet: cveId.');
      expect(e.issues).toEqual([{ path: 'cveId', message: expect.stringContaining('needs the CVE id') }]);
    }
  });

  it('refuses a record the CNA container would reject: no affected product, reference or text', () => {
    const advisory = buildAdvisory({
      state: 'published',
      cveId: 'CVE-2026-1234',
      document: { title: 'Only a title' },
    });
    try {
      toCve5(advisory, CVE5_CONTEXT);
      expect.unreachable('a record with no affected product was exported');
    } catch (err) {
      expect((err as ValidationError).issues.map((i) => i.path)).toEqual([
        'document.affected',
        'document.references',
        'document.description',
      ]);
    }
  });

  it('refuses a draft as a record (a CVE record is PUBLISHED or REJECTED) and gives its CNA container instead', () => {
    const draft = buildAdvisory({ state: 'draft', cveId: 'CVE-2026-1234' });
    expect(() => toCve5(draft, CVE5_CONTEXT)).toThrow(ConflictError);
    expect(() => toCve5(draft, CVE5_CONTEXT)).toThrow(/is a draft/);
    const body = toCve5CnaDraft({ ...draft, cveId: null }, CVE5_CONTEXT);
    expect(Object.keys(body)).toEqual(['cnaContainer']);
    expect(JSON.stringify(body)).not.toMatch(/PUBLISHED|datePublished|cveMetadata/);
    // The container is what a PUBLISHED record carries: valid in one.
    expectValid({
      dataType: 'CVE_RECORD',
      dataVersion: '5.1',
      cveMetadata: { cveId: 'CVE-2026-1234', assignerOrgId: CVE5_CONTEXT.orgId, state: 'PUBLISHED' },
      containers: { cna: body.cnaContainer },
    });
    expect(() =>
      toCve5CnaDraft(buildAdvisory({ document: { title: 'Only a title' } }), CVE5_CONTEXT),
    ).toThrow(ValidationError);
  });

  it.each(['withdrawn', 'rejected'] as const)('exports a %s advisory as a valid REJECTED record', (state) => {
    const record = toCve5(
      buildAdvisory({ state, cveId: 'CVE-2026-1234', stateReason: 'Duplicate of CVE-2026-1111 — dupliqué.' }),
      CVE5_CONTEXT,
    );
    expectValid(record);
    expect(record.cveMetadata).toMatchObject({ cveId: 'CVE-2026-1234', state: 'REJECTED' });
    expect(cnaOf(record).rejectedReasons).toEqual([
      { lang: 'en', value: 'Duplicate of CVE-2026-1111 — dupliqué.' },
    ]);
    expect(cnaOf(record).affected).toBeUndefined();
  });

  it('still refuses a withdrawn advisory that never had a CVE id', () => {
    expect(() => toCve5(buildAdvisory({ state: 'withdrawn', stateReason: 'x' }), CVE5_CONTEXT)).toThrow(
      /cveId/,
    );
  });

  it('clips a description beyond the schema limits, marking the cut, and stays valid', () => {
    const long = 'é'.repeat(20_000);
    const record = toCve5(
      buildAdvisory({
        state: 'published',
        cveId: 'CVE-2026-1234',
        document: { ...BASIC_DOCUMENT, description: long },
      }),
      CVE5_CONTEXT,
    );
    expectValid(record);
    const [d] = cnaOf(record).descriptions as { value: string; supportingMedia: { value: string }[] }[];
    expect(Array.from(d?.value ?? '').length).toBe(4096);
    expect(d?.value.endsWith('…')).toBe(true);
    expect(Array.from(d?.supportingMedia[0]?.value ?? '').length).toBe(16_384);
  });
});

describe('cvssJson', () => {
  it('spells out every base metric of each version as the CVE schema names them, and validates', () => {
    const vectors = {
      cvssV2_0: 'AV:A/AC:M/Au:S/C:P/I:C/A:N',
      cvssV3_0: 'CVSS:3.0/AV:A/AC:H/PR:H/UI:R/S:C/C:N/I:L/A:H',
      cvssV4_0: 'CVSS:4.0/AV:P/AC:H/AT:P/PR:L/UI:P/VC:N/VI:L/VA:H/SC:H/SI:L/SA:N',
    };
    expect(cvssJson(vectors.cvssV2_0)).toEqual({
      version: '2.0',
      vectorString: 'AV:A/AC:M/Au:S/C:P/I:C/A:N',
      baseScore: 5.8,
      accessVector: 'ADJACENT_NETWORK',
      accessComplexity: 'MEDIUM',
      authentication: 'SINGLE',
      confidentialityImpact: 'PARTIAL',
      integrityImpact: 'COMPLETE',
      availabilityImpact: 'NONE',
    });
    expect(cvssJson(vectors.cvssV3_0)).toMatchObject({ attackVector: 'ADJACENT_NETWORK', scope: 'CHANGED' });
    expect(cvssJson(vectors.cvssV4_0)).toMatchObject({
      attackVector: 'PHYSICAL',
      attackRequirements: 'PRESENT',
      userInteraction: 'PASSIVE',
      subConfidentialityImpact: 'HIGH',
    });
    const record = toCve5(
      buildAdvisory({
        state: 'published',
        cveId: 'CVE-2026-1234',
        document: {
          ...BASIC_DOCUMENT,
          severity: { cvss: Object.values(vectors).map((vector) => ({ vector })) },
        },
      }),
      CVE5_CONTEXT,
    );
    expectValid(record);
    expect((cnaOf(record).metrics as Json[]).map((m) => Object.keys(m)[0])).toEqual(Object.keys(vectors));
  });
});
