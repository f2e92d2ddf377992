/**
 * Runs once before the suite. Without DATABASE_URL the PostgreSQL half of every database test is
 * skipped, loudly; in CI (CI=true) a missing DATABASE_URL fails the run instead, so the PostgreSQL
 * suite can never be skipped there silently.
 */
export default function setup(): void {
  const url = process.env.DATABASE_URL;
  if (!url) {
    if (process.env.CI) {
      throw new Error('CI is set but DATABASE_URL is not: the PostgreSQL suite must run in CI.');
    }
    console.warn(
      '\n*** PostgreSQL suite SKIPPED: DATABASE_URL is not set. Every database test ran on SQLite only. ***\n' +
        '*** Set DATABASE_URL=postgres://user:pass@127.0.0.1:5432/postgres to run it (see CONTRIBUTING.md). ***\n',
    );
  }
}
