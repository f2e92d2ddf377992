import { describe, expect, it } from 'vitest';
import type { OsvRecord } from '../../advisory/export/osv.js';
import { inRange, matchRecords, normalizeRepo } from './osv-match.js';
import { compareSemver } from './version-order.js';

const ev = (type: string, value: string) => ({ type, value });

describe('inRange', () => {
  it('introduced 0 affects every version below the fix, pre-releases of 0.0.0 included', () => {
    const r = [ev('introduced', '0'), ev('fixed', '1.0.0')];
    for (const v of ['0.0.0-alpha', '0.0.0', '0.9.9', '1.0.0-rc.1'])
      expect(inRange(r, v, compareSemver), v).toBe(true);
    for (const v of ['1.0.0', '1.0.1']) expect(inRange(r, v, compareSemver), v).toBe(false);
  });

  it('last_affected is affected, the next version is not; limit and fixed are not', () => {
    expect(inRange([ev('introduced', '1.0.0'), ev('last_affected', '1.2.0')], '1.2.0', compareSemver)).toBe(
      true,
    );
    expect(inRange([ev('introduced', '1.0.0'), ev('last_affected', '1.2.0')], '1.2.1', compareSemver)).toBe(
      false,
    );
    expect(inRange([ev('introduced', '1.0.0'), ev('limit', '1.2.0')], '1.1.9', compareSemver)).toBe(true);
    expect(inRange([ev('introduced', '1.0.0'), ev('limit', '1.2.0')], '1.2.0', compareSemver)).toBe(false);
    expect(inRange([ev('introduced', '1.0.0')], '0.9.0', compareSemver)).toBe(false);
    expect(inRange([ev('introduced', '1.0.0')], '7.0.0', compareSemver)).toBe(true);
  });

  it('reads events in any order, several intervals in one range', () => {
    const r = [
      ev('fixed', '2.3.0'),
      ev('introduced', '2.0.0'),
      ev('fixed', '1.5.0'),
      ev('introduced', '1.0.0'),
    ];
    expect(
      ['0.1.0', '1.0.0', '1.4.9', '1.5.0', '1.9.0', '2.0.0', '2.2.9', '2.3.0'].map((v) =>
        inRange(r, v, compareSemver),
      ),
    ).toEqual([false, true, true, false, false, true, true, false]);
  });

  it('a version equal to introduced and fixed is not affected (fixed sorts after introduced)', () => {
    expect(inRange([ev('introduced', '1.0.0'), ev('fixed', '1.0.0')], '1.0.0', compareSemver)).toBe(false);
  });
});

describe('matchRecords', () => {
  const record = (id: string, affected: OsvRecord['affected']): OsvRecord => ({
    schema_version: '1.7.0',
    id,
    modified: '2026-01-01T00:00:00Z',
    affected,
    database_specific: {},
  });
  const records = [
    record('x_B', [{ package: { ecosystem: 'Debian:12', name: 'openssl' }, versions: ['3.0.11-1'] }]),
    record('x_A', [
      {
        package: { ecosystem: 'PyPI', name: 'Foo.Bar' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }],
      },
    ]),
  ];

  it('matches a base ecosystem against a release of it, never the reverse', () => {
    const q = (ecosystem: string) => ({
      kind: 'package' as const,
      ecosystem,
      name: 'openssl',
      version: '3.0.11-1',
    });
    expect(matchRecords(q('Debian'), records).map((r) => r.id)).toEqual(['x_B']);
    expect(matchRecords(q('Debian:12'), records).map((r) => r.id)).toEqual(['x_B']);
    expect(matchRecords(q('Debian:11'), records)).toEqual([]);
  });

  it('normalises PyPI names and answers in id order', () => {
    const q = { kind: 'package' as const, ecosystem: null, name: 'foo-bar', version: null };
    expect(matchRecords(q, records).map((r) => r.id)).toEqual(['x_A']);
    const all = [...records, record('x_0', [{ package: { ecosystem: 'PyPI', name: 'foo_bar' } }])];
    expect(matchRecords(q, all).map((r) => r.id)).toEqual(['x_0', 'x_A']);
  });

  it('leaves withdrawn records out', () => {
    const withdrawn = {
      ...record('x_W', [{ package: { ecosystem: 'PyPI', name: 'foo-bar' } }]),
      withdrawn: '2026-01-02T00:00:00Z',
    };
    expect(
      matchRecords({ kind: 'package', ecosystem: 'PyPI', name: 'foo-bar', version: null }, [withdrawn]),
    ).toEqual([]);
  });

  it('normalises repository URLs', () => {
    expect(normalizeRepo('https://GitHub.com/curl/curl.git/')).toBe('github.com/curl/curl');
    expect(normalizeRepo('git://user@git.example.org/x')).toBe('git.example.org/x');
  });
});
