import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareSemver,
  comparePackagist,
  comparePep440,
  orderFor,
  type VersionCompare,
} from './version-order.js';

/** `versions` is in ascending order by `compare`, each strictly above the one before. */
function expectAscending(compare: VersionCompare, versions: string[]): void {
  for (let i = 1; i < versions.length; i++) {
    const [a, b] = [versions[i - 1] ?? '', versions[i] ?? ''];
    expect(compare(a, b), `${a} < ${b}`).toBeLessThan(0);
    expect(compare(b, a), `${b} > ${a}`).toBeGreaterThan(0);
  }
}

describe('SemVer precedence', () => {
  it('orders the examples of SemVer 2.0.0 §11', () => {
    expectAscending(compareSemver, [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '2.0.0',
      '2.1.0',
      '2.1.1',
      '10.0.0',
    ]);
  });

  it('reads versions as osv.dev does: a leading v, missing parts as 0, build metadata ignored', () => {
    expect(compareSemver('v1.2.3', '1.2.3')).toBe(0);
    expect(compareSemver('1.2', '1.2.0')).toBe(0);
    expect(compareSemver('1.2.3+build.5', '1.2.3')).toBe(0);
    expect(compareSemver('1.22.0-0', '1.22.0')).toBeLessThan(0);
    expect(compareSemver('99999999999999999999.0.0', '99999999999999999998.0.0')).toBeGreaterThan(0);
  });

  it('is a total order on generated versions (antisymmetric and transitive)', () => {
    const part = fc.integer({ min: 0, max: 30 });
    const pre = fc.option(fc.constantFrom('alpha', 'beta.1', 'rc.2', '0', '1'), { nil: undefined });
    const version = fc
      .tuple(part, part, part, pre)
      .map(([a, b, c, p]) => `${a}.${b}.${c}${p ? `-${p}` : ''}`);
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        expect(Math.sign(compareSemver(a, b))).toBe(-Math.sign(compareSemver(b, a)) || 0);
        if (compareSemver(a, b) <= 0 && compareSemver(b, c) <= 0)
          expect(compareSemver(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});

describe('PEP 440', () => {
  it("orders PEP 440's examples: dev, pre, release, post, and local versions", () => {
    expectAscending(comparePep440, [
      '1.0.dev456',
      '1.0a1',
      '1.0a2.dev456',
      '1.0a12.dev456',
      '1.0a12',
      '1.0b1.dev456',
      '1.0b2',
      '1.0b2.post345.dev456',
      '1.0b2.post345',
      '1.0rc1.dev456',
      '1.0rc1',
      '1.0',
      '1.0+abc.5',
      '1.0+abc.7',
      '1.0+5',
      '1.0.post456.dev34',
      '1.0.post456',
      '1.1.dev1',
      '1!0.1',
    ]);
  });

  it('normalises spellings and ignores case', () => {
    expect(comparePep440('1.0alpha1', '1.0a1')).toBe(0);
    expect(comparePep440('1.0-1', '1.0.post1')).toBe(0);
    expect(comparePep440('1.0RC1', '1.0c1')).toBe(0);
    expect(comparePep440('1.0', '1.0.0')).toBe(0);
    // A version PEP 440 cannot read sorts before every one it can.
    expect(comparePep440('not.a.version', '0.0.1')).toBeLessThan(0);
  });
});

describe('Packagist (PHP version_compare)', () => {
  it('orders dev, alpha, beta, RC, release and patch', () => {
    expectAscending(comparePackagist, [
      '1.0.0-dev',
      '1.0.0-alpha1',
      '1.0.0-beta2',
      '1.0.0-RC1',
      '1.0.0',
      '1.0.0-p1',
      '1.0.1',
    ]);
    expect(comparePackagist('v2.0', '2.0')).toBe(0);
  });
});

describe('orderFor', () => {
  it('orders SEMVER ranges by SemVer, ECOSYSTEM ranges by the ecosystem, and not at all where unknown', () => {
    expect(orderFor('SEMVER', 'Maven')).toBe(compareSemver);
    expect(orderFor('ECOSYSTEM', 'Go')).toBe(compareSemver);
    expect(orderFor('ECOSYSTEM', 'crates.io')).toBe(compareSemver);
    expect(orderFor('ECOSYSTEM', 'PyPI')).toBe(comparePep440);
    expect(orderFor('ECOSYSTEM', 'Packagist:https://repo.example')).toBe(comparePackagist);
    expect(orderFor('ECOSYSTEM', 'Maven')).toBeNull();
    expect(orderFor('ECOSYSTEM', 'Debian:12')).toBeNull();
  });
});
