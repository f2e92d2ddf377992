/** Turns measurements into the tables printed on stdout. */

/** Vigil against the baseline for one measured pair. */
export function compare(baseline, vigil) {
  const ratio = (a, b) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);
  return {
    throughput: ratio(vigil.requestsPerSecond, baseline.requestsPerSecond),
    p99: ratio(vigil.latencyMs.p99, baseline.latencyMs.p99),
    // At saturation one server process spends about 1/throughput of CPU time per request, so
    // the difference of the inverses is what Vigil's logic adds to each request.
    // Baseline CPU per request ÷ Vigil's (each server's own process): the throughput ratio that an
    // otherwise idle machine would show, robust to neighbours taking CPU (SQLite; on PostgreSQL the
    // database's CPU is outside both).
    cpu:
      vigil.cpuMicrosPerRequest && baseline.cpuMicrosPerRequest
        ? Math.round((baseline.cpuMicrosPerRequest / vigil.cpuMicrosPerRequest) * 100) / 100
        : null,
    addedMicrosPerRequest:
      vigil.requestsPerSecond > 0 && baseline.requestsPerSecond > 0
        ? Math.round(1e6 / vigil.requestsPerSecond - 1e6 / baseline.requestsPerSecond)
        : null,
  };
}

/** The per-size table: baseline and Vigil side by side, with the ratios. */
export function formatSizeTable(rows) {
  const header = [
    'scenario',
    'baseline req/s',
    'p99 ms',
    'vigil req/s',
    'p99 ms',
    'req/s ratio',
    'p99 ratio',
    '+µs/req',
    'cpu µs/req b',
    'v',
    'cpu ratio',
  ];
  const body = rows.map((r) => [
    r.label,
    fmt(r.baseline.requestsPerSecond, 0),
    fmt(r.baseline.latencyMs.p99, 0),
    fmt(r.vigil.requestsPerSecond, 0),
    fmt(r.vigil.latencyMs.p99, 0),
    fmt(r.ratio.throughput, 2),
    fmt(r.ratio.p99, 2),
    fmt(r.ratio.addedMicrosPerRequest, 0),
    fmt(r.baseline.cpuMicrosPerRequest, 0),
    fmt(r.vigil.cpuMicrosPerRequest, 0),
    fmt(r.ratio.cpu, 2),
  ]);
  return table(header, body, 1);
}

/** How throughput and p99 change with data size, per scenario and server, for one database. */
export function formatGrowthTable(rows, sizes) {
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  const header = [
    'scenario',
    'server',
    ...sizes.map((s) => `req/s @${s}`),
    ...sizes.map((s) => `p99 @${s}`),
    `req/s ${last} vs ${first}`,
  ];
  const body = [];
  const labels = [...new Set(rows.map((r) => r.label))];
  for (const label of labels) {
    for (const server of ['baseline', 'vigil']) {
      const bySize = new Map(rows.filter((r) => r.label === label).map((r) => [r.size, r[server]]));
      const at = (s) => bySize.get(s);
      const a = at(first)?.requestsPerSecond;
      const b = at(last)?.requestsPerSecond;
      body.push([
        label,
        server,
        ...sizes.map((s) => fmt(at(s)?.requestsPerSecond, 0)),
        ...sizes.map((s) => fmt(at(s)?.latencyMs.p99, 0)),
        a && b !== undefined ? `x${fmt(b / a, 2)}` : '-',
      ]);
    }
  }
  return table(header, body, 2);
}

function fmt(x, digits) {
  if (x === null || x === undefined || Number.isNaN(x)) return '-';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function table(header, body, leftColumns) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/**
 * One line per scenario: the req/s ratio (at the largest size, and the lowest over sizes), Vigil's
 * and the baseline's p95/p99 at the largest size, and how throughput grew from the first measured
 * size to the last (x1.00 = flat). A scenario skipped at every size says why.
 */
export function formatSummary(rows, scenarios, skipped, dialect) {
  const n = (x) => Number(x).toLocaleString('en-US');
  const lines = [];
  for (const s of scenarios) {
    const mine = rows.filter((r) => r.scenario === s.id).sort((a, b) => a.size - b.size);
    if (mine.length === 0) {
      const why = skipped.find((x) => x.scenario === s.id)?.reason ?? 'not measured';
      lines.push(`${s.id} [${dialect}]: skipped (${why})`);
      continue;
    }
    const first = mine[0];
    const last = mine[mine.length - 1];
    const lowest = mine.reduce((a, b) => ((b.ratio.throughput ?? 0) < (a.ratio.throughput ?? 0) ? b : a));
    const growth = (server) =>
      first.size === last.size
        ? '-'
        : `x${fmt(last[server].requestsPerSecond / first[server].requestsPerSecond, 2)}`;
    const lat = (m) => `${fmt(m.latencyMs.p95, 0)}/${fmt(m.latencyMs.p99, 0)} ms`;
    const skippedAt = skipped.filter((x) => x.scenario === s.id).map((x) => n(x.size));
    lines.push(
      `${s.id} [${dialect}]: ratio ${fmt(last.ratio.throughput, 2)} @${n(last.size)} (lowest ${fmt(lowest.ratio.throughput, 2)} @${n(lowest.size)}; ` +
        `cpu ratio ${mine.map((r) => fmt(r.ratio.cpu, 2)).join('/')}), ` +
        `${fmt(last.vigil.requestsPerSecond, 0)} req/s, p95/p99 vigil ${lat(last.vigil)}, baseline ${lat(last.baseline)} @${n(last.size)}; ` +
        `growth ${n(first.size)}->${n(last.size)} cases: vigil ${growth('vigil')}, baseline ${growth('baseline')}` +
        (skippedAt.length > 0 ? `; skipped @${skippedAt.join(', ')}` : ''),
    );
  }
  return lines;
}
