/**
 * The shipped list against MITRE's own data: the reference TSV of CWE 4.15 in
 * ../shared/standards/cwe (from MITRE's XML, with categories and views), and the package's
 * versioned 4.17 catalogue, which pins CWE_CATALOGUE.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { weaknesses } from '@secvisogram/csaf-validator-lib/cwe.js';
import cwec417 from '@secvisogram/csaf-validator-lib/lib/cwec/4.17.js';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths.js';
import { CWE_CATALOGUE } from './cwe-catalogue.js';

interface Reference {
  name: string;
  type: string;
  status: string;
}

const TSV = join(repoRoot(), '..', 'shared', 'standards', 'cwe', 'cwe-4.15.tsv');

function readReference(): Map<string, Reference> {
  if (!existsSync(TSV)) throw new Error(`The reference list ${TSV} is missing.`);
  const out = new Map<string, Reference>();
  for (const line of readFileSync(TSV, 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [id, name, type, status] = line.split('\t');
    if (!id || name === undefined || !type || !status) throw new Error(`Malformed line: ${line}`);
    out.set(id, { name, type, status });
  }
  return out;
}

const reference = readReference();

describe('the reference list', () => {
  it('is MITRE CWE 4.15 with weaknesses, categories and views', () => {
    expect(reference.size).toBe(1427);
    const types = new Map<string, number>();
    for (const r of reference.values()) types.set(r.type, (types.get(r.type) ?? 0) + 1);
    expect(Object.fromEntries(types)).toEqual({ Weakness: 964, Category: 409, View: 54 });
  });
});

describe('the CWE list shipped with Vigil', () => {
  it('has unique, well-formed ids and trimmed names', () => {
    expect(weaknesses).toHaveLength(968);
    expect(new Set(weaknesses.map((w) => w.id)).size).toBe(weaknesses.length);
    for (const w of weaknesses) {
      expect(w.id).toMatch(/^CWE-[1-9]\d{0,6}$/);
      expect(w.name).toBe(w.name.trim());
      expect(w.name.length).toBeGreaterThan(0);
    }
  });

  it('is exactly the package catalogue of CWE 4.17, the version Vigil names', () => {
    expect(CWE_CATALOGUE).toEqual({ version: '4.17', date: cwec417.date });
    expect(weaknesses.map((w) => [w.id, w.name])).toEqual(cwec417.weaknesses.map((w) => [w.id, w.name]));
  });

  it('holds weaknesses only, every weakness of 4.15, and differs from 4.15 by exactly the measured drift', () => {
    const shipped = new Map(weaknesses.map((w) => [w.id, w.name]));
    const missingFromReference: string[] = [];
    const renamed: string[] = [];
    // MITRE's XML keeps a trailing space in three 4.15 names (CWE-280, CWE-600, CWE-1290); the package trims.
    const untrimmed: string[] = [];
    for (const [id, name] of shipped) {
      const ref = reference.get(id);
      if (!ref) {
        missingFromReference.push(id);
        continue;
      }
      expect(ref.type, id).toBe('Weakness');
      if (ref.name !== name) (ref.name.trim() === name ? untrimmed : renamed).push(id);
    }
    // Added in CWE 4.16 and 4.17.
    expect(missingFromReference).toEqual(['CWE-1427', 'CWE-1428', 'CWE-1429', 'CWE-1431']);
    // 4.15: "Automated Recognition Mechanism with Inadequate Detection or Handling of Adversarial Input Perturbations".
    expect(renamed).toEqual(['CWE-1039']);
    expect(shipped.get('CWE-1039')).toBe(
      'Inadequate Detection or Handling of Adversarial Input Perturbations in Automated Recognition Mechanism',
    );
    expect(untrimmed.sort()).toEqual(['CWE-1290', 'CWE-280', 'CWE-600']);

    const referenceWeaknesses = [...reference].filter(([, r]) => r.type === 'Weakness').map(([id]) => id);
    expect(referenceWeaknesses.filter((id) => !shipped.has(id))).toEqual([]);
  });

  it('marks deprecation in the name, exactly where MITRE deprecated the entry', () => {
    const deprecatedByName = weaknesses.filter((w) => w.name.startsWith('DEPRECATED:')).map((w) => w.id);
    expect(deprecatedByName).toHaveLength(25);
    const deprecatedByStatus = weaknesses
      .filter((w) => reference.get(w.id)?.status === 'Deprecated')
      .map((w) => w.id);
    expect(deprecatedByName).toEqual(deprecatedByStatus);
    expect(cwec417.weaknesses.filter((w) => w.status === 'Deprecated').map((w) => w.id)).toEqual(
      deprecatedByName,
    );
  });
});
