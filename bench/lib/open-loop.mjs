/**
 * An open-loop load: requests sent at fixed instants (`rate` a second, evenly spaced), whatever the
 * server answers, over at most `connections` keep-alive sockets. Each latency is measured from the
 * instant the request was due, not from when a free socket sent it, so time spent queued behind a
 * slow answer counts (no coordinated omission). autocannon's `overallRate` is not this: it sends a
 * second's requests as fast as it can at the start of each second, then waits, which measures a
 * burst of closed-loop load.
 */
import http from 'node:http';

/**
 * Runs `seconds` of load at `rate` requests a second against `url` + `request.path`. Answers the
 * latencies (ms, one per request answered 2xx), the count of other answers and errors, and the
 * run's wall time.
 */
export async function runOpenLoop(url, request, { rate, seconds, connections }) {
  const target = new URL(request.path, url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const headers = { ...request.headers, ...(body && { 'content-length': String(body.length) }) };
  const latencies = [];
  const statusCodes = {};
  let non2xx = 0;
  let errors = 0;
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const start = performance.now();
  const inFlight = [];

  const send = (due) =>
    new Promise((resolve) => {
      const req = http.request(target, { method: request.method, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          statusCodes[code] = (statusCodes[code] ?? 0) + 1;
          if (code >= 200 && code < 300) latencies.push(performance.now() - due);
          else non2xx++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      if (body) req.write(body);
      req.end();
    });

  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(due));
  }
  await Promise.all(inFlight);
  const wall = (performance.now() - start) / 1000;
  agent.destroy();
  return { latencies, statusCodes, non2xx, errors, seconds: wall, scheduled: total };
}

/** The p-th percentile of sorted values (nearest rank). */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}
