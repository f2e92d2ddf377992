import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Three tiers, so that a developer runs the one they touch (`npm run test:unit|test:api|test:browser`)
 * and `npm test` runs them all:
 * - unit: pure tests beside the code (no database, network or process);
 * - api: the database on both dialects, the API through app.inject(), the CLI in process and one
 *   smoke test of the binary per command, mail, end-to-end and durability;
 * - browser: the Chromium journeys, sharing one browser (test/browser/global-setup.ts).
 *
 * The tiers run side by side in one pool. A worker runs file after file without a fresh module
 * graph (`isolate: false`: no test here changes shared state, and importing the server once per
 * worker instead of once per file halves the CPU the suite takes), and there is one worker more
 * than cores, since most api and browser tests wait on PostgreSQL, Chromium or a child process.
 */

/** Tests beside the code that open a database, a socket or a process: in the api tier. */
const API_TESTS_BESIDE_CODE = [
  'audit.checkpoints',
  'audit.log',
  'cwe.routes',
  'encryption-at-rest',
  'inbound.gpg',
  'job.runner',
  'key-rotation.service',
  'keys.command',
  'mailer',
  'pgp.service',
  'project-key.command',
  'public.routes',
  'smtp-listener',
].map((name) => `{src,cli}/**/${name}.test.ts`);

export default defineConfig({
  test: {
    // The tests' audit key (test/support/audit-key.ts), for the CLI run in process and every
    // `vigil serve` a test starts: one chain key across a test's app, CLI and server.
    env: { VIGIL_AUDIT_KEY: Buffer.alloc(32, 0x42).toString('base64') },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: availableParallelism() + 1,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'cli/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...API_TESTS_BESIDE_CODE],
          globalSetup: ['test/support/standards-setup.ts'],
          pool: 'forks',
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'api',
          include: ['test/**/*.test.ts', ...API_TESTS_BESIDE_CODE],
          exclude: [...configDefaults.exclude, 'test/browser/**'],
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/audit-key-setup.ts'],
          pool: 'forks',
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/browser/global-setup.ts'],
          pool: 'forks',
          isolate: false,
          // A journey is one long test: many pages, each waited for, on a shared machine.
          testTimeout: 60_000,
        },
      },
    ],
  },
});
