/**
 * The `intake` scenario: the public report route `POST /api/v1/projects/{slug}/reports` with a
 * ~1 KB JSON report, no account, 50 connections, against a baseline route that does the durable
 * work of a report by hand and nothing else: the body validated with the same zod schema, then one
 * transaction with one insert of an encrypted case row and one audit row (the three statements of
 * an audit append, as the other baseline routes), committed with Vigil's `synchronous = FULL`.
 *
 * Rate limits are lifted for the run through the project's policy (`intake.rateLimits`: a million
 * reports a minute per address and per project), so every report is filed, none refused or held:
 * the probe checks `held: false`. Self-contained: run.mjs calls `setupIntake` once per database and
 * adds `intakeScenario(fixture)`; baseline-app.mjs calls `registerIntakeBaseline`.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { systemClock } from '../../../dist/src/lib/clock.js';
import { createKeyring } from '../../../dist/src/lib/crypto/keyring.js';
import { reportInput } from '../../../dist/src/modules/cases/cases.schemas.js';
import { caseCrypto } from '../../../dist/src/modules/cases/case-view.js';
import { getPresetYaml } from '../../../dist/src/modules/policy/policy.presets.js';
import * as projectsRepo from '../../../dist/src/modules/projects/projects.repo.js';
import { createServices } from '../../../dist/src/server/services.js';

export const INTAKE_ID = 'intake';
export const INTAKE_RATE_ID = 'intake-rate';
/**
 * The arrival rate of `intake-rate` (reports a second, all connections together): 500/s, a flood
 * of 43 million reports a day, well under what either server answers at most, so that latency is a
 * report's own time and not a queue's (BENCH_INTAKE_RATE sets another, 10 to 5,000).
 */
export function intakeRate(env) {
  const raw = env.BENCH_INTAKE_RATE;
  if (raw === undefined || raw === '') return 500;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 10 || n > 5000) {
    throw new Error(`BENCH_INTAKE_RATE must be a whole number from 10 to 5000 (got '${raw}').`);
  }
  return n;
}
/** Concurrent reporters: a flood, not a trickle. */
export const INTAKE_CONNECTIONS = 50;
const SLUG = 'intake-bench';
const OPERATOR = { kind: 'operator', name: 'bench' };
/** The preset's intake section, with the rate limits lifted (the most the policy allows, per minute). */
const LIFTED_LIMITS =
  'intake:\n' +
  '  rateLimits:\n' +
  '    perAddress: { count: 1000000, windowSeconds: 60 }\n' +
  '    perProject: { count: 1000000, windowSeconds: 60 }\n';

/** A report of about 1 KB, with a reporter address (so both receipt mails are queued). */
const REPORT = JSON.stringify({
  subject: 'Heap overflow in the HTTP/2 header decoder when a HPACK table update follows a literal',
  reporter: { name: 'A. Reporter', affiliation: 'Example Labs', email: 'reporter@example.org' },
  reproduction:
    '1. Start the proxy with the default configuration and HTTP/2 enabled on the listener.\n' +
    '2. Send a HEADERS frame whose header block starts with a literal header field with incremental ' +
    'indexing of 4,000 bytes, then a dynamic table size update to 0, then an indexed field naming ' +
    'the evicted entry.\n3. The decoder reads past the end of its table: ASan reports a ' +
    'heap-buffer-overflow read of 8 bytes in hpack_lookup. A script that sends the frame is below.\n' +
    'python3 poc.py --host 127.0.0.1 --port 8443 --table-update-after-literal',
  effects: 'A remote client crashes the proxy (denial of service) and may read heap memory.',
  impact: 'Every listener with HTTP/2 enabled, which is the default since 1.20; no authentication needed.',
  dependencies: 'Seen with the bundled nghttp2 1.61 and with the system library on Debian 12.',
});

/** Creates the project reports are filed to, with its rate limits lifted by its policy. */
export async function setupIntake(db) {
  const services = createServices({
    db,
    clock: systemClock,
    cipher: createKeyring({ current: randomBytes(32) }),
    publicUrl: 'http://127.0.0.1',
  });
  await services.projects.createProject(OPERATOR, { slug: SLUG, name: 'Intake bench', preset: 'contour' });
  const yaml = getPresetYaml('contour');
  if (!/^intake:\n/m.test(yaml)) throw new Error('intake bench: the preset has no intake section');
  await services.projects.updatePolicy(OPERATOR, SLUG, { yaml: yaml.replace(/^intake:\n/m, LIFTED_LIMITS) });
  const policy = await services.projects.getPolicy(OPERATOR, SLUG);
  const { perAddress, perProject } = policy.intake.rateLimits;
  if (perAddress.count < 1_000_000 || perProject.count < 1_000_000) {
    throw new Error('intake bench: the rate limits were not lifted');
  }
  return { slug: SLUG };
}

