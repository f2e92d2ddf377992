import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../lib/paths.js';
import { importGhsaGraphql, importGhsaRest, parseVersionRange } from './ghsa-import.js';

const ghsa = (file: string) =>
  JSON.parse(readFileSync(join(repoRoot(), '..', 'shared', 'standards', 'ghsa', file), 'utf8')) as Record<
    string,
    unknown
  >;

describe('parseVersionRange', () => {
  it('reads GitHub ranges as OSV events', () => {
    expect(parseVersionRange('>= 2.5.0, < 2.5.16')).toEqual({
      events: [{ introduced: '2.5.0' }, { fixed: '2.5.16' }],
    });
    expect(parseVersionRange('< 1.2.3')).toEqual({ events: [{ introduced: '0' }, { fixed: '1.2.3' }] });
    expect(parseVersionRange('<= 1.0.8')).toEqual({
      events: [{ introduced: '0' }, { last_affected: '1.0.8' }],
    });
    expect(parseVersionRange('>= 4.0.0')).toEqual({ events: [{ introduced: '4.0.0' }] });
    expect(parseVersionRange('= 0.2.0')).toEqual({ versions: ['0.2.0'] });
  });

  it('refuses what OSV cannot say', () => {
    expect(parseVersionRange('> 1.0.0')).toBeNull();
    expect(parseVersionRange('>= 1.0.0, >= 2.0.0')).toBeNull();
    expect(parseVersionRange('= 1.0.0, < 2.0.0')).toBeNull();
    expect(parseVersionRange('1.0.0')).toBeNull();
  });
});

describe('importGhsaGraphql', () => {
  it('maps the real GraphQL record as osv-schema converts it', () => {
    const r = importGhsaGraphql(ghsa('GHSA-mr95-9rr4-668f.graphql-api.json'));
    const converted = ghsa('GHSA-mr95-9rr4-668f.converted.osv.json');
    expect(r).toMatchObject({
      format: 'ghsa-graphql',
      sourceId: 'GHSA-mr95-9rr4-668f',
      cveId: 'CVE-2018-16115',
      publishedAt: '2018-10-22T20:44:26.000Z',
      modifiedAt: '2021-09-15T20:58:47.000Z',
      withdrawnAt: null,
      unmapped: [],
    });
    expect(r.document).toMatchObject({
      title: converted.summary,
      summary: converted.summary,
      description: converted.details,
      references: converted.references,
      severity: { cvss: [{ vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N' }] },
      cwes: ['CWE-338'],
      aliases: ['GHSA-mr95-9rr4-668f'],
      affected: [
        {
          ecosystem: 'Maven',
          package: 'com.typesafe.akka:akka-actor_2.12',
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.5.0' }, { fixed: '2.5.16' }] }],
        },
        {
          ecosystem: 'Maven',
          package: 'com.typesafe.akka:akka-actor_2.11',
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.5.0' }, { fixed: '2.5.16' }] }],
        },
      ],
    });
  });

  it('keeps other identifiers as aliases; reports what it cannot map: ecosystems, ranges, a patched version off the range', () => {
    const r = importGhsaGraphql({
      ghsaId: 'GHSA-aaaa-bbbb-cccc',
      identifiers: [
        { type: 'GHSA', value: 'GHSA-aaaa-bbbb-cccc' },
        { type: 'OSV', value: 'PYSEC-1' },
      ],
      origin: 'UNSPECIFIED',
      withdrawnAt: '2022-01-01T00:00:00Z',
      vulnerabilities: {
        nodes: [
          { package: { ecosystem: 'OTHER', name: 'x' }, vulnerableVersionRange: '< 1.0.0' },
          { package: { ecosystem: 'PIP', name: 'y' }, vulnerableVersionRange: '> 1.0.0' },
          {
            package: { ecosystem: 'NPM', name: 'z' },
            vulnerableVersionRange: '<= 1.0.8',
            firstPatchedVersion: { identifier: '1.1.0' },
          },
        ],
      },
    });
    expect(r.withdrawnAt).toBe('2022-01-01T00:00:00.000Z');
    expect(r.document.title).toBe('GHSA-aaaa-bbbb-cccc');
    expect(r.document.affected).toEqual([
      { ecosystem: 'PyPI', package: 'y', ranges: [] },
      {
        ecosystem: 'npm',
        package: 'z',
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { last_affected: '1.0.8' }] }],
      },
    ]);
    expect(r.cveId).toBeNull();
    expect(r.document.aliases).toEqual(['GHSA-aaaa-bbbb-cccc', 'PYSEC-1']);
    expect(r.unmapped).toEqual([
      { path: 'origin', reason: 'no place in the record' },
      { path: 'vulnerabilities.nodes.0', reason: "GitHub ecosystem 'OTHER' has no OSV name: left out" },
      {
        path: 'vulnerabilities.nodes.1.vulnerableVersionRange',
        reason: "range '> 1.0.0' cannot be written in OSV",
      },
      {
        path: 'vulnerabilities.nodes.2.firstPatchedVersion',
        reason: "first patched version 1.1.0 is not the range's fixed bound: not recorded",
      },
    ]);
  });
});

