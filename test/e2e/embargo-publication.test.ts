/**
 * Issue 10's "Done when", as one journey through real processes: two `vigil serve` on one
 * PostgreSQL database (one on SQLite as well), a real SMTP sink, OpenPGP decryption on the
 * receiving side, the CLI.
 *
 * An organisation applies on the public API (every criterion answered, the embargo text's hash, a
 * vouching member of the list's first organisation, which the team put on by hand); the member is
 * asked by mail and vouches in Vigil with their own account; the team approves and names a second
 * person, who accepts the embargo text. A case is filed, accepted, its advisory drafted (a Go
 * package with a fixed version, a CVE id recorded privately); the notice reaches the three people
 * (one copy encrypted, decrypted here with the private key), each copy matching what Vigil stored,
 * none with the CVE id. A leaked copy, reformatted and partial, is traced by `vigil leak trace` to
 * its recipient. A date a few seconds ahead is agreed over one distributor's objection (the reporter
 * accepts by their private link). Before the instant no public route of either process mentions the
 * advisory; at it, with both processes running, the case is published once, the announcement goes
 * to each announcement address once and the follow-up to each person once, and the Atom feeds,
 * all.zip and the OSV query of both processes list it with its CVE id.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDb, type Db } from '../../src/db/connection.js';
import { fieldAad } from '../../src/lib/crypto/encrypted-fields.js';
import { loadKeyring } from '../../src/lib/crypto/keyring.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { runCommand, runVigil } from '../support/cli.js';
import { publicationPolicy } from '../support/publication.js';
import { startServer, type RunningServer } from '../support/server.js';
import { startSmtpSink, type ParsedSinkMessage, type SmtpSink } from '../support/smtp-sink.js';
import { readZip } from '../support/zip-reader.js';

const SLUG = 'contour';
const MASTER_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'correct horse battery staple';
const ANNOUNCE = ['users@lists.contour.example', 'announce@contour.example'];
const PACKAGE = 'github.com/projectcontour/contour';
/** An advisory id no case has. */
const MISSING_ID = 'CTR-ADV-2099-9999';
const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H';
/** How far ahead the agreed instant is when the team proposes it. */
const LEAD_MS = 25_000;
/** Job runners poll every second; after the expected mail, this long for any duplicate to show. */
const GRACE_MS = 3_000;

const DESCRIPTION = `The HTTPProxy status writer does not bound the number of conditions it records for a route. A
client that is able to create two or more HTTPProxy objects with conflicting includes, e.g. one per
namespace, is able to make Contour rebuild the same condition list on every reconcile. This allows a
tenant with namespace access to exhaust the memory of the Contour pod, which can lead to a restart
loop of the control plane and stale configuration on the Envoy fleet via the xDS server.

The issue is present when Contour watches namespaces that third-party tenants control, and it
doesn't depend on the Envoy version. The memory is not released until the objects are deleted;
however, deleting them doesn't help while the reconcile queue is full. An attacker cannot read the
configuration of other tenants, but they are able to delay every configuration change, and the logs
don't record which object caused the growth, which makes the attack hard to attribute. We have not
seen it exploited in the wild, and we don't know of a public exploit.`;

const WORKAROUNDS = `Restrict who may create HTTPProxy objects with includes. Alternatively, set a memory limit on
the Contour pod so that the kubelet restarts it, or deploy a third-party admission controller that
rejects conflicting includes, for example one that normalises the include paths.`;

/** What a forum does to a pasted copy: invisible marks gone, quotes curled, white space collapsed, rewrapped. */
function reformat(text: string): string {
  const words = text
    .replace(/[\u200B-\u200D\u2060]/g, '')
    .replace(/'/g, '\u2019')
    .replace(/"([^"]*)"/g, '\u201C$1\u201D')
    .split(/\s+/)
    .filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && `${line} ${w}`.length > 58) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  lines.push(line);
  return lines.join('\n');
}

interface Res {
  status: number;
  text: string;
  // The answers are checked by the assertions that read them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  json: any;
  body: Buffer;
}

async function http(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Res> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...opts.headers,
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const body = Buffer.from(await res.arrayBuffer());
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, body };
}

