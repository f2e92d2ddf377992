import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/errors.js';
import {
  CONTEXT,
  CVE,
  GHSA,
  V20,
  V30,
  V31,
  V40,
  advisory,
  basicDocument,
  loadValidator,
  gitOnlyDocument,
  manyRangesDocument,
  publishedDocument,
  schemaErrors,
  unicodeDocument,
  type ValidateStandard,
} from './export.test-support.js';
import { toGhsa } from './ghsa.js';
import { toOsv } from './osv.js';
import { osvAliases, type AdvisoryExportInput } from './osv.js';

let validate: ValidateStandard;
beforeAll(async () => {
  validate = await loadValidator();
});

function expectValidOsv(record: unknown): void {
  const r = validate('osv', record);
  expect(r.valid, schemaErrors(r)).toBe(true);
}

const SAMPLES: [string, AdvisoryExportInput][] = [
  ['a plain draft with no CVE yet', advisory(basicDocument())],
  ['unicode in every text field', advisory(unicodeDocument(), { state: 'published', cveId: CVE })],
  ['many affected ranges (SEMVER, ECOSYSTEM, GIT)', advisory(manyRangesDocument())],
  ['a draft whose CVE is known but embargoed', advisory(publishedDocument(), { cveId: CVE })],
  [
    'a published advisory with its CVE, CVSS v3.1 and v4.0',
    advisory(publishedDocument(), { state: 'published', cveId: CVE, publishedAt: '2026-03-10T12:00:00Z' }),
  ],
  [
    'a withdrawn advisory',
    advisory(basicDocument(), { state: 'withdrawn', withdrawnAt: '2026-04-01T08:00:00.000Z' }),
  ],
  ['a rejected advisory', advisory(basicDocument(), { state: 'rejected' })],
  ['a minimal document', advisory({ title: 'Only a title' })],
  [
    'a published advisory whose only entry is a git repository',
    advisory(gitOnlyDocument(), { state: 'published', cveId: CVE }),
  ],
];