describe('importGhsaRest', () => {
  it('maps a REST global advisory: CVE, vulnerabilities, CVSS v3 and v4, CWEs, credits', () => {
    const r = importGhsaRest({
      ghsa_id: 'GHSA-xxxx-yyyy-zzzz',
      cve_id: 'CVE-2024-1234',
      url: 'https://api.github.com/advisories/GHSA-xxxx-yyyy-zzzz',
      html_url: 'https://github.com/advisories/GHSA-xxxx-yyyy-zzzz',
      summary: 'Heap overflow in the parser',
      description: 'Details **here**.',
      type: 'reviewed',
      severity: 'high',
      identifiers: [
        { type: 'GHSA', value: 'GHSA-xxxx-yyyy-zzzz' },
        { type: 'CVE', value: 'CVE-2024-1234' },
      ],
      references: ['https://github.com/o/r/commit/0123456789abcdef', 'https://example.org/post'],
      published_at: '2024-05-01T10:00:00Z',
      updated_at: '2024-05-02T10:00:00Z',
      withdrawn_at: null,
      vulnerabilities: [
        {
          package: { ecosystem: 'go', name: 'github.com/o/r' },
          vulnerable_version_range: '>= 1.2.0, < 1.2.5',
          first_patched_version: '1.2.5',
          vulnerable_functions: ['r.Parse'],
        },
      ],
      cvss_severities: {
        cvss_v3: { vector_string: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 },
        cvss_v4: {
          vector_string: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N',
          score: 8.7,
        },
      },
      cvss: { vector_string: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 },
      cwes: [{ cwe_id: 'CWE-787', name: 'Out-of-bounds Write' }],
      credits: [
        { user: { login: 'ada' }, type: 'finder' },
        { user: { login: 'bob' }, type: 'chef' },
      ],
    });
    expect(r).toMatchObject({
      format: 'ghsa-rest',
      sourceId: 'GHSA-xxxx-yyyy-zzzz',
      cveId: 'CVE-2024-1234',
    });
    expect(r.document).toEqual({
      title: 'Heap overflow in the parser',
      summary: 'Heap overflow in the parser',
      description: 'Details **here**.',
      affected: [
        {
          ecosystem: 'Go',
          package: 'github.com/o/r',
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.2.0' }, { fixed: '1.2.5' }] }],
        },
      ],
      references: [
        { type: 'FIX', url: 'https://github.com/o/r/commit/0123456789abcdef' },
        { type: 'WEB', url: 'https://example.org/post' },
      ],
      credits: [
        { name: 'ada', type: 'FINDER' },
        { name: 'bob', type: 'OTHER' },
      ],
      severity: {
        cvss: [
          { vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N' },
          { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' },
        ],
      },
      cwes: ['CWE-787'],
      aliases: ['GHSA-xxxx-yyyy-zzzz'],
    });
    expect(r.unmapped).toEqual([
      { path: 'type', reason: 'no place in the record' },
      { path: 'vulnerabilities.0.vulnerable_functions', reason: 'no place in the record' },
      { path: 'credits.1.type', reason: "credit type 'CHEF' is not an OSV type: recorded as OTHER" },
    ]);
  });
});
