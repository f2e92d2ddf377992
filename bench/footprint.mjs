/**
 * Footprint of `vigil serve` on SQLite: cold start to a healthy /healthz with an existing database,
 * and idle memory (RSS). Run by `npm run bench:footprint`, or `BENCH_SCENARIOS=footprint npm run bench`.
 *
 * 1. Prepares a data directory once: one `serve` migrates it, creates the first admin and the audit
 *    key, answers a few requests and stops (not measured).
 * 2. Then, BENCH_FOOTPRINT_RUNS times (5 by default): spawns `node dist/cli/main.js serve` on that
 *    directory, polls /healthz every 5 ms and records the time from spawn to the first 200; reads
 *    the process's RSS (/proc/<pid>/status VmRSS) once idle 5 s after the spawn, then sends a few
 *    ordinary requests, waits 3 s more and reads it again; stops the server with SIGTERM.
 * 3. The same for a bare `node -e` HTTP server (the floor: Node itself).
 *
 * Prints each run, the median and the maximum against the targets (healthy under 1 s, idle RSS under
 * 120 MB), and writes bench/results/footprint.json. Timings are never asserted: a busy machine
 * (other processes on its cores) moves them, so compare medians and rerun.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const TARGET_START_MS = 1000;
const TARGET_RSS_MB = 120;
const IDLE_AT_MS = 5000;
const AFTER_REQUESTS_MS = 3000;
const START_TIMEOUT_MS = 30_000;
/** What a browser and a monitor ask first: liveness, readiness, the app shell, an API call without a session. */
const REQUESTS = [
  '/healthz',
  '/readyz',
  '/',
  '/sign-in',
  '/api/v1/me',
  '/.well-known/security.txt',
  '/healthz',
];

const progress = (line) => process.stderr.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** One GET; resolves to the status code (undefined when nothing listens yet). */
function get(port, path) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(undefined));
    req.end();
  });
}

/** CPU time (user + system) a process has used so far, in ms (Linux: /proc/<pid>/stat, clock ticks). */
function cpuMsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which is in parentheses and may contain spaces): utime is the 14th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

/** Resident and peak resident memory of a process, in MB (Linux). */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Spawns a server, returns {child, exited, stderr()}; the child's stdout is discarded. */
function spawnServer(args, env) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    if (stderr.length < 20_000) stderr += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return { child, exited, stderr: () => stderr };
}

async function stop({ child, exited }) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * One measured start: spawn -> first 200 from /healthz, RSS when idle, then after a few requests.
 * `args(port)` gives the node arguments.
 */
async function measureOnce(args, env, { requests }) {
  const port = await freePort();
  const t0 = performance.now();
  const server = spawnServer(args(port), env);
  let dead = false;
  void server.exited.then(() => (dead = true));
  let healthyMs;
  let cpuMs;
  while (healthyMs === undefined) {
    if (dead) throw new Error(`the server exited before it was healthy:\n${server.stderr()}`);
    if (performance.now() - t0 > START_TIMEOUT_MS) {
      await stop(server);
      throw new Error(`not healthy within ${START_TIMEOUT_MS / 1000} s:\n${server.stderr()}`);
    }
    if ((await get(port, '/healthz')) === 200) {
      healthyMs = performance.now() - t0;
      cpuMs = cpuMsOf(server.child.pid);
    } else await sleep(5);
  }
  try {
    await sleep(Math.max(0, IDLE_AT_MS - (performance.now() - t0)));
    const idle = memoryOf(server.child.pid);
    let afterRequests;
    if (requests) {
      for (const path of requests) {
        const status = await get(port, path);
        if (status === undefined || status >= 500) {
          if (!(path === '/' || path === '/sign-in') || status !== 503) {
            throw new Error(`GET ${path} answered ${status ?? 'nothing'}`);
          }
        }
      }
      await sleep(AFTER_REQUESTS_MS);
      afterRequests = memoryOf(server.child.pid);
    }
    return {
      healthyMs: Math.round(healthyMs),
      cpuMs: Math.round(cpuMs),
      idleRssMb: round1(idle.rssMb),
      afterRequestsRssMb: afterRequests ? round1(afterRequests.rssMb) : undefined,
      peakRssMb: round1((afterRequests ?? idle).peakMb),
    };
  } finally {
    await stop(server);
  }
}

const round1 = (n) => Math.round(n * 10) / 10;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

function summarize(runs) {
  const keys = ['healthyMs', 'cpuMs', 'idleRssMb', 'afterRequestsRssMb', 'peakRssMb'];
  return Object.fromEntries(
    keys
      .filter((k) => runs.every((r) => r[k] !== undefined))
      .map((k) => {
        const xs = runs.map((r) => r[k]);
        return [
          k,
          { median: round1(median(xs)), max: round1(Math.max(...xs)), min: round1(Math.min(...xs)) },
        ];
      }),
  );
}

/** The prepared data directory: migrated, first admin created, audit key and a checkpoint written. */
async function prepare(env, dataDir) {
  const t0 = performance.now();
  const port = await freePort();
  const server = spawnServer([MAIN, 'serve', '--data', dataDir, '--port', String(port)], env);
  try {
    for (;;) {
      if (server.child.exitCode !== null)
        throw new Error(`serve exited while preparing:\n${server.stderr()}`);
      if (performance.now() - t0 > 60_000)
        throw new Error(`serve was not healthy within 60 s:\n${server.stderr()}`);
      if ((await get(port, '/healthz')) === 200) break;
      await sleep(20);
    }
    for (const path of REQUESTS) await get(port, path);
  } finally {
    await stop(server);
  }
  return Math.round(performance.now() - t0);
}

