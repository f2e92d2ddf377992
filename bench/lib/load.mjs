/** Drives scenarios with autocannon: a probe that checks the answer, then the measured pair of servers. */
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import { percentile, runOpenLoop } from './open-loop.mjs';

// autocannon reports p90 and p97.5 but not p95: the merged latency histogram gives it.
const { decodeHist } = createRequire(import.meta.url)('autocannon/lib/histUtil.js');

function percentileOf(halves, p) {
  let merged;
  for (const h of halves) {
    const decoded = decodeHist(h.latencies);
    if (!decoded) continue;
    if (merged) merged.add(decoded);
    else merged = decoded;
  }
  return merged && merged.totalCount > 0 ? merged.getValueAtPercentile(p) : null;
}

/**
 * Sends the scenario's probe request once and checks its status and body, so that a benchmark of
 * fast 401s or 404s cannot pass for a benchmark of the real thing. Throws on a wrong answer.
 */
export async function probe(url, scenario) {
  const { method, path, headers, body } = scenario.probe;
  let res;
  try {
    res = await fetch(url + path, { method, headers, body });
  } catch (err) {
    throw new Error(`${scenario.label} on ${url}: ${err.cause?.message ?? err.message}`, { cause: err });
  }
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.status !== scenario.expect.status || !scenario.expect.verify(json)) {
    throw new Error(`${scenario.label} on ${url}: unexpected answer ${res.status} ${text.slice(0, 300)}`);
  }
}

/**
 * Measures one scenario on two servers `[a, b]` (each `{ url, drain }`) as a pair: a warm-up on
 * each (discarded), then two measured runs of `runS` seconds on each, in the order a, b, b, a, so
 * that drift during the pair (a checkpoint, a neighbour's process, a growing table) falls on both
 * servers alike. `drain()` runs after every run so that requests still in flight when autocannon
 * stopped do not spill into the next. Returns one measurement per server, in the order given.
 * Requests per second count only 2xx answers; latency percentiles come from the merged histograms.
 */
export async function measurePair(servers, scenario, { runS, warmupS, connections: configured }) {
  // A scenario may set its own concurrency (intake: 50 connections).
  const connections = scenario.connections ?? configured;
  if (scenario.openLoop) return measureOpenLoopPair(servers, scenario, { runS, warmupS, connections });
  const runs = servers.map(() => ({ halves: [], warmupFailures: 0, cpuMicros: 0 }));
  const run = async (i, seconds, measured = false) => {
    const cpuBefore = measured && servers[i].cpu ? await servers[i].cpu() : undefined;
    const r = await autocannon({
      url: servers[i].url,
      connections,
      duration: seconds,
      skipAggregateResult: true,
      ...scenario.load(),
    });
    // The server's CPU time over the run (the drain's one request is negligible): what a request
    // costs, whatever share of the machine the server got.
    if (cpuBefore !== undefined) runs[i].cpuMicros += (await servers[i].cpu()) - cpuBefore;
    await servers[i].drain();
    return r;
  };
  if (warmupS > 0) {
    for (const i of [0, 1]) {
      const w = await run(i, warmupS);
      runs[i].warmupFailures = w.non2xx + w.errors + w.timeouts;
    }
  }
  for (const i of [0, 1, 1, 0]) runs[i].halves.push(await run(i, runS, true));
  return runs.map(({ halves, warmupFailures, cpuMicros }, i) =>
    summarize(halves, servers[i].url, connections, warmupFailures, cpuMicros),
  );
}

/**
 * The same a-b-b-a pair for a scenario sent at a fixed rate (`scenario.openLoop.rate`, see
 * open-loop.mjs): latencies from each request's due instant, requests per second answered 2xx.
 */
async function measureOpenLoopPair(servers, scenario, { runS, warmupS, connections }) {
  const { rate } = scenario.openLoop;
  const request = scenario.probe;
  const runs = servers.map(() => ({
    latencies: [],
    ok: 0,
    seconds: 0,
    non2xx: 0,
    errors: 0,
    warmup: 0,
    cpu: 0,
    codes: {},
  }));
  const run = async (i, seconds, measured) => {
    const cpuBefore = measured && servers[i].cpu ? await servers[i].cpu() : undefined;
    const r = await runOpenLoop(servers[i].url, request, { rate, seconds, connections });
    if (cpuBefore !== undefined) runs[i].cpu += (await servers[i].cpu()) - cpuBefore;
    await servers[i].drain();
    return r;
  };
  if (warmupS > 0) {
    for (const i of [0, 1]) {
      const w = await run(i, warmupS, false);
      runs[i].warmup += w.non2xx + w.errors;
    }
  }
  for (const i of [0, 1, 1, 0]) {
    const r = await run(i, runS, true);
    const into = runs[i];
    into.latencies.push(...r.latencies);
    into.ok += r.latencies.length;
    into.seconds += r.seconds;
    into.non2xx += r.non2xx;
    into.errors += r.errors;
    for (const [code, n] of Object.entries(r.statusCodes)) into.codes[code] = (into.codes[code] ?? 0) + n;
  }
  return runs.map((r) => {
    const sorted = r.latencies.sort((a, b) => a - b);
    const ms = (v) => (v === null ? null : round(v, 1));
    return {
      requestsPerSecond: round(r.ok / r.seconds, 1),
      latencyMs: {
        p50: ms(percentile(sorted, 50)),
        p95: ms(percentile(sorted, 95)),
        p99: ms(percentile(sorted, 99)),
        max: ms(sorted.at(-1) ?? null),
        mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length), 2),
      },
      requests: r.ok,
      seconds: round(r.seconds, 2),
      cpuMicrosPerRequest: r.cpu > 0 && r.ok > 0 ? Math.round(r.cpu / r.ok) : null,
      failures: { non2xx: r.non2xx, errors: r.errors, timeouts: 0, warmup: r.warmup },
      statusCodes: r.codes,
    };
  });
}

function summarize(halves, url, connections, warmupFailures, cpuMicros) {
  const r = autocannon.aggregateResult(halves, { url, connections });
  const seconds = halves.reduce((sum, h) => sum + (h.finish.getTime() - h.start.getTime()) / 1000, 0);
  const ok = halves.reduce((sum, h) => sum + h['2xx'], 0);
  return {
    requestsPerSecond: round(ok / seconds, 1),
    latencyMs: {
      p50: r.latency.p50,
      p95: percentileOf(halves, 95),
      p99: r.latency.p99,
      max: r.latency.max,
      mean: round(r.latency.average, 2),
    },
    requests: ok,
    seconds: round(seconds, 2),
    // Server CPU per answered request (µs): on PostgreSQL the database's own CPU is not in it.
    cpuMicrosPerRequest: cpuMicros > 0 && ok > 0 ? Math.round(cpuMicros / ok) : null,
    failures: { non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, warmup: warmupFailures },
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
  };
}

/**
 * Waits for a server to finish what it is doing: on SQLite a read queues behind the requests in
 * flight on the server's one connection; the pause covers PostgreSQL's pool. Otherwise the tail
 * would take CPU from the next run, and on SQLite the two server processes would contend for the
 * write lock (a deferred transaction that has read fails at once with SQLITE_BUSY when another
 * process wrote meanwhile).
 */
export async function settle(url, readScenario) {
  await probe(url, readScenario);
  await new Promise((resolve) => setTimeout(resolve, 100));
}

/** The number of failed requests in a measurement (warm-up included). */
export function failureCount(m) {
  return m.failures.non2xx + m.failures.errors + m.failures.timeouts + m.failures.warmup;
}

function round(x, digits) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
