import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import {
  isOsvEcosystem,
  isPurl,
  isSemver,
  parseAdvisoryDocument,
  patchedVersions,
} from './advisory.schemas.js';

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
});
