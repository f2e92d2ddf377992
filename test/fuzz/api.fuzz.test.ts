/**
 * The schema-driven fuzz test (issue 11, item 7): for EVERY operation of `/api/openapi.json` it
 * sends malformed requests drawn from the operation's own schema (openapi-fuzz.ts), as anonymous,
 * as a signed-in security-team member and as an instance admin (both with the session's CSRF token,
 * sometimes without it), and fails on any 5xx, printing each such request so it can be sent again.
 * It also fails when a request polluted Object.prototype.
 *
 * CI: a few thousand requests on SQLite, fewer on PostgreSQL. `FUZZ_RUNS=N` sets the SQLite count
 * (PostgreSQL runs a quarter), `FUZZ_SEED=S` the seed; `npm run fuzz:nightly` runs many more.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  acceptedCase,
  buildTestApp,
  createUser,
  projectWithTeam,
  PASSWORD,
  tokenClient,
  type Client,
  type TestApp,
} from '../support/app.js';
import { describeEachDb } from '../support/db.js';
import {
  operationsOf,
  prototypeKeySweep,
  requestArbitrary,
  type FuzzRequest,
  type Operation,
} from './openapi-fuzz.js';

const SQLITE_RUNS = Number(process.env.FUZZ_RUNS ?? 2400);
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
/** A request slower than this is reported as a hang (a 5xx in all but name). */
const REQUEST_TIMEOUT_MS = 15_000;

type Who = 'anonymous' | 'member' | 'admin' | 'member without CSRF' | 'bad bearer';
const WHO: readonly Who[] = [
  'anonymous',
  'member',
  'member',
  'admin',
  'admin',
  'member without CSRF',
  'bad bearer',
];

interface Failure {
  operationId: string;
  who: Who;
  request: FuzzRequest;
  status: number | 'timeout';
  response: string;
  error: string | undefined;
}

const cut = (text: string | undefined, n: number) =>
  text === undefined ? '(none)' : text.length > n ? `${text.slice(0, n)}... (${text.length} chars)` : text;

function describeFailure(f: Failure): string {
  return [
    `${f.status} ${f.operationId} as ${f.who}: ${f.request.mutation}`,
    `  ${f.request.method} ${cut(f.request.url, 300)}`,
    `  content-type: ${f.request.contentType ?? '(none)'}`,
    `  body: ${JSON.stringify(cut(f.request.body, 300))}`,
    `  response: ${cut(f.response, 300)}`,
    `  error: ${cut(f.error, 600)}`,
  ].join('\n');
}

