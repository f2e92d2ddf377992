import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../lib/paths.js';
import { parseAdvisoryDocument } from '../advisory.schemas.js';
import { fitDocument } from './fit-document.js';
import type { UnmappedField } from './imported-record.js';
import { importOsv } from './osv-import.js';

const example = (file: string) =>
  JSON.parse(
    readFileSync(join(repoRoot(), '..', 'shared', 'standards', 'osv', 'examples', file), 'utf8'),
  ) as Record<string, unknown>;

describe('importOsv', () => {
  it('maps a Go record: summary, details, SEMVER ranges with two introduced, references, dates, CVE alias', () => {
    const r = importOsv(example('GO-2024-2963.json'));
    expect(r).toMatchObject({
      format: 'osv',
      sourceId: 'GO-2024-2963',
      cveId: 'CVE-2024-24791',
      publishedAt: '2024-07-02T20:11:00.000Z',
      modifiedAt: '2024-07-02T20:11:00.000Z',
      withdrawnAt: null,
    });
    expect(r.document.title).toBe('Denial of service due to improper 100-continue handling in net/http');
    // The record's own id is an alias of the advisory; the CVE id is its cveId.
    expect(r.document.aliases).toEqual(['GO-2024-2963']);
    expect(r.document.affected).toEqual([
      {
        ecosystem: 'Go',
        package: 'stdlib',
        ranges: [
          {
            type: 'SEMVER',
            events: [
              { introduced: '0' },
              { fixed: '1.21.12' },
              { introduced: '1.22.0-0' },
              { fixed: '1.22.5' },
            ],
          },
        ],
      },
    ]);
    expect(r.document.credits).toEqual([{ name: 'Geoff Franks', type: 'OTHER' }]);
    expect(r.unmapped).toEqual([
      { path: 'database_specific.url', reason: 'no place in the record' },
      { path: 'database_specific.review_status', reason: 'no place in the record' },
      { path: 'affected.0.ecosystem_specific', reason: 'ecosystem-specific data has no place in the record' },
      { path: 'credits.0.type', reason: 'no credit type: recorded as OTHER' },
    ]);
  });

  it('keeps the CVE id as the cveId, its own id and the other aliases as aliases, and reports related ids', () => {
    const pysec = importOsv(example('PYSEC-2023-74.json'));
    expect(pysec.cveId).toBe('CVE-2023-32681');
    expect(pysec.document.aliases).toEqual(['PYSEC-2023-74', 'GHSA-j8r2-6x86-q33q']);
    expect(pysec.unmapped.filter((u) => u.path.startsWith('aliases'))).toEqual([]);
    expect(pysec.document.title).toBe('Requests is a HTTP library.');
    const rhsa = importOsv(example('RHSA-2022_0216.json'));
    expect(rhsa.cveId).toBeNull();
    expect(rhsa.document.aliases).toEqual(['RHSA-2022:0216']);
    expect(rhsa.unmapped).toEqual([{ path: 'related', reason: 'related ids have no place in the record' }]);
    // A record whose own id is the CVE id: its other ids only.
    const graylog = importOsv(example('CVE-2023-41045.json'));
    expect(graylog.cveId).toBe('CVE-2023-41045');
    expect(graylog.document.aliases).toEqual(['GHSA-g96c-x7rh-99r3']);
  });

  it('leaves out CVE ids, Vigil ids, repeats and what is not an id from the aliases, reporting each', () => {
    const r = importOsv({
      id: 'x_CTR-ADV-2026-0001',
      modified: '2024-01-01T00:00:00Z',
      summary: 'S',
      aliases: [
        'CVE-2024-1111',
        'GHSA-aaaa-bbbb-cccc',
        'CVE-2024-2222',
        'ghsa-AAAA-bbbb-cccc',
        'x_OTHER-ADV-1',
        'not an id',
        7,
      ],
    });
    expect(r.cveId).toBe('CVE-2024-1111');
    expect(r.document.aliases).toEqual(['GHSA-aaaa-bbbb-cccc', 'x_OTHER-ADV-1', 'not an id']);
    const unmapped: UnmappedField[] = [];
    expect(fitDocument(r.document, unmapped).aliases).toEqual(['GHSA-aaaa-bbbb-cccc']);
    expect([...r.unmapped, ...unmapped].map((u) => u.path)).toEqual([
      'aliases.6',
      'aliases.2',
      'document.aliases.2',
      'document.aliases.1',
    ]);
    expect(r.unmapped[1]?.reason).toBe(
      'alias CVE-2024-2222: a second CVE id (the advisory keeps CVE-2024-1111)',
    );
  });

  it('takes CWE ids from database_specific, dropping unknown ones with a reason', () => {
    const r = importOsv({
      id: 'X-1',
      modified: '2024-01-01T00:00:00Z',
      database_specific: { cwe_ids: ['CWE-79', 'CWE-16', 'cwe-787', 'nonsense'] },
    });
    expect(r.document.cwes).toEqual(['CWE-79', 'CWE-787']);
    expect(r.unmapped).toEqual([
      { path: 'database_specific.cwe_ids.1', reason: "'CWE-16' is not a known CWE (MITRE CWE 4.15)" },
      { path: 'database_specific.cwe_ids.3', reason: "'nonsense' is not a known CWE (MITRE CWE 4.15)" },
    ]);
  });

  it('reorders CVSS v4.0 metrics written out of order, drops vectors the parser refuses, one per version', () => {
    const r = importOsv({
      id: 'X-2',
      modified: '2024-01-01T00:00:00Z',
      severity: [
        { type: 'CVSS_V4', score: 'CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H' },
        { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
        { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:C/I:C/A:C' },
        { type: 'Ubuntu', score: 'high' },
      ],
    });
    expect(r.document.severity).toEqual({
      cvss: [
        { vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
        { vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
      ],
    });
    expect(r.unmapped.map((u) => u.path)).toEqual([
      'severity.0.score',
      'severity.1.score',
      'severity.4',
      'severity.3',
    ]);
    expect(r.unmapped[0]?.reason).toContain("out of the specification's order");
    expect(r.unmapped[1]?.reason).toMatch(/^CVSS vector 'CVSS:3.1\/.*' refused: /);
    expect(r.unmapped[3]?.reason).toBe('a second CVSS 2.0 vector: Vigil keeps one per version');
  });

  it('keeps a package-less affected entry (a bare GIT range) as it is, reporting nothing about it', () => {
    const r = importOsv(example('CVE-2023-41045.json'));
    expect(r.document.affected).toEqual([
      {
        ranges: [
          {
            type: 'GIT',
            repo: 'https://github.com/graylog2/graylog2-server',
            events: [
              { introduced: '0' },
              { fixed: '466af814523cffae9fbc7e77bab7472988f03c3e' },
              { fixed: 'a101f4f12180fd3dfa7d3345188a099877a3c327' },
            ],
          },
        ],
      },
    ]);
    expect(r.unmapped.filter((u) => u.path.startsWith('affected'))).toEqual([]);
    expect(parseAdvisoryDocument(r.document).affected).toEqual(r.document.affected);
  });

  it('leaves out, and reports, an entry with neither a package nor GIT ranges with a repository', () => {
    const unmapped: UnmappedField[] = [];
    const r = importOsv({
      id: 'X-1',
      modified: '2024-01-01T00:00:00Z',
      summary: 's',
      affected: [
        { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] },
        { ranges: [{ type: 'GIT', events: [{ introduced: '0' }] }] },
      ],
    });
    const doc = fitDocument(r.document, unmapped);
    expect(doc.affected).toEqual([]);
    expect(unmapped.map((u) => u.path)).toEqual([
      'document.affected.1.ranges.0',
      'document.affected.1',
      'document.affected.0',
    ]);
  });

  it('refuses a record without id or modified, naming the field', () => {
    expect(() => importOsv({ modified: '2024-01-01T00:00:00Z' })).toThrow(
      expect.objectContaining({
        issues: [{ path: 'id', message: 'is required in a OSV record (a non-empty string)' }],
      }),
    );
    expect(() => importOsv({ id: 'X-3' })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: 'modified' })] }),
    );
  });
});
