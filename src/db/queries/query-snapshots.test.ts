/**
 * The committed query snapshots match the SQL the code sends today (unit tier: no database). On a
 * difference: `npm run db:queries` rewrites them; review and commit the diff with the change.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths.js';
import { QUERY_DECLARATIONS } from './query-declarations.js';
import { renderSnapshot, snapshotFileOf, undeclaredFunctions } from './query-snapshot.js';

const here = join(repoRoot(), 'src', 'db', 'queries');
const UPDATE = 'run `npm run db:queries` to rewrite the snapshots, then review and commit their diff';

/** Files that write SQL outside any declaration, and why. */
const NOT_DECLARED: Record<string, string> = {
  'src/server/app.ts': 'the readiness probe, `select 1`',
  'src/db/migrate.ts': "SQLite's WAL checkpoint after migrating: a pragma, like the migrations' own SQL",
};

// Where SQL is written: Kysely's query builders and the `sql` template tag.
const WRITES_SQL =
  /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(<[^>\n]*>)?`/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.(test|typecheck)\.ts$/.test(entry.name) ? [path] : [];
  });
}

describe('query snapshots', () => {
  for (const declaration of QUERY_DECLARATIONS) {
    const file = snapshotFileOf(declaration);
    it(`${file} holds the SQL of ${declaration.source}`, async () => {
      const text = await renderSnapshot(declaration);
      await expect(
        text,
        `The SQL of ${declaration.source} differs from ${file}: ${UPDATE}`,
      ).toMatchFileSnapshot(join(here, file));
    });
  }

  it('records a call of every exported function of each declared module', () => {
    const missing = QUERY_DECLARATIONS.flatMap((d) =>
      undeclaredFunctions(d).map((name) => `${d.source}: ${name}`),
    );
    expect(missing, "Add a recorded call (or noQueries(reason)) to the module's .queries.ts").toEqual([]);
  });

  it('declares every module that writes SQL', () => {
    const declared = new Set(QUERY_DECLARATIONS.map((d) => d.source));
    const root = repoRoot();
    expect(
      [...declared].filter((source) => !existsSync(join(root, source))),
      'A declaration names a module that is not there (moved?): correct its path',
    ).toEqual([]);
    const undeclared = sourceFiles(join(root, 'src'))
      .map((path) => relative(root, path).split('\\').join('/'))
      .filter((path) => !path.startsWith('src/db/migrations/') && !path.startsWith('src/db/queries/'))
      .filter((path) => !declared.has(path) && !(path in NOT_DECLARED))
      .filter((path) => WRITES_SQL.test(readFileSync(join(root, path), 'utf8')));
    expect(
      undeclared,
      'Declare their calls in src/db/queries/<module>.queries.ts and list them in query-declarations.ts',
    ).toEqual([]);
  });

  it('keeps one snapshot per declared module, and no other', () => {
    const expected = QUERY_DECLARATIONS.map(snapshotFileOf).sort();
    expect(new Set(expected).size, 'two declared modules share a file name').toBe(expected.length);
    const present = readdirSync(here).filter((name) => name.endsWith('.sql'));
    expect(
      present.filter((name) => !expected.includes(name)),
      'These snapshots belong to no declaration: delete them',
    ).toEqual([]);
  });
});
