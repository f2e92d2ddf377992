import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import {
  isOsvEcosystem,
  isPurl,
  isSemver,
  parseAdvisoryDocument,
  patchedVersions,
  repositoryName,
} from './advisory.schemas.js';

/** The issue paths of a refused document, or [] when it is accepted. */
function refusedPaths(document: unknown): string[] {
  try {
    parseAdvisoryDocument(document);
    return [];
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return err.issues.map((i) => i.path);
  }
}

const GRAYLOG = 'https://github.com/graylog2/graylog2-server';
const gitRange = (repo?: string) => ({
  type: 'GIT' as const,
  ...(repo ? { repo } : {}),
  events: [{ introduced: '0' }, { fixed: '466af814523cffae9fbc7e77bab7472988f03c3e' }],
});

describe('advisory document rules', () => {
  it('accepts SemVer 2.0.0 and nothing looser', () => {
    for (const v of ['1.2.3', '0.0.0', '1.2.3-rc.1', '1.2.3-alpha.0+build.5', '10.20.30']) {
      expect(isSemver(v), v).toBe(true);
    }
    for (const v of ['v1.2.3', '1.2', '01.2.3', '1.2.3-01', '1.2.3.4', '1.2.3 ', '']) {
      expect(isSemver(v), v).toBe(false);
    }
  });

  it('accepts Package URLs and refuses what is not one', () => {
    for (const p of [
      'pkg:golang/github.com/projectcontour/contour',
      'pkg:npm/%40angular/core@1.0.0',
      'pkg:maven/org.apache/log4j-core@2.14.1?type=jar',
      'pkg:pypi/django',
    ]) {
      expect(isPurl(p), p).toBe(true);
    }
    for (const p of ['golang/contour', 'pkg:/name', 'pkg:npm/', 'pkg:1npm/x', 'pkg:npm/a b', 'https://x']) {
      expect(isPurl(p), p).toBe(false);
    }
  });

  it('knows OSV ecosystems, with or without a release suffix', () => {
    for (const e of [
      'Go',
      'npm',
      'PyPI',
      'crates.io',
      'Maven',
      'GitHub Actions',
      'Debian:12',
      'Alpine:v3.20',
    ]) {
      expect(isOsvEcosystem(e), e).toBe(true);
    }
    for (const e of ['go', 'NPM', 'Gopher', 'Debian:', '']) expect(isOsvEcosystem(e), e).toBe(false);
  });

  it('refuses a bad document with a ValidationError naming each path', () => {
    const bad = {
      title: 'x',
      affected: [{ ecosystem: 'Go', package: 'p', ranges: [{ type: 'SEMVER', events: [{ fixed: '1.0' }] }] }],
      cwes: ['CWE-0'],
      references: [{ type: 'WEB', url: 'javascript:alert(1)' }],
    };
    let caught: unknown;
    try {
      parseAdvisoryDocument(bad);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'document.affected.0.ranges.0.events',
        'document.affected.0.ranges.0.events.0.fixed',
        'document.cwes.0',
        'document.references.0.url',
      ]),
    );
  });

  it('derives patched versions from fixed events of version ranges, not from commits', () => {
    const doc = parseAdvisoryDocument({
      title: 'x',
      affected: [
        {
          ecosystem: 'npm',
          package: 'p',
          ranges: [
            {
              type: 'SEMVER',
              events: [{ introduced: '0' }, { fixed: '1.0.1' }, { introduced: '2.0.0' }, { fixed: '2.0.3' }],
            },
            {
              type: 'GIT',
              repo: 'https://example.org/p.git',
              events: [{ introduced: 'abc' }, { fixed: 'def' }],
            },
          ],
        },
      ],
    });
    expect(patchedVersions(doc)).toEqual([{ ecosystem: 'npm', package: 'p', versions: ['1.0.1', '2.0.3'] }]);
  });

  it('accepts an entry without a package whose ranges are all GIT ranges with their repository', () => {
    const doc = parseAdvisoryDocument({
      title: 'x',
      affected: [{ ranges: [gitRange(GRAYLOG), { ...gitRange(`${GRAYLOG}.git`) }] }],
    });
    expect(doc.affected[0]).toEqual({ ranges: [gitRange(GRAYLOG), gitRange(`${GRAYLOG}.git`)] });
    expect(doc.affected[0]).not.toHaveProperty('package');
    expect(doc.affected[0]).not.toHaveProperty('ecosystem');
  });

  it('refuses an entry without a package unless it lists only GIT ranges with a repository, and no purl', () => {
    const doc = (entry: object) => ({ title: 'x', affected: [entry] });
    const semver = { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] };
    expect(refusedPaths(doc({ ranges: [] }))).toEqual(['document.affected.0.package']);
    expect(refusedPaths(doc({}))).toEqual(['document.affected.0.package']);
    expect(refusedPaths(doc({ ranges: [gitRange(GRAYLOG), semver] }))).toEqual([
      'document.affected.0.package',
    ]);
    expect(refusedPaths(doc({ ranges: [gitRange()] }))).toEqual([
      'document.affected.0.package',
      'document.affected.0.ranges.0.repo',
    ]);
    expect(
      refusedPaths(doc({ purl: 'pkg:github/graylog2/graylog2-server', ranges: [gitRange(GRAYLOG)] })),
    ).toEqual(['document.affected.0.purl']);
    let caught: unknown;
    try {
      parseAdvisoryDocument(doc({ versions: ['5.0.9'] }));
    } catch (err) {
      caught = err;
    }
    expect((caught as ValidationError).issues).toEqual([
      {
        path: 'document.affected.0.package',
        message: 'name the package and its ecosystem, or list GIT ranges with their repository',
      },
    ]);
  });

  it('refuses a package without its ecosystem and an ecosystem without its package', () => {
    const ranges = [gitRange(GRAYLOG)];
    expect(refusedPaths({ title: 'x', affected: [{ package: 'p', ranges }] })).toEqual([
      'document.affected.0.ecosystem',
    ]);
    expect(refusedPaths({ title: 'x', affected: [{ ecosystem: 'Go', ranges }] })).toEqual([
      'document.affected.0.package',
    ]);
    expect(refusedPaths({ title: 'x', affected: [{ ecosystem: 'Go', package: 'p', ranges: [] }] })).toEqual(
      [],
    );
  });

  it('gives an entry without a package no patched versions: fixed commits are not versions', () => {
    const doc = parseAdvisoryDocument({
      title: 'x',
      affected: [
        { ranges: [gitRange(GRAYLOG)] },
        {
          ecosystem: 'Maven',
          package: 'org.graylog2:graylog2-server',
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '5.0.9' }] }],
        },
      ],
    });
    expect(patchedVersions(doc)).toEqual([
      { ecosystem: 'Maven', package: 'org.graylog2:graylog2-server', versions: ['5.0.9'] },
    ]);
  });

  it('names a repository by owner and name', () => {
    expect(repositoryName(GRAYLOG)).toBe('graylog2/graylog2-server');
    expect(repositoryName(`${GRAYLOG}.git/`)).toBe('graylog2/graylog2-server');
    expect(repositoryName('https://gitlab.com/group/sub/project')).toBe('sub/project');
    expect(repositoryName('https://git.example.org/solo')).toBe('solo');
    expect(repositoryName('https://git.example.org/')).toBe('https://git.example.org/');
    expect(repositoryName('https://git.example.org/o/%E0%A4%A')).toBe('o/%E0%A4%A');
  });
});