const BASELINE_SCRIPT =
  "require('node:http').createServer((q, s) => s.end('{\"status\":\"ok\"}')).listen(Number(process.argv[1]), '127.0.0.1')";

/** Runs the footprint measurement; returns the report (also printed and written to bench/results/). */
export async function runFootprint(env = process.env) {
  if (!existsSync(MAIN))
    throw new Error('dist/ is missing: run `npm run bench:footprint`, which builds first.');
  const runs = Number(env.BENCH_FOOTPRINT_RUNS || 5);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
    throw new Error(
      `BENCH_FOOTPRINT_RUNS must be a whole number from 1 to 50 (got '${env.BENCH_FOOTPRINT_RUNS}').`,
    );
  }
  // SQLite mode: no DATABASE_URL; logs at the default level, as an operator runs it.
  const childEnv = { ...process.env };
  delete childEnv.DATABASE_URL;
  delete childEnv.NODE_OPTIONS;
  for (const name of Object.keys(childEnv)) if (name.startsWith('VIGIL_')) delete childEnv[name];

  const root = mkdtempSync(join(os.tmpdir(), 'vigil-footprint-'));
  const dataDir = join(root, 'data');
  const loadBefore = os.loadavg();
  try {
    progress(`[footprint] preparing ${dataDir} (migrate, first admin)...`);
    const prepareMs = await prepare(childEnv, dataDir);
    const vigilRuns = [];
    const baselineRuns = [];
    // Interleaved, so that a neighbour's burst of CPU falls on both.
    for (let i = 0; i < runs; i += 1) {
      const base = await measureOnce((port) => ['-e', BASELINE_SCRIPT, String(port)], childEnv, {
        requests: ['/healthz'],
      });
      baselineRuns.push(base);
      const run = await measureOnce(
        (port) => [MAIN, 'serve', '--data', dataDir, '--port', String(port)],
        childEnv,
        { requests: REQUESTS },
      );
      vigilRuns.push(run);
      progress(
        `[footprint] run ${i + 1}/${runs}: vigil healthy in ${run.healthyMs} ms (${run.cpuMs} ms CPU), RSS ${run.idleRssMb} MB idle, ` +
          `${run.afterRequestsRssMb} MB after requests; node -e ${base.healthyMs} ms, ${base.idleRssMb} MB`,
      );
    }
    const vigil = summarize(vigilRuns);
    const baseline = summarize(baselineRuns);
    const report = {
      startedAt: new Date().toISOString(),
      environment: {
        node: process.version,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? null,
        loadAverageBefore: loadBefore,
        loadAverageAfter: os.loadavg(),
      },
      targets: { healthyMs: TARGET_START_MS, idleRssMb: TARGET_RSS_MB },
      prepareMs,
      vigil: { summary: vigil, runs: vigilRuns },
      baseline: { summary: baseline, runs: baselineRuns },
    };
    printReport(report, runs);
    const resultsDir = join(ROOT, 'bench', 'results');
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'footprint.json'), `${JSON.stringify(report, null, 2)}\n`);
    return report;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function printReport(report, runs) {
  const { vigil, baseline } = { vigil: report.vigil.summary, baseline: report.baseline.summary };
  const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
  const verdict = (value, target) => (value < target ? 'met' : 'NOT met');
  console.log(
    `\nFootprint of \`vigil serve\` (SQLite, existing database), ${runs} runs; Node ${report.environment.node}, ` +
      `${report.environment.cpus} CPUs; load average ${load(report.environment.loadAverageBefore)} before, ` +
      `${load(report.environment.loadAverageAfter)} after\n`,
  );
  const rows = [
    ['', 'median', 'min', 'max', 'target'],
    ['vigil: spawn -> healthy /healthz (ms)', ...triple(vigil.healthyMs), `< ${TARGET_START_MS}`],
    ['vigil: CPU time used until healthy (ms)', ...triple(vigil.cpuMs), ''],
    ['vigil: RSS idle, 5 s after spawn (MB)', ...triple(vigil.idleRssMb), `< ${TARGET_RSS_MB}`],
    ['vigil: RSS idle after requests (MB)', ...triple(vigil.afterRequestsRssMb), `< ${TARGET_RSS_MB}`],
    ['vigil: peak RSS (MB)', ...triple(vigil.peakRssMb), ''],
    ['node -e http server: spawn -> healthy (ms)', ...triple(baseline.healthyMs), ''],
    ['node -e http server: CPU time until healthy (ms)', ...triple(baseline.cpuMs), ''],
    ['node -e http server: RSS idle (MB)', ...triple(baseline.idleRssMb), ''],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const r of rows)
    console.log(
      r
        .map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c])))
        .join('  '),
    );
  const rss = Math.max(vigil.idleRssMb.median, vigil.afterRequestsRssMb.median);
  console.log(
    `\nfootprint: start ${vigil.healthyMs.median} ms (target < ${TARGET_START_MS}: ${verdict(vigil.healthyMs.median, TARGET_START_MS)}), ` +
      `idle RSS ${rss} MB (target < ${TARGET_RSS_MB}: ${verdict(rss, TARGET_RSS_MB)}); ` +
      `bare node ${baseline.healthyMs.median} ms, ${baseline.idleRssMb.median} MB`,
  );
}

const triple = (s) => [s.median, s.min, s.max];

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await runFootprint();
  } catch (err) {
    console.error(`vigil bench footprint: ${err.stack ?? err}`);
    process.exitCode = 1;
  }
}
