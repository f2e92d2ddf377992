/** Prometheus metrics: one registry per app, so tests can build several apps in one process. */
import type { FastifyInstance } from 'fastify';
import type { Counter, Histogram, Registry } from 'prom-client';
import { lazyImport } from '../lib/lazy.js';

export interface MetricsSources {
  /** Jobs by state, read at scrape time. */
  jobsByState?: () => Promise<Record<string, number>>;
}

interface AppMetrics {
  registry: Registry;
  duration: Histogram<'method' | 'route' | 'status'>;
  errors: Counter<'route'>;
}

/**
 * prom-client (with OpenTelemetry's API: about 80 modules) loads when the first answer is recorded
 * or the first scrape comes, not before the server can answer.
 */
const promClient = lazyImport(() => import('prom-client'));

async function createMetrics(sources: MetricsSources): Promise<AppMetrics> {
  const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = await promClient();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vigil_' });
  const duration = new Histogram({
    name: 'vigil_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'vigil_http_server_errors_total',
    help: 'Responses with a 5xx status',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  if (sources.jobsByState) {
    const read = sources.jobsByState;
    new Gauge({
      name: 'vigil_jobs',
      help: 'Jobs in the durable queue by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const [state, n] of Object.entries(await read())) this.set({ state }, n);
      },
    });
  }
  return { registry, duration, errors };
}

/** Records request counts and latencies and serves them with process metrics at GET /metrics. */
export function registerMetrics(app: FastifyInstance, sources: MetricsSources = {}): void {
  let created: Promise<AppMetrics> | undefined;
  const metrics = () =>
    (created ??= createMetrics(sources).catch((err: unknown) => {
      created = undefined;
      throw err;
    }));

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: paths can carry identifiers and capability tokens.
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const seconds = reply.elapsedTime / 1000;
    // After the answer is sent: the first one waits for prom-client here, its client does not.
    const { duration, errors } = await metrics();
    duration.observe({ method: request.method, route, status: String(status) }, seconds);
    if (status >= 500) errors.inc({ route });
  });

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    const { registry } = await metrics();
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