/** The scenario for run.mjs (same shape as those of scenarios.mjs, plus its own connection count). */
export function intakeScenario({ slug }) {
  const request = {
    method: 'POST',
    path: `/api/v1/projects/${slug}/reports`,
    headers: { 'content-type': 'application/json' },
    body: REPORT,
  };
  return {
    id: INTAKE_ID,
    label: 'POST /api/v1/projects/{slug}/reports',
    kind: 'write',
    connections: INTAKE_CONNECTIONS,
    load: () => ({ requests: [request] }),
    probe: request,
    expect: {
      status: 201,
      verify: (b) =>
        typeof b?.id === 'string' &&
        typeof b.humanId === 'string' &&
        typeof b.reporterLink === 'string' &&
        b.held === false,
    },
  };
}

/**
 * `intake-rate`: the same reports over the same 50 connections, sent at a fixed rate, evenly spaced,
 * instead of each as soon as the last was answered (open-loop.mjs). With 50 requests always in
 * flight the mean latency is 50 ÷ throughput (Little's law) whatever the server does; at a rate both
 * servers carry, the latency is what one report costs a reporter in a flood, queueing included.
 * Both servers should answer the full rate (ratio ~1); the p99 is the figure.
 */
export function intakeRateScenario(fixture, rate) {
  return {
    ...intakeScenario(fixture),
    id: INTAKE_RATE_ID,
    label: `POST /api/v1/projects/{slug}/reports at ${rate}/s`,
    openLoop: { rate },
  };
}

/**
 * The baseline's report route on `app` (Fastify): zod validation of the body with Vigil's own
 * schema, then one transaction: one insert of a case row with the report, title, reporter address
 * and link token sealed (AES-256-GCM, the keyring's field encryption), and `appendAudit` (the
 * baseline's three audit statements). The project id is resolved once per slug: the route does
 * only the work the target names.
 */
export function registerIntakeBaseline(app, db, appendAudit) {
  const k = db.kysely;
  const crypto = caseCrypto(createKeyring({ current: randomBytes(32) }));
  const projectIds = new Map();
  app.post('/api/v1/projects/:slug/reports', async (request, reply) => {
    const parsed = reportInput.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ issues: parsed.error.issues });
    const input = parsed.data;
    const slug = request.params.slug;
    let projectId = projectIds.get(slug);
    if (!projectId) {
      projectId = (await projectsRepo.findProjectBySlug(k, slug))?.id;
      if (!projectId) return reply.code(404).send({});
      projectIds.set(slug, projectId);
    }
    const id = randomUUID();
    const token = `vrt_${randomBytes(32).toString('base64url')}`;
    const now = new Date().toISOString();
    const humanId = `BASE-${id}`;
    const { email, ...credit } = input.reporter;
    await k.transaction().execute(async (trx) => {
      await trx
        .insertInto('cases')
        .values({
          id,
          project_id: projectId,
          human_id: humanId,
          state: 'received',
          channel: 'api',
          title_enc: crypto.title.seal(id, input.subject),
          report_enc: crypto.report.seal(id, {
            reproduction: input.reproduction,
            effects: input.effects,
            impact: input.impact,
            dependencies: input.dependencies,
            publicDetails: input.publicDetails,
          }),
          reporter_email_enc: email ? crypto.reporterEmail.seal(id, email) : null,
          reporter_credit_enc: crypto.credit.seal(id, credit),
          reporter_token_hash: createHash('sha256').update(token).digest('hex'),
          reporter_token_enc: crypto.reporterToken.seal(id, token),
          publicly_known: 0,
          private_handling: 'not-asked',
          severity: null,
          duplicate_of: null,
          flags_json: '[]',
          received_at: now,
          updated_at: now,
          first_response_due_at: null,
          first_responded_at: null,
          triaged_at: null,
          clock_paused_at: null,
          paused_ms: 0,
          held_at: null,
          held_reason: null,
        })
        .execute();
      await appendAudit(trx, {
        actor_type: 'system',
        actor_id: 'reporter',
        action: 'case.received',
        subject_type: 'case',
        subject_id: id,
        project_id: projectId,
        data_json: JSON.stringify({ humanId, channel: 'api', publiclyKnown: false, attachments: 0 }),
      });
    });
    return reply.code(201).send({
      id,
      humanId,
      reporterLink: `http://127.0.0.1/r/${token}`,
      firstResponseDueAt: null,
      held: false,
    });
  });
}