describeEachDb('API fuzz: no 5xx for any malformed request', (get, dialect) => {
  const totalRuns = dialect === 'sqlite' ? SQLITE_RUNS : Math.ceil(SQLITE_RUNS / 4);
  let t: TestApp;
  let operations: Operation[];
  const clients: Partial<Record<'member' | 'admin', Client>> = {};
  const emails: Record<'member' | 'admin', string> = { member: '', admin: '' };
  let lastError: Error | undefined;
  const known = new Map<string, readonly string[]>();

  beforeAll(async () => {
    // A stand-in for the built UI, as in CI and production: without one, page paths answer 503
    // ("not built"), which says nothing about the server.
    const webRoot = mkdtempSync(join(tmpdir(), 'vigil-fuzz-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Vigil</title>');
    t = await buildTestApp(get().db, undefined, { webRoot });
    // The error behind a 5xx, for the report (the app logs nothing in tests).
    t.app.addHook('onError', async (_request, _reply, error) => {
      lastError = error;
    });
    const admin = await createUser(t, { isAdmin: true });
    emails.admin = admin.email;
    const { team, member } = await projectWithTeam(t, 'fz');
    emails.member = member.email;
    const victim = await createUser(t);
    const humanId = await acceptedCase(t, 'fz', team, 'fuzzed case');
    await team.request('POST', `/api/v1/cases/${humanId}/advisory`);
    const filed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/projects/fz/reports',
      payload: { subject: 'a second report', reporter: { name: 'Grace' }, reproduction: 'steps' },
    });
    const reporterToken = String(filed.json().reporterLink).split('/r/')[1] ?? 'x';
    clients.member = await freshSession(member.email);
    clients.admin = await freshSession(admin.email);
    // Valid-looking path values by `path:name` (checked first) or by name.
    known.set('slug', ['fz']);
    known.set('id', [humanId]);
    known.set('token', [reporterToken]);
    known.set('userId', [victim.id]);
    known.set('/api/v1/users/{id}:id', [victim.id]);
    known.set('/api/v1/cwe/{id}:id', ['79', 'CWE-89']);
    known.set('name', ['default', 'osv', 'csaf']);
    known.set('line', ['1.0', '2.x']);
    known.set('n', ['1', '2']);
    known.set('version', ['1', '2']);
    known.set('ecosystem', ['npm', 'PyPI']);
    known.set('branch', ['main']);
    known.set('advisoryId', [humanId]);

    // A few more resources, so that ids in paths can name something that exists. Best effort: a
    // resource that cannot be made here only leaves its ids random.
    const adminToken = await tokenClient(t, admin.id);
    const made = async (client: Client, url: string, body: object, field: string) => {
      const res = await client.request('POST', url, body);
      const id: unknown = res.statusCode < 300 ? res.json()[field] : undefined;
      return typeof id === 'string' ? [id] : [];
    };
    known.set(
      'orgId',
      await made(
        team,
        '/api/v1/projects/fz/distributors/orgs',
        { name: 'Distro', contactAlias: 'sec@distro.example' },
        'orgId',
      ),
    );
    known.set(
      'webhookId',
      await made(
        team,
        '/api/v1/projects/fz/webhooks',
        { url: 'https://hooks.example.org/x', kind: 'json', label: 'hook' },
        'id',
      ),
    );
    known.set('runnerId', await made(adminToken, '/api/v1/runners', { name: 'runner', project: 'fz' }, 'id'));
    known.set(
      'memberId',
      await made(
        team,
        `/api/v1/cases/${humanId}/members`,
        { email: 'fixer@example.org', role: 'fix-team' },
        'memberId',
      ),
    );
    known.set(
      '/api/v1/me/tokens/{id}:id',
      await made(adminToken, '/api/v1/me/tokens', { name: 'spare' }, 'id'),
    );

    if (process.env.FUZZ_VERBOSE) console.warn('known ids', Object.fromEntries(known));
    const doc = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    operations = operationsOf(doc.json());
  });

  afterAll(async () => {
    await t.app.close();
  });

  let sessions = 0;
  /**
   * A session for `email`, also after a fuzzed sign-out ended the last one. From an address the
   * fuzzed requests never use, and a quarter of an hour later each time: sign-in throttling counts
   * per account and address over 15 minutes, successes included, and the test's clock stands still.
   */
  async function freshSession(email: string): Promise<Client> {
    if (sessions > 1) t.clock.advance(16 * 60_000);
    sessions += 1;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email, password: PASSWORD },
      remoteAddress: '10.77.0.1',
    });
    const cookie = res.cookies.find((c) => c.name === 'vigil_session');
    if (res.statusCode !== 200 || !cookie) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
    const csrf = String(res.json().csrfToken);
    return {
      cookie: `vigil_session=${cookie.value}`,
      csrf,
      request: () => Promise.reject(new Error('unused')),
    };
  }

  async function send(who: Who, r: FuzzRequest) {
    const headers: Record<string, string> = {};
    if (r.contentType !== undefined) headers['content-type'] = r.contentType;
    if (who === 'bad bearer')
      headers.authorization = 'Bearer vgl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\u00ff';
    if (who !== 'anonymous' && who !== 'bad bearer') {
      const role = who === 'admin' ? 'admin' : 'member';
      let client = clients[role];
      if (!client) client = clients[role] = await freshSession(emails[role]);
      headers.cookie = client.cookie;
      if (who !== 'member without CSRF') headers['x-csrf-token'] = client.csrf;
    }
    return t.app.inject({
      method: r.method as 'GET',
      url: r.url,
      headers,
      ...(r.body !== undefined && { payload: r.body }),
    });
  }

  it(
    'answers every malformed request to every operation with less than 500',
    // A request takes ~10 ms on a busy machine: room for the nightly's tens of thousands.
    { timeout: Math.max(300_000, totalRuns * 60) },
    async () => {
      expect(operations.length).toBeGreaterThan(150);
      const perOperation = Math.max(2, Math.ceil(totalRuns / operations.length));
      const failures: Failure[] = [];
      const lookup = (op: Operation, name: string) =>
        known.get(`${op.path}:${name}`) ?? known.get(name) ?? [];
      let sent = 0;
      const statuses = new Map<string, Map<number | 'timeout', number>>();
      const elapsed = new Map<string, number>();
      /** Sends one request, counts its status, keeps it when it answered 5xx or hung. */
      async function exercise(op: Operation, who: Who, request: FuzzRequest): Promise<void> {
        lastError = undefined;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), REQUEST_TIMEOUT_MS);
        });
        const res = await Promise.race([send(who, request), timeout]);
        clearTimeout(timer);
        sent += 1;
        const status = res === 'timeout' ? 'timeout' : res.statusCode;
        const byStatus = statuses.get(op.operationId) ?? new Map<number | 'timeout', number>();
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
        statuses.set(op.operationId, byStatus);
        if (res === 'timeout' || res.statusCode >= 500) {
          const error = lastError as Error | undefined;
          failures.push({
            operationId: op.operationId,
            who,
            request,
            status,
            response: res === 'timeout' ? '' : res.body,
            error: error ? `${error.message}\n${error.stack?.split('\n').slice(1, 5).join('\n')}` : undefined,
          });
        }
        // A fuzzed sign-out (or sign-out-everywhere) ended the session: sign in again next time.
        if (status === 401 && (who === 'member' || who === 'admin')) delete clients[who];
      }

      for (const [i, op] of operations.entries()) {
        const started = performance.now();
        const draws = fc.sample(fc.tuple(requestArbitrary(op, lookup), fc.constantFrom(...WHO)), {
          seed: SEED + i,
          numRuns: perOperation,
        });
        for (const [request, who] of draws) await exercise(op, who, request);
        // Then each prototype key in each parameter and top-level string field, as member and admin.
        for (const [k, request] of prototypeKeySweep(op, lookup).entries()) {
          await exercise(op, k % 2 === 0 ? 'member' : 'admin', request);
        }
        elapsed.set(op.operationId, performance.now() - started);
      }
      if (process.env.FUZZ_VERBOSE) {
        for (const [id, byStatus] of statuses) {
          const ms = Math.round(elapsed.get(id) ?? 0);
          console.warn(id, `${ms} ms`, [...byStatus].map(([k, v]) => `${k}:${v}`).join(' '));
        }
      }
      // Nothing a request carried may reach Object.prototype.
      const probe: Record<string, unknown> = {};
      expect(probe.polluted).toBeUndefined();
      expect(probe.isAdmin).toBeUndefined();
      const distinct = new Map<string, Failure>();
      for (const f of failures) distinct.set(`${f.operationId} ${f.status} ${f.error?.split('\n')[0]}`, f);
      const report = [...distinct.values()].map(describeFailure).join('\n\n');
      if (failures.length > 0) {
        console.error(
          `${failures.length} of ${sent} requests answered 5xx (${distinct.size} distinct; seed ${SEED}):\n\n${report}`,
        );
      }
      expect(failures.length, report).toBe(0);
      expect(sent).toBeGreaterThanOrEqual(Math.min(totalRuns, operations.length * 2));
    },
  );
});
