/**
 * The benchmark's settings, from the environment. Every number is bounded so that a typo cannot
 * start an hour-long run.
 */

const DEFAULTS = {
  durationS: 4,
  warmupS: 1,
  connections: 10,
  cases: [10_000, 100_000, 1_000_000],
  projects: 1000,
};
const MAX_CASES = 2_000_000;
const MAX_PROJECTS = 100_000;

/**
 * Reads BENCH_DURATION (measured seconds per server and scenario, taken as two runs of whole
 * seconds, so odd values round up), BENCH_WARMUP (seconds), BENCH_CONNECTIONS, BENCH_CASES
 * (comma-separated case counts: the size axis), BENCH_PROJECTS (how many projects they are spread
 * over), BENCH_DB (sqlite | postgres | both), BENCH_SCENARIOS
 * (comma-separated scenario ids; all by default), BENCH_PROFILE and DATABASE_URL. Throws with a
 * readable message on a bad value.
 */
export function readConfig(env) {
  const durationS = intSetting(env, 'BENCH_DURATION', DEFAULTS.durationS, 1, 600);
  const warmupS = intSetting(env, 'BENCH_WARMUP', DEFAULTS.warmupS, 0, 60);
  const connections = intSetting(env, 'BENCH_CONNECTIONS', DEFAULTS.connections, 1, 200);
  if (env.BENCH_SIZES) {
    throw new Error(
      'BENCH_SIZES (project counts) was replaced by BENCH_CASES (case counts, the size axis, e.g. 10000,100000) and BENCH_PROJECTS (default 1000).',
    );
  }
  const sizes = env.BENCH_CASES ? parseSizes(env.BENCH_CASES) : DEFAULTS.cases;
  const projects = intSetting(env, 'BENCH_PROJECTS', DEFAULTS.projects, 10, MAX_PROJECTS);
  const databaseUrl = env.DATABASE_URL || undefined;
  const dialects = pickDialects(env.BENCH_DB, databaseUrl);
  const scenarioIds = env.BENCH_SCENARIOS ? env.BENCH_SCENARIOS.split(',').map((s) => s.trim()) : undefined;
  // Measured runs last whole seconds: autocannon stops on its 1-second tick, so a fractional run
  // lasts to the next one anyway.
  const runS = Math.max(1, Math.ceil(durationS / 2));
  return {
    durationS,
    runS,
    warmupS,
    connections,
    sizes,
    projects,
    dialects,
    databaseUrl,
    scenarioIds,
    profile: env.BENCH_PROFILE === '1',
  };
}

function intSetting(env, name, fallback, min, max) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got '${raw}').`);
  }
  return n;
}

function parseSizes(raw) {
  const sizes = raw.split(',').map((s) => Number(s.trim()));
  if (
    sizes.length === 0 ||
    sizes.length > 6 ||
    sizes.some((n) => !Number.isInteger(n) || n < 0 || n > MAX_CASES)
  ) {
    throw new Error(
      `BENCH_CASES must list 1 to 6 case counts from 0 to ${MAX_CASES}, e.g. 10000,100000 (got '${raw}').`,
    );
  }
  // Data only grows between sizes (each size adds to the previous one), so they run in order.
  return [...new Set(sizes)].sort((a, b) => a - b);
}

function pickDialects(raw, databaseUrl) {
  const choice = raw || (databaseUrl ? 'both' : 'sqlite');
  if (!['sqlite', 'postgres', 'both'].includes(choice)) {
    throw new Error(`BENCH_DB must be sqlite, postgres or both (got '${raw}').`);
  }
  if (choice !== 'sqlite' && !databaseUrl) {
    throw new Error(
      `BENCH_DB=${choice} needs DATABASE_URL (postgres://...) naming a server where a database can be created.`,
    );
  }
  return choice === 'both' ? ['sqlite', 'postgres'] : [choice];
}
