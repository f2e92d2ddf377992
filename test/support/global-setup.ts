/**
 * Runs once before the api tier. Without DATABASE_URL the PostgreSQL half of every database test is
 * skipped, loudly; in CI (CI=true) a missing DATABASE_URL fails the run instead, so the PostgreSQL
 * suite can never be skipped there silently. With it, the template of the test databases is
 * migrated once here (test/support/pg.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { repoRoot } from '../../src/lib/paths.js';
import { createPgTemplate, dropPgDatabase } from './pg.js';

/**
 * The export tests validate against the official schemas with ../shared/standards/validate.mjs,
 * whose ajv lives in that folder's own node_modules (git-ignored there): install it once if missing,
 * so that `npm test` works on a fresh machine as it does in CI.
 */
export function prepareStandards(): void {
  const dir = join(repoRoot(), '..', 'shared', 'standards');
  if (!existsSync(join(dir, 'package.json')) || existsSync(join(dir, 'node_modules', 'ajv-formats'))) return;
  console.warn(`Installing the schema validator's dependencies in ${dir} (npm ci) ...`);
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
}

/** Migrates the PostgreSQL template that test databases are copied from, and drops it after the run. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  prepareStandards();
  const url = process.env.DATABASE_URL;
  if (!url) {
    if (process.env.CI) {
      throw new Error('CI is set but DATABASE_URL is not: the PostgreSQL suite must run in CI.');
    }
    console.warn(
      '\n*** PostgreSQL suite SKIPPED: DATABASE_URL is not set. Every database test ran on SQLite only. ***\n' +
        '*** Set DATABASE_URL=postgres://user:pass@127.0.0.1:5432/postgres to run it (see CONTRIBUTING.md). ***\n',
    );
    return undefined;
  }
  const template = await createPgTemplate(url);
  project.provide('pgTemplate', template);
  return () => dropPgDatabase(url, template);
}