describe('toOsv', () => {
  it('validates the official sample records (the validator is real and strict)', () => {
    const broken = { ...toOsv(advisory(basicDocument()), CONTEXT), id: 'CTR-ADV-2026-0007' };
    expect(validate('osv', broken).valid).toBe(false);
    const badVector = toOsv(advisory(basicDocument()), CONTEXT);
    badVector.severity = [{ type: 'CVSS_V3', score: V40 }];
    expect(validate('osv', badVector).valid).toBe(false);
  });

  it.each(SAMPLES)('exports %s as a valid OSV record', (_name, a) => {
    expectValidOsv(toOsv(a, CONTEXT));
  });

  it.each(SAMPLES)('exports %s as a GitHub record that is valid OSV too', (_name, a) => {
    expectValidOsv(toGhsa(a, CONTEXT));
  });

  it('maps the record: id, times, summary, details, affected, severity, references, credits', () => {
    const a = advisory(basicDocument());
    const osv = toOsv(a, CONTEXT);
    expect(osv).toMatchObject({
      schema_version: '1.7.0',
      id: 'x_CTR-ADV-2026-0007',
      modified: '2026-03-09T17:45:30.250Z',
      summary: 'A crafted ClusterLoadAssignment crashes Contour',
      severity: [{ type: 'CVSS_V3', score: V31 }],
      affected: [
        {
          package: {
            ecosystem: 'Go',
            name: 'github.com/projectcontour/contour',
            purl: 'pkg:golang/github.com/projectcontour/contour',
          },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.28.4' }] }],
        },
      ],
      references: [
        { type: 'FIX', url: 'https://github.com/projectcontour/contour/pull/6001' },
        { type: 'PACKAGE', url: 'https://github.com/projectcontour/contour' },
      ],
      credits: [{ name: 'Ada Lovelace', contact: ['https://example.org/ada'], type: 'FINDER' }],
      database_specific: {
        cwe_ids: ['CWE-787'],
        tlp: 'AMBER',
        vigil_state: 'draft',
        vigil_advisory_id: 'CTR-ADV-2026-0007',
        cvss: { version: '3.1', score: 9.8, severity: 'critical' },
      },
    });
    expect(osv.details).toBe(
      'The parser trusts the endpoint count field.\n\nSend a crafted message to crash it.\n\n' +
        '## Am I vulnerable?\n\nYou are if you expose the xDS port.\n\n' +
        '## Workarounds\n\nRestrict access to the xDS port.',
    );
    // A draft is not published yet, nor withdrawn.
    expect(osv).not.toHaveProperty('published');
    expect(osv).not.toHaveProperty('withdrawn');
    expect(osv).not.toHaveProperty('aliases');
  });

  it('keeps every affected range, event and version, and each CVSS version under its OSV type', () => {
    const osv = toOsv(advisory(manyRangesDocument()), CONTEXT);
    const doc = advisory(manyRangesDocument()).document;
    expect(osv.affected).toHaveLength(5);
    doc.affected.forEach((a, i) => {
      expect(osv.affected?.[i]?.ranges).toEqual(a.ranges.map((r) => ({ ...r })));
      expect(osv.affected?.[i]?.package?.ecosystem).toBe(a.ecosystem);
    });
    // The entry without a package has none in OSV either: its GIT ranges name the repository.
    expect(osv.affected?.[4]).toEqual({
      ranges: [
        {
          type: 'GIT',
          repo: 'https://github.com/projectcontour/contour-envoy-filters',
          events: [{ introduced: '0' }, { fixed: 'e'.repeat(40) }, { fixed: 'f'.repeat(40) }],
        },
      ],
    });
    expect(osv.affected?.[0]?.versions).toEqual(['1.28.0', '1.28.1', '1.28.2', '1.28.3']);
    expect(osv.severity).toEqual([
      { type: 'CVSS_V3', score: V30 },
      { type: 'CVSS_V2', score: V20 },
    ]);
    expect(osv.database_specific.cwe_ids).toEqual(['CWE-787', 'CWE-20']);
  });

  it('carries the CVE only once published, and never anywhere in an unpublished export', () => {
    const published = toOsv(
      advisory(publishedDocument(), { state: 'published', cveId: CVE, publishedAt: '2026-03-10T12:00:00Z' }),
      CONTEXT,
    );
    expect(published.aliases).toEqual([CVE, GHSA]);
    expect(published.published).toBe('2026-03-10T12:00:00.000Z');
    expect(published.database_specific.tlp).toBe('CLEAR');
    expect(published.severity).toEqual([
      { type: 'CVSS_V4', score: V40 },
      { type: 'CVSS_V3', score: V31 },
    ]);
    expect(published.database_specific.cvss).toMatchObject({ version: '4.0', vector: V40 });

    // The team wrote the CVE into the description and a reference of the draft, in lower case too.
    const leaky = {
      ...publishedDocument(),
      description: `Tracked as ${CVE} (${CVE.toLowerCase()}).`,
      workarounds: `See ${CVE}.`,
    };
    for (const state of ['draft', 'withdrawn', 'rejected'] as const) {
      const a = advisory(leaky, { state, cveId: CVE });
      for (const record of [toOsv(a, CONTEXT), toGhsa(a, CONTEXT)]) {
        const json = JSON.stringify(record);
        expect(json.toUpperCase()).not.toContain(CVE);
        // The other ids are public: a draft lists them, never the CVE.
        expect(record.aliases).toEqual([GHSA]);
        expect(record.database_specific.tlp).toBe('AMBER');
        expect(json).toContain('CVE-ID-EMBARGOED');
        expectValidOsv(record);
      }
    }
  });

  it("lists the document's other ids as aliases in every state, after the public CVE, each once", () => {
    const draft = toOsv(advisory(manyRangesDocument()), CONTEXT);
    expect(draft.aliases).toEqual(['GO-2026-2963', 'RHSA-2026:0216']);
    expect(
      osvAliases(CVE, advisory({ ...basicDocument(), aliases: [GHSA, 'PYSEC-2026-1'] }).document),
    ).toEqual([CVE, GHSA, 'PYSEC-2026-1']);
    // Aliases differing in case only are one id (the schema refuses them; an older record may not have).
    const doc = { ...advisory(basicDocument()).document, aliases: [GHSA, GHSA.toLowerCase()] };
    expect(osvAliases(null, doc)).toEqual([GHSA]);
    expect(
      toGhsa(advisory(manyRangesDocument(), { state: 'published', cveId: CVE }), CONTEXT).aliases,
    ).toEqual([CVE, 'GO-2026-2963', 'RHSA-2026:0216']);
  });

  it('marks a withdrawn advisory withdrawn, with its time', () => {
    const osv = toOsv(
      advisory(basicDocument(), { state: 'withdrawn', withdrawnAt: '2026-04-01T08:00:00Z' }),
      CONTEXT,
    );
    expect(osv.withdrawn).toBe('2026-04-01T08:00:00.000Z');
    expect(osv.published).toBe('2026-03-02T09:15:00.000Z');
    expect(osv.database_specific.vigil_state).toBe('withdrawn');
    const rejected = toOsv(advisory(basicDocument(), { state: 'rejected' }), CONTEXT);
    expect(rejected.withdrawn).toBe('2026-03-09T17:45:30.250Z');
  });

  it('keeps unicode text as written', () => {
    const a = advisory(unicodeDocument(), { state: 'published', cveId: CVE });
    const osv = toOsv(a, CONTEXT);
    expect(osv.summary).toBe(a.document.summary);
    expect(osv.details).toContain(a.document.description);
    expect(osv.details).toContain('## Mitigations\n\n限制访问 xDS 端口。');
    expect(osv.credits?.map((c) => c.name)).toEqual(['Zoë Ōkubo (大久保)', 'محمد 👩‍💻']);
    expect(osv.affected?.[0]?.package?.name).toBe('@contour/ünïcødé-client');
  });

  it('refuses a GIT range with a short commit hash, naming the path', () => {
    const doc = basicDocument();
    const a = advisory({
      ...doc,
      affected: [
        {
          ecosystem: 'Go',
          package: 'github.com/projectcontour/contour',
          ranges: [
            {
              type: 'GIT',
              repo: 'https://github.com/projectcontour/contour',
              events: [{ introduced: 'a1b2c3' }],
            },
          ],
        },
      ],
    });
    let error: unknown;
    try {
      toOsv(a, CONTEXT);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual([
      'document.affected.0.ranges.0.events.0.introduced',
    ]);
    expect(() => toGhsa(a, CONTEXT)).toThrow(ValidationError);
  });
});