interface Setup {
  name: string;
  postgres: boolean;
  processes: number;
}

const setups: Setup[] = [];
if (process.env.DATABASE_URL)
  setups.push({ name: 'PostgreSQL, two processes', postgres: true, processes: 2 });
setups.push({ name: 'SQLite, one process', postgres: false, processes: 1 });

// The setups side by side: each waits for its instant most of the time.
describe.concurrent.each(setups)('embargo to publication end to end ($name)', (setup) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-embargo-e2e-'));
  const data = join(dir, 'data');
  const env: Record<string, string> = {
    DATABASE_URL: '',
    VIGIL_MASTER_KEY: MASTER_KEY,
    VIGIL_JOB_LEASE_SECONDS: '10',
  };
  const servers: RunningServer[] = [];
  let sink: SmtpSink;
  let pgName: string | undefined;
  let teamToken = '';
  const tag = randomBytes(4).toString('hex');
  /** What the journey reports of its pace, for whoever reads the run. */
  const timings: string[] = [];
  const title = `Unbounded HTTPProxy conditions exhaust controller memory ${tag}`;
  const cveId = `CVE-2026-${String(50000 + (parseInt(tag, 16) % 40000))}`;

  const cli = async (...args: string[]) => {
    const r = await runCommand([...args, '--data', data], env);
    if (r.code !== 0) throw new Error(`vigil ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const database = (): Db =>
    openDb(setup.postgres ? { databaseUrl: env.DATABASE_URL, poolSize: 1 } : { dataDir: data });
  const outputs = () =>
    servers.map((s, i) => `\n--- vigil serve #${i + 1} ---\n${s.output() || '(nothing printed)'}`).join('');

  beforeAll(async () => {
    sink = await startSmtpSink();
    env.VIGIL_SMTP_URL = sink.url;
    if (setup.postgres) {
      const base = process.env.DATABASE_URL ?? '';
      const { createPgDatabase, databaseUrl, testDatabaseName } = await import('../support/pg.js');
      pgName = testDatabaseName();
      // The api tier migrates a template once; run alone, the first command migrates.
      await createPgDatabase(base, pgName, inject('pgTemplate'));
      env.DATABASE_URL = databaseUrl(base, pgName);
    }
    const policy = join(dir, 'policy.yaml');
    // Contour's policy: one supported line, announcement addresses, any day for a release, and a
    // test command, so that each line needs a green run or the Fix Lead's override.
    writeFileSync(
      policy,
      publicationPolicy(getPresetYaml('contour'), ANNOUNCE).replace(
        /testCommand: null/,
        'testCommand: make test',
      ),
    );
    await cli('project', 'create', SLUG, '--name', 'Contour', '--preset', policy);
    await cli('user', 'add', '--email', 'lead@contour.example');
    await cli('project', 'member', 'add', SLUG, '--email', 'lead@contour.example', '--role', 'security-team');
    teamToken = JSON.parse(
      await cli('token', 'create', '--email', 'lead@contour.example', '--name', 'e2e', '--json'),
    ).token as string;
    // One after the other: the first migrates (SQLite) and creates the first admin.
    for (let i = 0; i < setup.processes; i++) servers.push(await startServer(['--data', data], env));
  }, 90_000);

  afterAll(async () => {
    for (const s of servers) await s.stop();
    await sink?.close();
    if (pgName) {
      const { dropPgDatabase } = await import('../support/pg.js');
      await dropPgDatabase(process.env.DATABASE_URL ?? '', pgName);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies, vouches, discloses early, traces a leak, agrees a date and publishes once at the instant', async () => {
    const started = Date.now();
    try {
      await journey();
    } catch (err) {
      if (err instanceof Error) err.message += outputs();
      throw err;
    } finally {
      const took = ((Date.now() - started) / 1000).toFixed(1);
      console.warn(`[${setup.name}] the journey took ${took} s (${timings.join('; ')})`);
    }
  }, 120_000);

  async function journey(): Promise<void> {
    const [a, b = a] = servers.map((s) => s.url) as [string, ...string[]];
    if (!a) throw new Error('no server');
    /** Calls server `base`, expecting `status`; the answer. */
    const ok = async (
      base: string,
      method: string,
      path: string,
      opts: { token?: string; body?: unknown } = {},
      status = 200,
    ): Promise<Res> => {
      const r = await http(base, method, path, opts);
      if (r.status !== status)
        throw new Error(`${method} ${base}${path}: ${r.status}, not ${status}: ${r.text}`);
      return r;
    };
    const team = (method: string, path: string, body?: unknown, status = 200, base = a) =>
      ok(base, method, path, { token: teamToken, body }, status).then((r) => r.json);
    const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000) => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const v = await probe();
        if (v !== undefined) return v;
        if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const mailTo = (email: string, subject: string, timeoutMs = 15_000) =>
      sink.waitFor((m) => m.envelope.to.includes(email) && m.subject.includes(subject), timeoutMs);
    /** Redeems a mailed one-time sign-in link with a password, and makes an API token of the session. */
    const signInWith = async (mail: ParsedSinkMessage): Promise<string> => {
      const link = /https?:\/\/\S+\/sign-in\/link#token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
      if (!link) throw new Error(`no sign-in link in "${mail.subject}":\n${mail.text}`);
      const res = await fetch(`${b}/api/v1/auth/sign-in-link`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: new URL(link).hash.replace('#token=', ''), password: PASSWORD }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      const made = await fetch(`${a}/api/v1/me/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        body: JSON.stringify({ name: 'e2e' }),
      });
      expect(made.status).toBe(201);
      return ((await made.json()) as { token: string }).token;
    };
    const distributors = `/api/v1/projects/${SLUG}/distributors`;

    // 1. The list's first organisation: nobody could vouch for it, so the team puts it on by hand.
    const seedOrg = await team(
      'POST',
      `${distributors}/orgs`,
      {
        name: 'Seed Linux',
        contactAlias: 'security@seed-linux.example',
      },
      201,
    );
    await team(
      'POST',
      `${distributors}/orgs/${seedOrg.orgId}/people`,
      {
        name: 'Sam Seed',
        email: 'sam@seed-linux.example',
      },
      201,
    );
    const sam = await signInWith(await mailTo('sam@seed-linux.example', 'You are on the distributors list'));
    const acceptEmbargo = async (token: string) => {
      const [m] = (await ok(b, 'GET', '/api/v1/me/distributors', { token })).json.memberships;
      expect(m.mustAccept).toBe(true);
      await ok(a, 'POST', `/api/v1/me/distributors/${m.personId}/accept`, {
        token,
        body: { embargoHash: m.embargo.hash },
      });
      const [after] = (await ok(b, 'GET', '/api/v1/me/distributors', { token })).json.memberships;
      expect(after).toMatchObject({ mustAccept: false, acceptedHash: m.embargo.hash });
    };
    await acceptEmbargo(sam);

    // 2. An organisation applies on the public API, with an OpenPGP key, vouched for by Sam.
    const info = (await ok(b, 'GET', `${distributors}/apply`)).json;
    expect(info.criteria).toHaveLength(7);
    const anaKey = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Ana Applicant', email: 'ana@fedorable.example' }],
      date: new Date(Date.now() - 60_000),
      format: 'armored',
    });
    const applied = (
      await ok(
        b,
        'POST',
        `${distributors}/applications`,
        {
          body: {
            orgName: 'Fedorable OS',
            contactAlias: 'security@fedorable.example',
            applicantName: 'Ana Applicant',
            applicantEmail: 'ana@fedorable.example',
            answers: info.criteria.map(
              (_c: string, i: number) => `Criterion ${i + 1}: yes, see our tracker.`,
            ),
            embargoHash: info.embargo.hash,
            vouchEmail: 'sam@seed-linux.example',
            pgpPublicKey: anaKey.publicKey,
          },
        },
        201,
      )
    ).json;
    // Sam is asked by mail (a link only), and vouches in Vigil as himself.
    const ask = await mailTo('sam@seed-linux.example', 'asks you to vouch');
    expect(ask.text).toContain(`/vouches/${applied.applicationId}`);
    expect(ask.raw.toString('utf8')).not.toContain('Fedorable');
    const request = (await ok(a, 'GET', `/api/v1/me/vouches/${applied.applicationId}`, { token: sam })).json;
    expect(request).toMatchObject({ orgName: 'Fedorable OS', state: 'asked', open: true });
    await ok(b, 'POST', `/api/v1/me/vouches/${applied.applicationId}`, {
      token: sam,
      body: { decision: 'vouch', note: 'I know their packagers.' },
    });
    // The team approves: the organisation joins with Ana. Her address was never verified, so her
    // acceptance on the public form does not carry over: signed in as herself, she accepts again.
    const approved = await team('POST', `${distributors}/applications/${applied.applicationId}/approve`);
    const ana = await signInWith(await mailTo('ana@fedorable.example', 'You are on the distributors list'));
    await acceptEmbargo(ana);
    const [anaMembership] = (await ok(a, 'GET', '/api/v1/me/distributors', { token: ana })).json.memberships;
    expect(anaMembership).toMatchObject({ mustAccept: false, acceptedHash: info.embargo.hash });
    // A second person of the organisation accepts the embargo text before anything embargoed.
    await team(
      'POST',
      `${distributors}/orgs/${approved.orgId}/people`,
      {
        name: 'Ned Newcomer',
        email: 'ned@fedorable.example',
      },
      201,
    );
    const ned = await signInWith(await mailTo('ned@fedorable.example', 'You are on the distributors list'));
    await acceptEmbargo(ned);
    const orgs = (await team('GET', distributors)).orgs as {
      name: string;
      state: string;
      people: unknown[];
    }[];
    expect(orgs.map((o) => [o.name, o.state, o.people.length]).sort()).toEqual([
      ['Fedorable OS', 'active', 2],
      ['Seed Linux', 'active', 1],
    ]);

    // 3. A case: filed, accepted (the team's member is the Fix Lead), its advisory drafted.
    const filed = (
      await ok(
        b,
        'POST',
        `/api/v1/projects/${SLUG}/reports`,
        {
          body: {
            subject: 'Memory exhaustion through HTTPProxy includes',
            reporter: { name: 'Rita Reporter', email: 'rita@example.org' },
            reproduction: 'Create two HTTPProxy objects with conflicting includes.',
          },
        },
        201,
      )
    ).json;
    const humanId = filed.humanId as string;
    const reporterToken = String(filed.reporterLink).split('/r/')[1] ?? '';
    expect(reporterToken).not.toBe('');
    await team('POST', `/api/v1/cases/${humanId}/transitions`, { to: 'accepted' });
    expect((await team('GET', `/api/v1/cases/${humanId}`)).fixLead?.email).toBe('lead@contour.example');
    const draft = await team('POST', `/api/v1/cases/${humanId}/advisory`, undefined, 201);
    const advisoryId = draft.advisoryId as string;
    await team('PUT', `/api/v1/cases/${humanId}/advisory`, {
      baseRevision: draft.revision,
      document: {
        title,
        summary: 'Conflicting HTTPProxy includes make Contour exhaust its memory',
        description: DESCRIPTION,
        mitigations: 'Limit who may create HTTPProxy objects with includes.',
        workarounds: WORKAROUNDS,
        affected: [
          {
            ecosystem: 'Go',
            package: PACKAGE,
            ranges: [{ type: 'SEMVER', events: [{ introduced: '1.28.0' }, { fixed: '1.28.4' }] }],
          },
        ],
        severity: { cvss: [{ vector: CRITICAL }] },
      },
    });
    await team('PUT', `/api/v1/cases/${humanId}/advisory/cve`, { cveId });
    await team('POST', `/api/v1/cases/${humanId}/transitions`, { to: 'fixing' });

    // The notice: three people across the two organisations, Ana's copy encrypted to her key.
    const preflight = await team('GET', `/api/v1/cases/${humanId}/early-disclosure`);
    expect(
      Object.fromEntries(
        preflight.recipients.map((r: { name: string; delivery: string }) => [r.name, r.delivery]),
      ),
    ).toEqual({ 'Sam Seed': 'plain', 'Ana Applicant': 'encrypted', 'Ned Newcomer': 'plain' });
    const sent = await team(
      'POST',
      `/api/v1/cases/${humanId}/early-disclosure`,
      { releaseAt: new Date(Date.now() + 86_400_000).toISOString() },
      200,
      b,
    );
    expect(sent.sent).toMatchObject({ copies: 3, encrypted: 1, leftOut: [] });
    const copies = await until('the three copies accepted by the SMTP server', async () => {
      const log = await team('GET', `/api/v1/cases/${humanId}/early-disclosure`);
      const cs = log.sends[0]?.copies as
        | { copyId: string; name: string; referenceCode: string; encrypted: boolean; state: string }[]
        | undefined;
      return cs?.length === 3 && cs.every((c) => c.state === 'accepted') ? cs : undefined;
    });
    const emails: Record<string, string> = {
      'Sam Seed': 'sam@seed-linux.example',
      'Ana Applicant': 'ana@fedorable.example',
      'Ned Newcomer': 'ned@fedorable.example',
    };
    const cipher = loadKeyring({ masterKey: MASTER_KEY, dataDir: data });
    const received: Record<string, string> = {};
    const db = database();
    try {
      for (const copy of copies) {
        const email = emails[copy.name] ?? '?';
        const mails = sink.messages.filter(
          (m) => m.envelope.to.includes(email) && m.subject.startsWith('[EMBARGOED]'),
        );
        expect(mails, `the notice to ${copy.name}`).toHaveLength(1);
        const mail = mails[0] as ParsedSinkMessage;
        expect(mail.subject).toContain(copy.referenceCode);
        const row = await db.kysely
          .selectFrom('early_disclosure_copies')
          .select('text_enc')
          .where('id', '=', copy.copyId)
          .executeTakeFirstOrThrow();
        const stored = JSON.parse(
          cipher.decryptField(row.text_enc, fieldAad('early_disclosure_copies', 'text_enc', copy.copyId)),
        ) as { subject: string; body: string };
        if (copy.name === 'Ana Applicant') {
          expect(copy.encrypted).toBe(true);
          expect(mail.text).not.toContain('HTTPProxy');
          const armored = mail.text.slice(mail.text.indexOf('-----BEGIN PGP MESSAGE-----'));
          const { data: plain } = await openpgp.decrypt({
            message: await openpgp.readMessage({ armoredMessage: armored }),
            decryptionKeys: await openpgp.readPrivateKey({ armoredKey: anaKey.privateKey }),
          });
          received[copy.name] = String(plain).replace(/\r\n/g, '\n');
          expect(received[copy.name]).toBe(`Subject: ${stored.subject}\n\n${stored.body}`);
        } else {
          expect(copy.encrypted).toBe(false);
          received[copy.name] = mail.text;
          expect(mail.text.trim()).toBe(stored.body.trim());
          expect(mail.subject).toBe(stored.subject);
        }
        expect(received[copy.name]).toContain(`Reference ${copy.referenceCode}.`);
        expect(received[copy.name]).toContain('must not be made public');
        expect(received[copy.name]).toContain('HTTPProxy status writer');
      }
    } finally {
      await db.close();
    }
    // No mail so far carries the CVE id, in clear or inside the encrypted copy.
    for (const m of sink.messages) expect(m.raw.toString('latin1').toUpperCase()).not.toContain(cveId);
    for (const text of Object.values(received)) expect(text.toUpperCase()).not.toContain(cveId);

    // 4. Ned's copy leaks, reformatted and partial: `vigil leak trace` names him.
    const nedCopy = copies.find((c) => c.name === 'Ned Newcomer');
    const whole = reformat((received['Ned Newcomer'] ?? '').replace(/^Reference .*\n/m, ''));
    const leaked = whole.slice(Math.floor(whole.length * 0.2), Math.floor(whole.length * 0.8));
    expect(leaked).not.toContain(nedCopy?.referenceCode);
    expect(leaked).not.toMatch(/[\u200B-\u200D\u2060]/);
    const leakFile = join(dir, 'leak.txt');
    writeFileSync(leakFile, `Seen on a forum:\n\n${leaked}\n`);
    const traced = await runVigil(['leak', 'trace', leakFile, '--case', humanId, '--data', data], env);
    expect(traced.code, traced.stderr).toBe(0);
    expect(traced.stdout).toMatch(new RegExp(`^Case ${humanId}: identified \\(wording\\)\\n`));
    expect(traced.stdout).toContain(
      `The text comes from the copy of Ned Newcomer (Fedorable OS, ${nedCopy?.referenceCode})`,
    );

    // 5. The fix phase: each line overridden by the Fix Lead (no runner here), the release out.
    const board = await team('GET', `/api/v1/cases/${humanId}/releases`);
    expect(board.rows.map((r: { line: string }) => r.line).sort()).toEqual(['1.28', 'main']);
    for (const row of board.rows as { line: string; blocked: boolean }[]) {
      expect(row.blocked).toBe(true);
      await team('POST', `/api/v1/cases/${humanId}/releases/${row.line}/override`, {
        reason: 'Tested by hand on the release branch; the CI runner is down.',
      });
    }
    await team('POST', `/api/v1/cases/${humanId}/transitions`, { to: 'fix-ready' });
    await team('PUT', `/api/v1/cases/${humanId}/releases/1.28`, {
      version: '1.28.4',
      state: 'published',
      url: 'https://github.com/projectcontour/contour/releases/tag/v1.28.4',
    });

    // 6. The date, agreed over one objection: the reporter accepts by their private link, Seed Linux
    // accepts, Fedorable OS objects with a reason, the team decides.
    const instant = new Date(Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000).toISOString();
    const dateUrl = `/api/v1/cases/${humanId}/disclosure-date`;
    const proposed = await team('POST', dateUrl, {
      action: 'propose',
      at: instant,
      timeZone: 'Europe/Berlin',
      note: 'The releases are out; we publish right away.',
    });
    const proposal = proposed.proposals[0];
    expect(proposal).toMatchObject({ at: instant, timeZone: 'Europe/Berlin', open: true });
    // Guardrails pass: nothing refused, no release-window override needed (warnings only).
    expect(proposal.findings.filter((f: { level: string }) => f.level !== 'warning')).toEqual([]);
    const reporterUrl = `/api/v1/reporter/cases/${reporterToken}/disclosure-date`;
    expect((await ok(b, 'GET', reporterUrl)).json.abilities.respond).toBe(true);
    await ok(b, 'POST', reporterUrl, {
      body: { action: 'respond', proposalId: proposal.id, answer: 'accept' },
    });
    await ok(a, 'POST', dateUrl, {
      token: sam,
      body: { action: 'respond', proposalId: proposal.id, answer: 'accept' },
    });
    await ok(b, 'POST', dateUrl, {
      token: ana,
      body: {
        action: 'respond',
        proposalId: proposal.id,
        answer: 'object',
        reason: 'Our mirrors need a day to sync the packages.',
      },
    });
    const decided = await team('POST', dateUrl, {
      action: 'decide',
      proposalId: proposal.id,
      note: 'The fixed release is already public upstream.',
    });
    expect(decided.decision).toMatchObject({ proposalId: proposal.id, at: instant, overrides: [] });
    expect(decided.disclosureAt).toBe(instant);
    // The record keeps the objection the decision was taken over.
    const record = await team('GET', dateUrl, undefined, 200, b);
    expect(record.proposals[0].responses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ who: 'The reporter', answer: 'accept' }),
        expect.objectContaining({ who: 'Seed Linux', answer: 'accept' }),
        expect.objectContaining({
          who: 'Fedorable OS',
          answer: 'object',
          reason: 'Our mirrors need a day to sync the packages.',
        }),
      ]),
    );
    const scheduled = await team('POST', `/api/v1/cases/${humanId}/transitions`, {
      to: 'disclosure-scheduled',
    });
    expect(scheduled.state).toBe('disclosure-scheduled');
    expect((await team('GET', `/api/v1/cases/${humanId}/publication`)).scheduledFor).toBe(instant);

    // Before the instant, nothing public on either process mentions the advisory.
    const secrets = [advisoryId, title, cveId];
    for (const base of servers.map((s) => s.url)) {
      const seen = await publicAnswers(base, advisoryId);
      for (const [route, text] of seen) {
        for (const s of secrets)
          expect(text.toUpperCase(), `${route} before the instant`).not.toContain(s.toUpperCase());
      }
      expect(seen.size).toBeGreaterThanOrEqual(17);
    }
    const left = Date.parse(instant) - Date.now();
    timings.push(`public routes read ${(left / 1000).toFixed(1)} s before the instant`);
    expect(
      left,
      'the public routes were all read before the instant (raise LEAD_MS on a slow machine)',
    ).toBeGreaterThan(0);
    const mailsBefore = sink.messages.length;

    // 7. At the instant, with every process running: published, by the job, once.
    const published = await until(
      'the case published at its instant',
      async () => {
        const c = await team('GET', `/api/v1/cases/${humanId}`);
        return c.state === 'published' ? c : undefined;
      },
      left + 20_000,
    );
    const check = database();
    let releasedAt: string | null;
    let events: { action: string; actor_type: string; actor_id: string | null }[];
    try {
      releasedAt = (
        await check.kysely
          .selectFrom('cases')
          .select('released_at')
          .where('human_id', '=', humanId)
          .executeTakeFirstOrThrow()
      ).released_at;
      events = await check.kysely
        .selectFrom('audit_events')
        .select(['action', 'actor_type', 'actor_id'])
        .where('action', 'in', ['case.published', 'publication.published', 'advisory.published'])
        .orderBy('seq')
        .execute();
    } finally {
      await check.close();
    }
    expect(published.state).toBe('published');
    expect(Date.parse(releasedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(instant));
    timings.push(`published ${Date.parse(releasedAt ?? '') - Date.parse(instant)} ms after the instant`);
    expect(events.map((e) => e.action).sort()).toEqual([
      'advisory.published',
      'case.published',
      'publication.published',
    ]);
    // Published by the job, as Vigil itself: nobody pressed a button.
    expect(new Set(events.map((e) => `${e.actor_type}:${e.actor_id}`))).toEqual(
      new Set(['system:publication']),
    );

    // The announcement to each address and the follow-up to each person: once each, after a grace.
    const people = Object.values(emails);
    const announcements = () =>
      sink.messages.slice(mailsBefore).filter((m) => m.subject.startsWith('[SECURITY]'));
    const followUps = () =>
      sink.messages.slice(mailsBefore).filter((m) => m.subject.includes('Releases are out'));
    await until('the announcement and the follow-ups', async () =>
      announcements().length >= ANNOUNCE.length && followUps().length >= people.length ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, GRACE_MS));
    expect(
      announcements()
        .map((m) => m.envelope.to.join(','))
        .sort(),
    ).toEqual([...ANNOUNCE].sort());
    expect(
      followUps()
        .map((m) => m.envelope.to.join(','))
        .sort(),
    ).toEqual([...people].sort());
    for (const m of [...announcements(), ...followUps()]) {
      expect(m.rawHeaders.get('x-vigil-advisory')).toEqual([advisoryId]);
    }
    expect(announcements()[0]?.subject).toContain(cveId);
    expect(followUps()[0]?.text).toContain(`/p/${SLUG}/advisories/${advisoryId}`);
    // Nothing else went to the announcement addresses, ever.
    expect(sink.messages.filter((m) => m.envelope.to.some((t) => ANNOUNCE.includes(t)))).toHaveLength(
      ANNOUNCE.length,
    );
    // The distributors' access ended with the embargo.
    expect((await http(a, 'GET', `/api/v1/portal/cases/${humanId}`, { token: ana })).status).toBe(404);

    // Every process now lists it with its CVE id: the feeds, the archives, the OSV query.
    for (const base of servers.map((s) => s.url)) {
      const page = await ok(base, 'GET', `/p/${SLUG}/advisories/${advisoryId}`);
      expect(page.text).toContain(title);
      expect(page.text).toContain(cveId);
      for (const feed of [`/p/${SLUG}/advisories.atom`, '/advisories.atom']) {
        const atom = (await ok(base, 'GET', feed)).text;
        expect(atom, feed).toContain(`<title type="text">${cveId}: ${title}</title>`);
        expect(atom, feed).toContain(`/p/${SLUG}/advisories/${advisoryId}`);
      }
      for (const zip of ['/osv/all.zip', '/osv/Go/all.zip']) {
        const files = readZip((await ok(base, 'GET', zip)).body);
        expect(
          files.map((f) => f.name),
          zip,
        ).toEqual([`x_${advisoryId}.json`]);
        const record = JSON.parse(files[0]?.data.toString('utf8') ?? '{}');
        expect(record).toMatchObject({ id: `x_${advisoryId}`, aliases: [cveId] });
      }
      const query = (version: string) =>
        ok(base, 'POST', '/osv/v1/query', {
          body: { package: { ecosystem: 'Go', name: PACKAGE }, version },
        }).then((r) => r.json);
      const vulnerable = await query('1.28.2');
      expect(vulnerable.vulns.map((v: { id: string; aliases: string[] }) => [v.id, v.aliases])).toEqual([
        [`x_${advisoryId}`, [cveId]],
      ]);
      expect(await query('1.28.4')).toEqual({});
    }
    // Neither process logged an error on the way (a job that failed and was retried, say).
    expect(outputs()).not.toMatch(/"level":(50|60)/);
    const verified = await runCommand(['audit', 'verify', '--data', data], env);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  }

  /** Every public route that could name the case's advisory, read on `base`: the answers by route. */
  async function publicAnswers(base: string, advisoryId: string): Promise<Map<string, string>> {
    const answers = new Map<string, string>();
    const read = async (method: string, path: string, body?: unknown) => {
      const r = await http(base, method, path, { body });
      expect([200, 404], `${method} ${path}: ${r.text}`).toContain(r.status);
      const type = r.status === 200 ? '' : '(404) ';
      const text = path.endsWith('.zip')
        ? readZip(r.body)
            .map((f) => `${f.name}\n${f.data.toString('utf8')}`)
            .join('\n')
        : r.text;
      answers.set(`${type}${method} ${path}`, text);
      return r;
    };
    for (const path of [
      '/',
      `/p/${SLUG}`,
      `/p/${SLUG}/advisories`,
      `/p/${SLUG}/advisories.atom`,
      `/p/${SLUG}/advisories.json`,
      '/advisories.atom',
      '/advisories.json',
      `/p/${SLUG}/security.txt`,
      `/p/${SLUG}/SECURITY.md`,
      '/osv/ecosystems.txt',
      '/osv/all.zip',
      '/osv/Go/all.zip',
    ]) {
      expect((await read('GET', path)).status, path).toBe(200);
    }
    for (const path of [
      `/p/${SLUG}/advisories/${advisoryId}`,
      `/p/${SLUG}/advisories/${advisoryId}.json`,
      `/p/${SLUG}/advisories/${advisoryId}.osv.json`,
    ]) {
      // Hidden exactly as a missing advisory is: the same 404, which echoes only the id asked for.
      const hidden = await http(base, 'GET', path);
      const missing = await http(base, 'GET', path.replace(advisoryId, MISSING_ID));
      expect(hidden.status, path).toBe(404);
      expect(hidden.text.replaceAll(advisoryId, '<id>'), path).toBe(
        missing.text.replaceAll(MISSING_ID, '<id>'),
      );
      answers.set(`(404) GET ${path}`, hidden.text.replaceAll(advisoryId, '<id>'));
    }
    const queries = [
      { package: { ecosystem: 'Go', name: PACKAGE }, version: '1.28.2' },
      { package: { ecosystem: 'Go', name: PACKAGE } },
      { package: { purl: `pkg:golang/${PACKAGE}@v1.28.2` } },
    ];
    for (const q of queries) expect((await read('POST', '/osv/v1/query', q)).json).toEqual({});
    const batch = await read('POST', '/osv/v1/querybatch', { queries });
    expect(batch.json).toEqual({ results: [{}, {}, {}] });
    return answers;
  }
});
