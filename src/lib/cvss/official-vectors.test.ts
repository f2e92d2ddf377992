/**
 * Every vector in ../shared/standards/cvss/ (official FIRST/NVD-derived vectors and vectors
 * generated with the Red Hat reference implementation), scored and compared as `toFixed(1)`
 * strings, column by column. See /work/shared/standards/README.md for where each file comes from.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import FIRST_CVSS30 from '@secvisogram/csaf-validator-lib/lib/shared/first/cvsscalc30.js';
import { repoRoot } from '../paths.js';
import { CVSS_METRICS, notDefinedValue, type CvssVersion } from './metrics.js';
import { parseCvss } from './vector-parser.js';
import { scoreCvss, severityOf } from './scores.js';

const DIR = join(repoRoot(), '..', 'shared', 'standards', 'cvss');

const FILES: Record<string, { version: CvssVersion; rows: number }> = {
  'v2.0_official.tsv': { version: '2.0', rows: 736 },
  'v3.0_official.tsv': { version: '3.0', rows: 2600 },
  'v3.0_generated.tsv': { version: '3.0', rows: 2000 },
  'v3.1_official.tsv': { version: '3.1', rows: 2592 },
  'v3.1_generated.tsv': { version: '3.1', rows: 2000 },
  'v4.0_official.tsv': { version: '4.0', rows: 1694 },
  'v4.0_generated.tsv': { version: '4.0', rows: 3000 },
};

interface Mismatch {
  vector: string;
  column: string;
  reference: string;
  vigil: string;
}

/**
 * v3.0_generated.tsv was scored with the Python reference implementation, which computes in
 * decimals. FIRST's own v3.0 calculator (cvsscalc30.js) rounds up in binary floating point
 * (Math.ceil(x * 10) / 10), so 5.0 x 0.92 = 4.6000000000000005 becomes 4.7; ae-cvss-calculator
 * does the same. These six are exactly those cases (all with RC:U, 0.92), and the test below
 * checks that FIRST's calculator gives Vigil's value for each. The official v3.0 file has none.
 */
const KNOWN_V30_GENERATED_MISMATCHES: Mismatch[] = [
  {
    vector: 'CVSS:3.0/AV:L/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:H/E:H/RC:U/CR:M/IR:X/AR:M/MS:X/MI:N/MA:N',
    column: 'environmental',
    reference: '2.3',
    vigil: '2.4',
  },
  {
    vector: 'CVSS:3.0/AV:L/AC:H/PR:L/UI:R/S:C/C:L/I:L/A:L/RL:X/RC:U/CR:M/AR:M/MAV:N/MS:U/MC:X/MI:N',
    column: 'temporal',
    reference: '4.6',
    vigil: '4.7',
  },
  {
    vector:
      'CVSS:3.0/AV:A/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L/RL:X/RC:U/CR:H/AR:X/MAV:X/MAC:H/MS:C/MC:N/MI:N/MA:L',
    column: 'temporal',
    reference: '4.6',
    vigil: '4.7',
  },
  {
    vector: 'CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:C/C:N/I:N/A:H/RC:U/CR:X/MAV:L/MPR:N/MS:X/MA:L',
    column: 'temporal',
    reference: '4.6',
    vigil: '4.7',
  },
  {
    vector:
      'CVSS:3.0/AV:L/AC:L/PR:H/UI:R/S:C/C:N/I:H/A:L/RL:U/RC:U/CR:M/IR:X/AR:M/MAC:H/MPR:H/MUI:N/MS:X/MC:L/MI:L/MA:L',
    column: 'environmental',
    reference: '4.6',
    vigil: '4.7',
  },
  {
    vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:L/RC:U/CR:X/AR:L/MAV:N/MAC:X/MUI:R/MS:U/MC:N',
    column: 'temporal',
    reference: '9.2',
    vigil: '9.3',
  },
];

type Row = Record<string, string>;

function requireFolder(): void {
  if (!existsSync(DIR)) {
    throw new Error(
      `The official CVSS test vectors are missing: expected the folder ${DIR} ` +
        '(../shared/standards/cvss beside the repository; CI always provides it).',
    );
  }
}

/** Reads a TSV; its last `# vector\t...` comment line names the columns. */
function readRows(file: string): Row[] {
  requireFolder();
  const lines = readFileSync(join(DIR, file), 'utf8').split('\n');
  const header = lines.filter((line) => line.startsWith('# vector\t')).at(-1);
  if (!header) throw new Error(`${file}: no "# vector" header line`);
  // "base_severity(NVD bands)" -> "base_severity"
  const columns = header
    .slice(2)
    .split('\t')
    .map((c) => c.replace(/\(.*\)$/, ''));
  return lines
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const cells = line.split('\t');
      return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']));
    });
}

