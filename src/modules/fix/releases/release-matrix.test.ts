import { describe, expect, it } from 'vitest';
import type { AffectedEntry } from '../../advisory/advisory.schemas.js';
import type { Policy } from '../../policy/policy.schema.js';
import { branchOf, computeReleaseMatrix, type MatrixInput } from './release-matrix.js';
import { compareVersions, parseVersion, rangeSegments, readAffected } from './version-ranges.js';

const releases = (over: Partial<Policy['releases']> = {}): Policy['releases'] => ({
  supportedLines: ['1.27', '1.28'],
  supportNote: null,
  mainBranch: 'main',
  branchPattern: 'release-{line}',
  backportToAllSupported: true,
  securityFixesBlockReleases: true,
  fixCommitsMustNotRevealIssue: true,
  fixCommitsAreNotRewritten: false,
  ...over,
});

type Events = AffectedEntry['ranges'][number]['events'];
const semver = (...events: Events): AffectedEntry => ({
  ecosystem: 'Go',
  package: 'example.org/x',
  ranges: [{ type: 'SEMVER', events }],
});

const input = (affected: AffectedEntry[] | null, over: Partial<MatrixInput> = {}): MatrixInput => ({
  releases: releases(),
  lowSeverityThreshold: 4,
  affected,
  cvssScore: 7.5,
  ...over,
});

const v = (s: string) => {
  const p = parseVersion(s);
  if (!p) throw new Error(s);
  return p;
};

describe('versions', () => {
  it('orders releases, pre-releases and padded parts as SemVer does', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.2',
      '1.10.0',
      '2.0.0',
    ];
    for (let i = 1; i < ordered.length; i++) {
      expect(compareVersions(v(ordered[i - 1] ?? ''), v(ordered[i] ?? '')), ordered[i]).toBeLessThan(0);
    }
    expect(compareVersions(v('v1.28'), v('1.28.0'))).toBe(0);
    expect(compareVersions(v('1.28.0+build.5'), v('1.28.0'))).toBe(0);
    expect(compareVersions(v('1.28.0rc1'), v('1.28.0'))).toBeLessThan(0);
    expect(parseVersion('deadbeef')).toBeNull();
    expect(parseVersion('1:2.3-4')).toBeNull();
  });

  it('reads the events sorted by version, each introduced opening and each fix closing an interval', () => {
    const { segments } = rangeSegments({
      type: 'SEMVER',
      events: [{ introduced: '1.28.0' }, { fixed: '1.28.3' }, { introduced: '1.27.0' }, { fixed: '1.27.9' }],
    });
    expect(segments).toHaveLength(2);
    expect(readAffected([semver({ introduced: '0' })]).segments).toEqual([
      { from: 'min', to: 'max', toInclusive: true },
    ]);
  });

  it('skips GIT ranges and reports versions it cannot place', () => {
    const git: AffectedEntry = {
      ranges: [
        { type: 'GIT', repo: 'https://example.org/x.git', events: [{ introduced: '0' }, { fixed: 'abc' }] },
      ],
    };
    expect(readAffected([git])).toMatchObject({ segments: [], gitOnly: true });
    const eco: AffectedEntry = {
      ecosystem: 'Debian',
      package: 'x',
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:2.3-4' }] }],
    };
    expect(readAffected([eco])).toMatchObject({ segments: [], unreadable: ['1:2.3-4'] });
  });
});

