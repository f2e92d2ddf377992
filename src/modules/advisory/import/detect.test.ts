import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/errors.js';
import { detectFormat, mapImportRecord } from './detect.js';

describe('detectFormat', () => {
  it('tells OSV, GitHub GraphQL and GitHub REST apart by their fields', () => {
    expect(detectFormat({ id: 'GO-1', modified: '2024-01-01T00:00:00Z' })).toBe('osv');
    expect(detectFormat({ ghsaId: 'GHSA-1' })).toBe('ghsa-graphql');
    expect(detectFormat({ ghsa_id: 'GHSA-1' })).toBe('ghsa-rest');
  });

  it('refuses anything else with the field and the reason', () => {
    const refused = (v: unknown) => {
      try {
        detectFormat(v);
      } catch (err) {
        return err instanceof ValidationError ? err.issues : err;
      }
      return 'accepted';
    };
    expect(refused({ title: 'x' })).toEqual([
      { path: 'id', message: 'not OSV (no `id`/`modified`) nor a GitHub advisory (no `ghsa_id`/`ghsaId`)' },
    ]);
    expect(refused({ id: 'x' })).toEqual([expect.objectContaining({ path: 'modified' })]);
    expect(refused([1, 2])).toEqual([expect.objectContaining({ path: '(document)' })]);
  });
});

describe('mapImportRecord', () => {
  it('fits the document: refused pieces are left out and reported, the rest stands', () => {
    const r = mapImportRecord({
      id: 'X-1',
      modified: '2024-01-01T00:00:00Z',
      summary: `A ${'long '.repeat(150)}summary`,
      affected: [
        { package: { ecosystem: 'NotAnEcosystem', name: 'a' } },
        {
          package: { ecosystem: 'npm', name: 'b', purl: 'not a purl' },
          ranges: [
            { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: 'v1.2' }] },
            { type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '1.1' }] },
            { type: 'GIT', events: [{ introduced: '0' }] },
          ],
        },
      ],
      references: [
        { type: 'WEB', url: 'ftp://example.org/x' },
        { type: 'FIX', url: 'https://example.org/fix' },
      ],
    });
    expect(r.document.affected).toEqual([
      {
        ecosystem: 'npm',
        package: 'b',
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '1.1' }] }],
      },
    ]);
    expect(r.document.references).toEqual([{ type: 'FIX', url: 'https://example.org/fix' }]);
    expect(r.document.title.length).toBe(300);
    expect(r.document.summary.length).toBe(500);
    expect(r.unmapped.map((u) => u.path).sort()).toEqual([
      'document.affected.0',
      'document.affected.1.purl',
      'document.affected.1.ranges.0',
      'document.affected.1.ranges.2',
      'document.references.0',
      'document.summary',
    ]);
    expect(r.unmapped.find((u) => u.path === 'document.affected.1.ranges.0')?.reason).toContain(
      "'v1.2' is not a semantic version",
    );
  });
});
