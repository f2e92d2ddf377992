/**
 * `npm run bench`: Vigil's API against a bare Fastify baseline doing the same database work, over
 * real HTTP on 127.0.0.1, at growing data sizes, on SQLite (and PostgreSQL when DATABASE_URL is set).
 * Prints tables on stdout (progress goes to stderr) and writes bench/results/latest.json.
 * Settings: see lib/config.mjs and README.md.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../dist/src/server/app.js', import.meta.url)))) {
  console.error('vigil bench: dist/ is missing. Run `npm run bench`, which builds the server first.');
  process.exit(2);
}

// One audit key for the run, shared with the server processes (they inherit the environment):
// every write appends to the keyed audit chain (src/audit/audit.key.ts).
process.env.VIGIL_AUDIT_KEY ??= (await import('node:crypto')).randomBytes(32).toString('base64');
const { createAuditKeys, setAuditKey } = await import('../dist/src/audit/audit.key.js');
setAuditKey(createAuditKeys(Buffer.from(process.env.VIGIL_AUDIT_KEY, 'base64')));

// BENCH_SCENARIOS=footprint: the start and idle memory of `vigil serve` (footprint.mjs), run first
// and on its own (it spawns its own servers); the other ids listed, if any, then run as usual.
const requestedIds = (process.env.BENCH_SCENARIOS ?? '').split(',').map((id) => id.trim());
if (requestedIds.includes('footprint')) {
  const { runFootprint } = await import('./footprint.mjs');
  await runFootprint();
  const rest = requestedIds.filter((id) => id !== '' && id !== 'footprint');
  if (rest.length === 0) process.exit(0);
  process.env.BENCH_SCENARIOS = rest.join(',');
}

// Likewise one master key: the seeder seals case fields with it, both servers open them.
process.env.VIGIL_BENCH_MASTER_KEY ??= (await import('node:crypto')).randomBytes(32).toString('base64');
const { createKeyring } = await import('../dist/src/lib/crypto/keyring.js');
const cipher = createKeyring({ current: Buffer.from(process.env.VIGIL_BENCH_MASTER_KEY, 'base64') });
const { readConfig } = await import('./lib/config.mjs');
const { createBenchDb } = await import('./lib/database.mjs');
const { countRows, createSeeder, seedBenchUser } = await import('./lib/seed.mjs');
const { openBulkWriter } = await import('./lib/bulk-insert.mjs');
const { createCaseSeeder } = await import('./lib/case-seed.mjs');
const { buildScenarios } = await import('./lib/scenarios.mjs');
const { intakeRate, intakeRateScenario, intakeScenario, setupIntake } =
  await import('./lib/scenarios/intake.mjs');
// Read before the seeding starts, so that a bad value fails at once.
const INTAKE_RATE = intakeRate(process.env);
const { startServer } = await import('./lib/servers.mjs');
const { failureCount, measurePair, probe, settle } = await import('./lib/load.mjs');
const { compare, formatGrowthTable, formatSizeTable, formatSummary } = await import('./lib/report.mjs');

const TARGETS = ['baseline', 'vigil'];
const progress = (line) => process.stderr.write(`${line}\n`);

/** Undo steps (stop servers, drop databases) run on the way out, including on Ctrl-C. */
const cleanups = [];
async function cleanUp() {
  while (cleanups.length > 0) {
    const step = cleanups.pop();
    try {
      await step();
    } catch (err) {
      console.error(`vigil bench: cleanup failed: ${err.message}`);
    }
  }
}
let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  void cleanUp().then(() => process.exit(130));
});

