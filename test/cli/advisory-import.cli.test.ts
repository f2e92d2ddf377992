/**
 * `vigil advisory import` as an operator runs it: a folder of real advisories with one bad file,
 * the report as text and JSON, exit codes, and a second run that skips what is already there.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { repoRoot } from '../../src/lib/paths.js';
import { runCommand } from '../support/cli.js';
import { describeEachDb } from '../support/db.js';

const OSV_DIR = join(repoRoot(), '..', 'shared', 'standards', 'osv', 'examples');

describeEachDb('vigil advisory import', (get) => {
  let env: Record<string, string | undefined>;
  let dataArgs: string[];
  let folder: string;
  const vigil = (...args: string[]) => runCommand([...args, ...dataArgs], env);

  beforeAll(async () => {
    const loc = get().location;
    env = { DATABASE_URL: loc.databaseUrl ?? '', VIGIL_MASTER_KEY: Buffer.alloc(32, 3).toString('base64') };
    dataArgs = loc.dataDir ? ['--data', loc.dataDir] : [];
    folder = mkdtempSync(join(tmpdir(), 'vigil-import-'));
    for (const f of ['GO-2024-2963.json', 'PYSEC-2023-74.json'])
      copyFileSync(join(OSV_DIR, f), join(folder, f));
    writeFileSync(join(folder, 'bad.json'), JSON.stringify({ title: 'not an advisory' }));
    writeFileSync(join(folder, 'notes.txt'), 'not read: only *.json files are');
    const created = await vigil(
      'project',
      'create',
      'cli-import',
      '--name',
      'CLI import',
      '--preset',
      'contour',
    );
    expect(created.code, created.stderr).toBe(0);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('imports a folder: the good files stand, the bad one is named with its field, exit 1', async () => {
    expect(readdirSync(folder)).toHaveLength(4);
    const r = await vigil('advisory', 'import', folder, '--project', 'cli-import');
    expect(r.code).toBe(1);
    // Not a terminal: one progress line per record on standard error.
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      '1/3 imported GO-2024-2963',
      '2/3 imported PYSEC-2023-74',
      '3/3 failed bad.json',
    ]);
    expect(r.stdout).toContain('Imported 2, skipped 0, failed 1 (project cli-import).');
    expect(r.stdout).toMatch(
      /imported GO-2024-2963 as CTR-ADV-\d{4}-\d{4} \(case CTR-\d{4}-\d{4}, published\) from GO-2024-2963\.json/,
    );
    expect(r.stdout).toContain(
      'not mapped: affected.0.ecosystem_specific: ecosystem-specific data has no place in the record',
    );
    expect(r.stdout).toContain('FAILED   bad.json: nothing of it was written');
    expect(r.stdout).toContain(
      '- id: not OSV (no `id`/`modified`) nor a GitHub advisory (no `ghsa_id`/`ghsaId`)',
    );
  });

  it('skips what was imported before and reports it as JSON; exit 0 when nothing fails', async () => {
    const r = await vigil(
      'advisory',
      'import',
      join(folder, 'PYSEC-2023-74.json'),
      '--project',
      'cli-import',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toEqual({
      imported: [],
      skipped: [
        {
          name: 'PYSEC-2023-74.json',
          sourceId: 'PYSEC-2023-74',
          advisoryId: expect.stringMatching(/^CTR-ADV-/),
          reason: expect.stringMatching(/^already imported as CTR-ADV-/),
        },
      ],
      failed: [],
    });
    const exported = await vigil('advisory', 'export', report.skipped[0].advisoryId, '--format', 'osv');
    expect(exported.code, exported.stderr).toBe(0);
    // The public CVE first, then the record's own id and its other ids, each once.
    expect(JSON.parse(exported.stdout).aliases).toEqual([
      'CVE-2023-32681',
      'PYSEC-2023-74',
      'GHSA-j8r2-6x86-q33q',
    ]);
  });

  it('refuses a missing path, an unknown project and an oversized file with the reason', async () => {
    const missing = await vigil('advisory', 'import', join(folder, 'nope'), '--project', 'cli-import');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file or folder');
    const unknown = await vigil('advisory', 'import', folder, '--project', 'no-such-project');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Project 'no-such-project' was not found.");
    const bigDir = mkdtempSync(join(folder, 'big-'));
    writeFileSync(join(bigDir, 'huge.json'), ' '.repeat(5 * 1024 * 1024 + 1));
    const r = await vigil('advisory', 'import', bigDir, '--project', 'cli-import', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).failed).toEqual([
      {
        name: 'huge.json',
        sourceId: null,
        issues: [{ path: '(file)', message: '5242881 bytes; an advisory file is at most 5 MiB' }],
      },
    ]);
  });
});
