import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../lib/paths.js';
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
  manyRangesDocument,
  publishedDocument,
  schemaErrors,
  type ValidateStandard,
} from './export.test-support.js';
import { ghsaSeverityOf, toGhsa } from './ghsa.js';

let validate: ValidateStandard;
beforeAll(async () => {
  validate = await loadValidator();
});

describe('toGhsa', () => {
  it('writes the github/advisory-database fields the real record has', () => {
    const real = JSON.parse(
      readFileSync(
        join(repoRoot(), '..', 'shared', 'standards', 'ghsa', 'GHSA-9v2f-6vcg-3hgv.advisory-database.json'),
        'utf8',
      ),
    ) as { database_specific: Record<string, unknown> };
    const ours = toGhsa(
      advisory(publishedDocument(), { state: 'published', cveId: CVE, publishedAt: '2026-03-10T12:00:00Z' }),
      CONTEXT,
    );
    for (const key of Object.keys(real.database_specific)) expect(ours.database_specific).toHaveProperty(key);
    expect(ours.database_specific).toMatchObject({
      cwe_ids: ['CWE-787'],
      // v4.0 speaks for the advisory: VC:H/VI:L scores 8.8, high (the v3.1 vector is 9.8, critical).
      severity: 'HIGH',
      github_reviewed: false,
      github_reviewed_at: null,
      nvd_published_at: null,
      tlp: 'CLEAR',
    });
    expect(ours.aliases).toEqual([CVE, GHSA]);
    expect(ours.severity).toEqual([
      { type: 'CVSS_V4', score: V40 },
      { type: 'CVSS_V3', score: V31 },
    ]);
    const r = validate('osv', ours);
    expect(r.valid, schemaErrors(r)).toBe(true);
  });

  it("uses ECOSYSTEM ranges, GitHub's last-known-affected range, no GIT ranges and no CVSS v2", () => {
    const ghsa = toGhsa(advisory(manyRangesDocument()), CONTEXT);
    // The GitHub Actions package had only a GIT range, and the last entry has no package (GitHub's
    // records always name one): nothing is left of either.
    expect(ghsa.affected).toHaveLength(3);
    expect(ghsa.affected?.map((a) => a.package?.name)).toEqual([
      'github.com/projectcontour/contour',
      'contour-client',
      'contour',
    ]);
    const go = ghsa.affected?.[0];
    expect(go?.ranges).toEqual([
      { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.26.5' }] },
      { type: 'ECOSYSTEM', events: [{ introduced: '1.27.0' }, { fixed: '1.27.3' }] },
      {
        type: 'ECOSYSTEM',
        events: [{ introduced: '1.28.0' }, { last_affected: '1.28.3' }],
        database_specific: { last_known_affected_version_range: '<= 1.28.3' },
      },
    ]);
    expect(go?.versions).toEqual(['1.28.0', '1.28.1', '1.28.2', '1.28.3']);
    expect(ghsa.severity).toEqual([{ type: 'CVSS_V3', score: V30 }]);
    expect(JSON.stringify(ghsa)).not.toContain(V20);
    // v3.0 speaks over v2.0: AV:L/AC:H/PR:L/UI:R/S:C/C:L scores 2.5, low.
    expect(ghsa.database_specific.severity).toBe('LOW');
    expect(ghsa.database_specific.tlp).toBe('AMBER');
  });

  it('has no severity without a CVSS vector, and maps each band', () => {
    const ghsa = toGhsa(advisory({ ...basicDocument(), severity: { cvss: [] } }), CONTEXT);
    expect(ghsa.database_specific.severity).toBeNull();
    expect(ghsa).not.toHaveProperty('severity');
    expect((['none', 'low', 'medium', 'high', 'critical'] as const).map((s) => ghsaSeverityOf(s))).toEqual([
      'LOW',
      'LOW',
      'MODERATE',
      'HIGH',
      'CRITICAL',
    ]);
  });
});