async function benchDialect(dialect, config) {
  const bench = await createBenchDb(dialect, config.databaseUrl);
  cleanups.push(() => bench.drop());
  const benchProjects = Math.max(5, config.connections);
  const fixture = await seedBenchUser(bench.db, benchProjects, cipher);
  if (process.env.BENCH_KEEP === '1') console.log('token', fixture.token);
  const seeder = createSeeder(bench.db, benchProjects);
  // The projects first (fixed), then the cases: the size axis.
  const t0 = Date.now();
  await seeder.growTo(Math.max(config.projects, benchProjects));
  progress(`[${dialect}] ${config.projects} projects: seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const caseSeeder = await openCaseSeeder(bench, fixture);
  const intakeFixture = await setupIntake(bench.db);
  const allScenarios = [
    ...buildScenarios(fixture),
    intakeScenario(intakeFixture),
    intakeRateScenario(intakeFixture, INTAKE_RATE),
  ];
  const scenarios = pickScenarios(allScenarios, config.scenarioIds);
  const drainRead = allScenarios.find((s) => s.id === 'list-projects');
  const profileDir = config.profile ? `${resultsDir}profiles-${dialect}` : undefined;
  const servers = {};
  for (const target of TARGETS) {
    servers[target] = await startServer(target, bench.location, target === 'vigil' ? { profileDir } : {});
    cleanups.push(() => servers[target].stop());
  }

  const rows = [];
  const counts = {};
  const seedSeconds = {};
  const skipped = [];
  for (const size of config.sizes) {
    const seconds = await caseSeeder.growTo(size);
    counts[size] = await countRows(bench.db);
    seedSeconds[size] = seconds;
    progress(`[${dialect}] ${size} cases: seeded in ${seconds.toFixed(1)} s ${JSON.stringify(counts[size])}`);
    const sizeRows = [];
    for (const [i, scenario] of scenarios.entries()) {
      // A scenario may need data fetched first (inbox-page-100: its cursor), or may not apply yet.
      const skip = scenario.prepare
        ? await scenario.prepare(servers.vigil.url, servers.baseline.url)
        : undefined;
      if (skip) {
        progress(`[${dialect}] ${size} ${scenario.label}: skipped: ${skip}`);
        skipped.push({ dialect, size, scenario: scenario.id, reason: skip });
        continue;
      }
      // Alternating which server goes first spreads what drift the a-b-b-a order leaves over both.
      const order = (config.sizes.indexOf(size) + i) % 2 === 0 ? TARGETS : [...TARGETS].reverse();
      const pairServers = order.map((target) => {
        const url = servers[target].url;
        return { url, drain: () => settle(url, drainRead), cpu: () => servers[target].cpu() };
      });
      for (const s of pairServers) await probe(s.url, scenario);
      const measured = await measurePair(pairServers, scenario, config);
      const pair = Object.fromEntries(order.map((target, k) => [target, measured[k]]));
      for (const target of TARGETS) {
        progress(
          `[${dialect}] ${size} ${scenario.label} ${target}: ${pair[target].requestsPerSecond} req/s, p99 ${pair[target].latencyMs.p99} ms (${scenario.connections ?? config.connections} connections)`,
        );
      }
      const { baseline, vigil } = pair;
      sizeRows.push({
        dialect,
        size,
        scenario: scenario.id,
        label: scenario.label,
        kind: scenario.kind,
        baseline,
        vigil,
        ratio: compare(baseline, vigil),
      });
    }
    console.log(
      `\n[${dialect}] ${size.toLocaleString('en-US')} cases, seeded in ${seconds.toFixed(0)} s (${describeCounts(counts[size])})\n`,
    );
    if (sizeRows.length > 0) console.log(formatSizeTable(sizeRows));
    for (const s of skipped.filter((x) => x.size === size)) console.log(`skipped ${s.scenario}: ${s.reason}`);
    rows.push(...sizeRows);
  }
  if (config.sizes.length > 1 && rows.length > 0) {
    console.log(`\n[${dialect}] growth with data size (cases)\n`);
    console.log(formatGrowthTable(rows, config.sizes));
  }
  console.log(`\n[${dialect}] summary\n`);
  console.log(formatSummary(rows, scenarios, skipped, dialect).join('\n'));
  await cleanUp();
  return { rows, counts, seedSeconds, skipped };
}

/** The case seeder on a bulk connection of its own, over the seeded projects (not intake's). */
async function openCaseSeeder(bench, fixture) {
  const bulk = await openBulkWriter(bench.location);
  cleanups.push(() => bulk.close());
  const rows = await bench.db.kysely
    .selectFrom('projects')
    .select(['id', 'slug'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const projects = rows
    .filter((p) => fixture.slugs.includes(p.slug) || /^p-\d+$/.test(p.slug))
    .map((p) => ({ id: p.id, slug: p.slug, bench: fixture.slugs.includes(p.slug) }));
  return createCaseSeeder({
    bulk,
    cipher,
    kysely: bench.db.kysely,
    projects,
    leadUserId: fixture.userId,
    fixture,
  });
}

/** By id, or by family: `inbox-first` also picks its filtered variants. */
function pickScenarios(all, ids) {
  if (!ids) return all;
  const matches = (s, id) => s.id === id || s.family === id;
  const unknown = ids.filter((id) => !all.some((s) => matches(s, id)));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_SCENARIOS: unknown ${unknown.join(', ')}; known: ${all.map((s) => s.id).join(', ')}.`,
    );
  }
  return all.filter((s) => ids.some((id) => matches(s, id)));
}