describe('advisory aliases (other ids of the vulnerability)', () => {
  const doc = (aliases: unknown) => ({ title: 'T', aliases });
  /** The issues of a refused document, as `path: message`. */
  function issuesOf(document: unknown): string[] {
    try {
      parseAdvisoryDocument(document);
      return [];
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return err.issues.map((i) => `${i.path}: ${i.message}`);
    }
  }

  it('accepts the ids of other databases, trimmed, and defaults to none', () => {
    const ids = ['GHSA-9v2f-6vcg-3hgv', 'PYSEC-2023-74', 'GO-2024-2963', 'RHSA-2022:0216', 'MAL-2024-10238'];
    expect(parseAdvisoryDocument(doc([...ids.slice(0, -1), ` ${ids.at(-1) ?? ''} `])).aliases).toEqual(ids);
    expect(parseAdvisoryDocument({ title: 'T' }).aliases).toEqual([]);
  });

  it('refuses a duplicate (in any case), naming the second and the first', () => {
    expect(issuesOf(doc(['GHSA-9v2f-6vcg-3hgv', 'PYSEC-2023-74', 'ghsa-9v2f-6vcg-3hgv']))).toEqual([
      'document.aliases.2: is a duplicate of aliases.0',
    ]);
  });

  it('refuses a CVE id, in any case, pointing to where the CVE id is recorded', () => {
    const issues = issuesOf(doc(['GHSA-9v2f-6vcg-3hgv', 'CVE-2024-1234', 'cve-2024-99999']));
    expect(issues.map((i) => i.split(':')[0])).toEqual(['document.aliases.1', 'document.aliases.2']);
    for (const issue of issues)
      expect(issue).toContain('record the CVE id with PUT /api/v1/cases/{id}/advisory/cve');
  });

  it('refuses what is not an advisory id, and more than 20', () => {
    for (const bad of [
      'GHSA',
      'ghsa_1',
      '-1',
      '1-2',
      'GHSA-a b',
      'GHSA-a\nb',
      'x_CTR-ADV-2026-0001',
      '',
      `A-${'1'.repeat(99)}`,
    ]) {
      expect(refusedPaths(doc([bad])), JSON.stringify(bad)).toEqual(['document.aliases.0']);
    }
    const many = Array.from({ length: 21 }, (_, i) => `GO-2024-${i + 1}`);
    expect(refusedPaths(doc(many))).toEqual(['document.aliases']);
    expect(parseAdvisoryDocument(doc(many.slice(0, 20))).aliases).toHaveLength(20);
    expect(refusedPaths(doc('GHSA-9v2f-6vcg-3hgv'))).toEqual(['document.aliases']);
  });
});