const fixed = (n: number | undefined): string => (n === undefined ? '' : n.toFixed(1));
const titled = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Vigil's values for the columns a file of this version has. */
function vigilColumns(version: CvssVersion, vector: string): Row {
  const result = scoreCvss(vector);
  expect(result.version).toBe(version);
  if (version === '4.0') {
    const nomenclature =
      'CVSS-B' +
      (result.temporalScore !== undefined ? 'T' : '') +
      (result.environmentalScore !== undefined ? 'E' : '');
    return { score: fixed(result.score), severity: titled(result.severity), nomenclature };
  }
  const columns: Row = {
    base: fixed(result.baseScore),
    base_severity: titled(severityOf(result.baseScore, version)),
  };
  if (version === '2.0') {
    // The v2 reference leaves a group's column empty when the vector defines none of its metrics.
    columns.temporal = fixed(result.temporalScore);
    columns.environmental = fixed(result.environmentalScore);
    return columns;
  }
  // The v3 reference always fills every column. Temporal metrics all Not Defined multiply by 1.0,
  // so that column is the base score. The environmental equations differ from the base ones (v3.1
  // caps the modified impact), so they are asked for: CR:M weighs exactly what CR:X does (1.0).
  columns.temporal = fixed(result.temporalScore ?? result.baseScore);
  columns.environmental = fixed(
    result.environmentalScore ?? scoreCvss(`${result.vector}/CR:M`).environmentalScore,
  );
  return columns;
}

function compareFile(file: string): { rows: Row[]; matched: number; mismatches: Mismatch[] } {
  const spec = FILES[file];
  if (!spec) throw new Error(`unexpected file ${file}`);
  const rows = readRows(file);
  const mismatches: Mismatch[] = [];
  let matched = 0;
  for (const row of rows) {
    const vector = row.vector ?? '';
    const vigil = vigilColumns(spec.version, vector);
    const before = mismatches.length;
    for (const [column, value] of Object.entries(vigil)) {
      const reference = row[column];
      if (reference !== undefined && reference !== value) {
        mismatches.push({ vector, column, reference, vigil: value });
      }
    }
    if (mismatches.length === before) matched += 1;
  }
  return { rows, matched, mismatches };
}

describe('official CVSS vectors', () => {
  it('the folder holds exactly the files this test knows', () => {
    requireFolder();
    const files = readdirSync(DIR)
      .filter((f) => f.endsWith('.tsv'))
      .sort();
    expect(files).toEqual(Object.keys(FILES).sort());
  });

  for (const [file, spec] of Object.entries(FILES)) {
    if (file === 'v3.0_generated.tsv') continue;
    it(`${file}: all ${spec.rows} vectors score exactly as the reference`, () => {
      const { rows, matched, mismatches } = compareFile(file);
      expect(rows).toHaveLength(spec.rows);
      expect(mismatches).toEqual([]);
      expect(matched).toBe(spec.rows);
    });
  }

  it('v3.0_generated.tsv: 1994 of 2000 match; the 6 others are the known float round-up cases', () => {
    const { rows, matched, mismatches } = compareFile('v3.0_generated.tsv');
    expect(rows).toHaveLength(2000);
    expect(mismatches).toEqual(KNOWN_V30_GENERATED_MISMATCHES);
    expect(matched).toBe(1994);
  });

  it("v3.0: Vigil agrees with FIRST's own v3.0 calculator on both files, the known cases included", () => {
    const disagreements: string[] = [];
    let compared = 0;
    for (const file of ['v3.0_official.tsv', 'v3.0_generated.tsv']) {
      for (const row of readRows(file)) {
        const vector = row.vector ?? '';
        const first = FIRST_CVSS30.calculateCVSSFromVector(vector);
        if (!first.success) throw new Error(`FIRST's calculator refused ${vector}: ${first.errorType}`);
        const vigil = vigilColumns('3.0', vector);
        const theirs = [first.baseMetricScore, first.temporalMetricScore, first.environmentalMetricScore];
        const ours = [vigil.base, vigil.temporal, vigil.environmental];
        if (theirs.join() !== ours.join())
          disagreements.push(`${vector}: ${theirs.join()} vs ${ours.join()}`);
        compared += 1;
      }
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBe(4600);
    const known = new Set(KNOWN_V30_GENERATED_MISMATCHES.map((m) => m.vector));
    expect(known.size).toBe(6);
  });

  it('every official vector round-trips: parse, normalise, parse again gives the same metrics', () => {
    const failures: string[] = [];
    let checked = 0;
    for (const [file, { version }] of Object.entries(FILES)) {
      const order = CVSS_METRICS[version].map((d) => d.key);
      for (const row of readRows(file)) {
        const vector = row.vector ?? '';
        const parsed = parseCvss(vector);
        // The metrics as written, less the Not Defined ones, which the normalised form leaves out.
        const written = Object.fromEntries(
          vector
            .split('/')
            .filter((segment) => !segment.startsWith('CVSS:'))
            .map((segment) => segment.split(':'))
            .filter(([, value]) => value !== notDefinedValue(version)),
        );
        const again = parseCvss(parsed.vector);
        const keys = Object.keys(parsed.metrics);
        const ok =
          parsed.version === version &&
          JSON.stringify(Object.entries(parsed.metrics).sort()) ===
            JSON.stringify(Object.entries(written).sort()) &&
          JSON.stringify(keys) === JSON.stringify(order.filter((key) => keys.includes(key))) &&
          again.vector === parsed.vector &&
          JSON.stringify(again.metrics) === JSON.stringify(parsed.metrics);
        if (!ok) failures.push(`${file}: ${vector} -> ${parsed.vector}`);
        checked += 1;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(14622);
  });
});