function describeCounts(c) {
  const n = (x) => Number(x).toLocaleString('en-US');
  return `${n(c.projects)} projects, ${n(c.cases)} cases, ${n(c.case_messages)} messages, ${n(c.advisories)} advisories, ${n(c.users)} users, ${n(c.audit_events)} audit events`;
}

async function main() {
  let config;
  try {
    config = readConfig(process.env);
  } catch (err) {
    console.error(`vigil bench: ${err.message}`);
    process.exit(2);
  }
  const startedAt = new Date();
  console.log(
    `Vigil API benchmark: ${2 * config.runS} s per server and scenario (2 runs, ` +
      `a-b-b-a) after ${config.warmupS} s warm-up, ${config.connections} connections, ` +
      `sizes ${config.sizes.join(', ')} projects, ${config.dialects.join(' + ')}; Node ${process.version}, ` +
      `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'})`,
  );
  console.log(
    'req/s ratio = Vigil / baseline throughput (1.00 = no overhead); p99 ratio = Vigil / baseline p99 latency.',
  );
  if (config.profile) {
    console.log(
      'BENCH_PROFILE=1: the Vigil server runs under --cpu-prof, which slows it; use the profile, not these ratios.',
    );
  }
  const loadAtStart = os.loadavg()[0] ?? 0;
  if (loadAtStart > 0.5) {
    console.log(
      `Note: the machine was already busy (load average ${loadAtStart.toFixed(2)}): absolute figures are noisy.`,
    );
  }
  const byDialect = {};
  for (const dialect of config.dialects) byDialect[dialect] = await benchDialect(dialect, config);

  const results = Object.values(byDialect).flatMap((d) => d.rows);
  const failures = results.flatMap((r) =>
    TARGETS.filter((t) => failureCount(r[t]) > 0).map(
      (t) => `${r.dialect} ${r.size} ${r.label} ${t}: ${JSON.stringify(r[t].failures)}`,
    ),
  );
  const report = {
    startedAt: startedAt.toISOString(),
    totalSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    environment: {
      loadAverageAtStart: loadAtStart,
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
    },
    settings: {
      measuredSecondsPerServer: 2 * config.runS,
      warmupS: config.warmupS,
      connections: config.connections,
      sizes: config.sizes,
      dialects: config.dialects,
    },
    rowCounts: Object.fromEntries(Object.entries(byDialect).map(([d, v]) => [d, v.counts])),
    results,
    failures,
  };
  mkdirSync(resultsDir, { recursive: true });
  const file = `${resultsDir}latest.json`;
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nWrote bench/results/latest.json (${report.totalSeconds} s in all).`);
  if (failures.length > 0) {
    console.error(
      `vigil bench: some requests failed, so those figures are not comparable:\n  ${failures.join('\n  ')}`,
    );
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (err) {
  // After Ctrl-C the servers are gone and requests fail: that is not worth a stack trace.
  if (!interrupted) console.error(`vigil bench: ${err.stack ?? err}`);
  await cleanUp();
  process.exitCode = 1;
}