describe('the release matrix (PROCESS.md §5)', () => {
  it('patches every affected supported line and fixes main', () => {
    const m = computeReleaseMatrix(input([semver({ introduced: '1.20.0' }, { fixed: '1.28.4' })]));
    expect(m.outcome).toBe('patch-releases');
    expect(m.rows).toEqual([
      { line: '1.27', branch: 'release-1.27', kind: 'patch', blocker: true },
      { line: '1.28', branch: 'release-1.28', kind: 'patch', blocker: true },
      { line: 'main', branch: 'main', kind: 'main-fix', blocker: false },
    ]);
    expect(m.lines).toEqual([
      { line: '1.27', affected: true },
      { line: '1.28', affected: true },
    ]);
    expect(m).toMatchObject({ publicIssue: false, cveWarranted: true });
    expect(m.explanation).toContain('1.27 and 1.28 are affected');
    expect(m.explanation).toContain('release-1.27 and release-1.28');
  });

  it('patches only the lines an interval touches, across several ranges and listed versions', () => {
    const m = computeReleaseMatrix(
      input(
        [
          semver({ introduced: '1.26.0' }, { fixed: '1.26.5' }),
          { ecosystem: 'npm', package: 'y', versions: ['1.28.2'], ranges: [] },
        ],
        { releases: releases({ supportedLines: ['1.28', '1.26', '1.27'] }) },
      ),
    );
    expect(m.rows.map((r) => r.line)).toEqual(['1.26', '1.28', 'main']);
    expect(m.lines).toEqual([
      { line: '1.26', affected: true },
      { line: '1.27', affected: false },
      { line: '1.28', affected: true },
    ]);
    expect(m.explanation).toContain('1.27 is not affected');
  });

  it('counts a line by its releases (not the pre-releases before it), and an inclusive last_affected', () => {
    const pre = computeReleaseMatrix(input([semver({ introduced: '1.28.0-rc.1' }, { fixed: '1.28.1' })]));
    expect(pre.rows.map((r) => r.line)).toEqual(['1.28', 'main']);
    const onlyPre = computeReleaseMatrix(input([semver({ introduced: '1.28.0-rc.1' }, { fixed: '1.28.0' })]));
    expect(onlyPre.outcome).toBe('no-release');
    const last = computeReleaseMatrix(input([semver({ introduced: '1.26.0' }, { last_affected: '1.27.0' })]));
    expect(last.rows.map((r) => r.line)).toEqual(['1.27', 'main']);
    // fixed in 1.27.0: no 1.27 version is affected.
    const fixed = computeReleaseMatrix(input([semver({ introduced: '1.26.0' }, { fixed: '1.27.0' })]));
    expect(fixed.outcome).toBe('no-release');
  });

  it('patches only the newest affected line when the policy does not backport to all', () => {
    const m = computeReleaseMatrix(
      input([semver({ introduced: '0' })], { releases: releases({ backportToAllSupported: false }) }),
    );
    expect(m.rows.map((r) => r.line)).toEqual(['1.28', 'main']);
    expect(m.explanation).toContain('1.27 gets no patch release');
  });

  it('sends a fix introduced after the newest supported line into the next release, as a blocker', () => {
    const m = computeReleaseMatrix(input([semver({ introduced: '1.29.0-alpha.1' })]));
    expect(m.outcome).toBe('next-release');
    expect(m.rows).toEqual([{ line: 'next', branch: 'main', kind: 'next', blocker: true }]);
    expect(m.lines.every((l) => !l.affected)).toBe(true);
    expect(m.explanation).toContain('a release blocker');
    const notBlocking = computeReleaseMatrix(
      input([semver({ introduced: '1.29.0' })], {
        releases: releases({ securityFixesBlockReleases: false }),
      }),
    );
    expect(notBlocking.rows[0]?.blocker).toBe(false);
    expect(notBlocking.explanation).not.toContain('blocker');
  });

  it('releases from main when the policy lists no supported line', () => {
    const m = computeReleaseMatrix(
      input([semver({ introduced: '0' }, { fixed: '0.9.1' })], {
        releases: releases({ supportedLines: [] }),
      }),
    );
    expect(m.outcome).toBe('next-release');
    expect(m.explanation).toContain('lists no supported release line');
  });

  it('ships nothing when only unsupported lines are affected: a public issue, a CVE by severity', () => {
    const affected = [semver({ introduced: '1.20.0' }, { fixed: '1.25.3' })];
    const high = computeReleaseMatrix(input(affected, { cvssScore: 5.3 }));
    expect(high).toMatchObject({ outcome: 'no-release', rows: [], publicIssue: true, cveWarranted: true });
    expect(high.explanation).toContain('a public issue');
    expect(high.explanation).toContain('request a CVE (CVSS 5.3 is at or above 4.0)');
    const low = computeReleaseMatrix(input(affected, { cvssScore: 3.9 }));
    expect(low).toMatchObject({ cveWarranted: false });
    expect(low.explanation).toContain('no CVE (CVSS 3.9 is below 4.0)');
    expect(computeReleaseMatrix(input(affected, { cvssScore: 4 })).cveWarranted).toBe(true);
    const unscored = computeReleaseMatrix(input(affected, { cvssScore: null }));
    expect(unscored.cveWarranted).toBeNull();
    expect(unscored.explanation).toContain('score the advisory');
    // An unsupported line between two supported ones.
    const gap = computeReleaseMatrix(
      input([semver({ introduced: '1.27.0' }, { fixed: '1.28.0' })], {
        releases: releases({ supportedLines: ['1.26', '1.28'] }),
      }),
    );
    expect(gap.outcome).toBe('no-release');
  });

  it('is unknown without an advisory or without versions it can place, saying what to fill', () => {
    const none = computeReleaseMatrix(input(null));
    expect(none).toMatchObject({ outcome: 'unknown', rows: [], cveWarranted: null, publicIssue: false });
    expect(none.explanation).toContain('no advisory yet');
    expect(computeReleaseMatrix(input([])).explanation).toContain("fill the advisory's affected versions");
    const empty = computeReleaseMatrix(input([{ ecosystem: 'Go', package: 'x', ranges: [] }]));
    expect(empty.outcome).toBe('unknown');
    const git = computeReleaseMatrix(
      input([
        { ranges: [{ type: 'GIT', repo: 'https://example.org/x.git', events: [{ introduced: '0' }] }] },
      ]),
    );
    expect(git.explanation).toContain('only as commits');
    const odd = computeReleaseMatrix(
      input([
        {
          ecosystem: 'Debian',
          package: 'x',
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1:2' }] }],
        },
      ]),
    );
    expect(odd.explanation).toContain('cannot place the affected versions 1:2');
  });

  it('names branches by the policy pattern', () => {
    expect(branchOf(releases({ branchPattern: 'security/{line}-fix' }), '1.28')).toBe('security/1.28-fix');
  });
});
