// `npm run fuzz:nightly`: the API fuzz test (test/fuzz/api.fuzz.test.ts) with many more requests
// than CI sends, and a new seed every day, so that each night explores other inputs. Any 5xx is
// printed with the request that caused it and the seed that reproduces the run:
//
//   FUZZ_RUNS=40000 FUZZ_SEED=<seed> npm run fuzz:nightly
//
// FUZZ_RUNS is the SQLite request count (PostgreSQL, with DATABASE_URL, runs a quarter of it).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = process.env.FUZZ_RUNS ?? '40000';
const seed = process.env.FUZZ_SEED ?? new Date().toISOString().slice(0, 10).replaceAll('-', '');
if (!/^\d+$/.test(runs) || !/^\d+$/.test(seed)) {
  console.error('FUZZ_RUNS and FUZZ_SEED must be whole numbers.');
  process.exit(2);
}
process.stdout.write(
  `API fuzz: ${runs} requests on SQLite (a quarter on PostgreSQL when DATABASE_URL is set), seed ${seed}\n`,
);
const result = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', 'api', 'test/fuzz/'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed } },
);
if (result.status !== 0)
  console.error(`API fuzz failed; reproduce with FUZZ_RUNS=${runs} FUZZ_SEED=${seed}.`);
process.exit(result.status ?? 1);
