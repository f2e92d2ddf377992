/**
 * Early disclosure (PROCESS.md §7) through the API on both databases, with a real SMTP sink and
 * real OpenPGP on the receiving side: the preflight (embargo acceptance, key states), the notice
 * reaching three people (one encrypted and decrypted with their private key, each matching its
 * stored copy, none with the CVE id), the delivery log, a key that fails blocking the send until the
 * person is excluded, a refusing SMTP server retried and reported, the portal's opened and
 * acknowledged marks, the refusals (phase, policy without a list, no draft), a reformatted partial
 * leak traced to its recipient (API and `vigil leak trace`), and the text at rest.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../src/jobs/job.queue.js';
import { createJobRunner, type JobRunner } from '../../src/jobs/job.runner.js';
import { fieldAad } from '../../src/lib/crypto/encrypted-fields.js';
import { loadKeyring } from '../../src/lib/crypto/keyring.js';
import { createMailer, type Mailer } from '../../src/mail/outbound/mailer.js';
import { projectContextBySlug } from '../../src/modules/cases/case-context.js';
import { copyDeliveryHandlers } from '../../src/modules/embargo/early-disclosure/copy-delivery.job.js';
import {
  COPY_DELIVERY_JOB,
  markCopiesAcknowledged,
  markCopiesOpened,
} from '../../src/modules/embargo/early-disclosure/early-disclosure.steps.js';
import { termsHash } from '../../src/modules/fix/team/embargo-terms.js';
import { runCommand } from '../support/cli.js';
import { dumpDatabase } from '../support/db-dump.js';
import { describeEachDb } from '../support/db.js';
import { insertDistributorOrg, insertDistributorPerson } from '../support/distributors.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import {
  acceptedCase,
  buildTestApp,
  createUser,
  projectWithTeam,
  PUBLIC_URL,
  type Client,
  type TestApp,
} from '../support/app.js';

const MASTER_KEY = Buffer.alloc(32, 11).toString('base64');
const CVE = 'CVE-2026-31337';
const RELEASE_AT = '2026-12-08T16:00:00Z';
/** Keys are made before the test clock (2026-11-23) so that they are valid at it. */
const KEY_DATE = new Date('2026-01-01T00:00:00Z');

const DESCRIPTION = (
  canary: string,
) => `The ext_authz filter does not check the Transfer-Encoding header of a request before it forwards
the request upstream. A client that sends two Transfer-Encoding headers, e.g. one in upper case
and one in lower case, is able to smuggle a second request past the authorization check. This
allows an attacker to reach routes that are not meant to be public, such as the admin listener,
and can lead to a full bypass of the authentication configured on the route (${canary}).

The issue is present when the filter is configured in front of a third-party upstream that
doesn't normalise headers, i.e. most HTTP/1.1 servers. It is not exploitable over HTTP/2, since
the codec rejects duplicate headers prior to any filter running; however, deployments that
downgrade to HTTP/1.1 toward the upstream are affected. An attacker cannot read the responses to
the smuggled request, but they are able to trigger side effects such as writes, and the logs
don't record the second request, which makes the attack hard to detect. We have not seen it
exploited in the wild.`;

const WORKAROUNDS = `Do not route untrusted traffic to listeners with ext_authz enabled. Alternatively, set
max_request_headers_kb so that requests with duplicate headers are rejected, or deploy a
well-known proxy in front of Contour that drops them.`;

interface Log {
  canSend: boolean;
  blockers: string[];
  recipients: {
    personId: string;
    name: string;
    delivery: string;
    embargoAccepted: boolean;
    hasCurrentRevision: boolean;
    key: { state: string; problem: string | null; fingerprint: string | null };
  }[];
  sends: {
    sendId: string;
    advisoryRevision: number;
    copies: {
      copyId: string;
      personId: string;
      name: string;
      referenceCode: string;
      encrypted: boolean;
      state: string;
      attempts: number;
      smtpResponse: string | null;
      lastError: string | null;
      cancelledReason: string | null;
      acceptedAt: string | null;
      openedAt: string | null;
      acknowledgedAt: string | null;
    }[];
    leftOut: { personId: string; reason: string }[];
  }[];
}

/** What a forum does to a pasted copy: invisible marks gone, quotes and dashes curled, rewrapped, quoted. */
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
    if (`${line} ${w}`.length > 62) {
      lines.push(`> ${line}`);
      line = w;
    } else line = line ? `${line}  ${w}` : w;
  }
  lines.push(`> ${line}`);
  return lines.join('\n');
}

async function keyPair(
  name: string,
  options: { keyExpirationTime?: number; subkeys?: openpgp.SubkeyOptions[] } = {},
) {
  return openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name, email: `${name.toLowerCase()}@example.net` }],
    date: KEY_DATE,
    format: 'armored',
    ...options,
  });
}

describeEachDb('early disclosure', (get) => {
  const cipher = loadKeyring({ masterKey: MASTER_KEY, dataDir: '/nonexistent' });
  const marker = randomBytes(5).toString('hex');
  const canary = (what: string) => `CANARY-${what}-${marker}`;
  let t: TestApp;
  let team: Client;
  let sink: SmtpSink;
  let mailer: Mailer;
  let runner: JobRunner;
  let humanId: string;
  let revision: number;
  let document: Record<string, unknown>;
  let embargoHash: string;
  let bob: Awaited<ReturnType<typeof keyPair>>;
  const people: Record<string, { personId: string; userId: string; email: string; orgId: string }> = {};

  const k = () => get().db.kysely;
  const ok = async (res: Promise<{ statusCode: number; body: string }>, status = 200) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(status);
    return JSON.parse(r.body) as Record<string, unknown>;
  };
  const log = async (id = humanId) =>
    (await ok(team.request('GET', `/api/v1/cases/${id}/early-disclosure`))) as unknown as Log;
  const send = (body: Record<string, unknown> = {}, id = humanId) =>
    team.request('POST', `/api/v1/cases/${id}/early-disclosure`, { releaseAt: RELEASE_AT, ...body });
  const audit = (action: string) =>
    k().selectFrom('audit_events').select(['data_json']).where('action', '=', action).execute();

  async function addOrg(slug: string, name: string): Promise<string> {
    const project = await k()
      .selectFrom('projects')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    return insertDistributorOrg(k(), {
      projectId: project.id,
      name,
      contactAlias: `security@${name.toLowerCase()}.example`,
      now: t.clock.now().toISOString(),
    });
  }

  async function addPerson(
    orgId: string,
    name: string,
    opts: { key?: string | null; accepted?: boolean; slug?: string } = {},
  ) {
    const user = await createUser(t);
    const project = await k()
      .selectFrom('projects')
      .select('id')
      .where('slug', '=', opts.slug ?? 'contour')
      .executeTakeFirstOrThrow();
    const personId = await insertDistributorPerson(k(), {
      orgId,
      projectId: project.id,
      userId: user.id,
      name,
      now: t.clock.now().toISOString(),
      embargoHash: (opts.accepted ?? true) ? embargoHash : null,
      pgp: { publicKey: opts.key ?? null, fingerprint: null, expiresAt: null },
    });
    people[name] = { personId, userId: user.id, email: user.email, orgId };
    return people[name];
  }

  /** Saves the advisory again (a new revision) with `changes`. */
  async function revise(changes: Record<string, unknown> = {}, id = humanId) {
    document = { ...document, ...changes };
    const saved = await ok(
      team.request('PUT', `/api/v1/cases/${id}/advisory`, { baseRevision: revision, document }),
    );
    revision = saved.revision as number;
  }

  /** The stored copy as the person reads it. */
  async function copyText(copyId: string): Promise<{ subject: string; body: string }> {
    const row = await k()
      .selectFrom('early_disclosure_copies')
      .select('text_enc')
      .where('id', '=', copyId)
      .executeTakeFirstOrThrow();
    return JSON.parse(
      cipher.decryptField(row.text_enc, fieldAad('early_disclosure_copies', 'text_enc', copyId)),
    ) as {
      subject: string;
      body: string;
    };
  }

  beforeAll(async () => {
    t = await buildTestApp(get().db, cipher);
    ({ team } = await projectWithTeam(t, 'contour', { name: 'Contour' }));
    const policy = (await projectContextBySlug(k(), 'contour')).policy;
    embargoHash = termsHash(policy.disclosure.distributorsList.embargoPolicy ?? '');
    sink = await startSmtpSink();
    mailer = createMailer({
      smtpUrl: sink.url,
      from: 'Vigil <vigil@vigil.test>',
      replyDomain: 'vigil.test',
      publicUrl: PUBLIC_URL,
      clock: t.clock,
    });
    runner = createJobRunner({
      db: get().db,
      clock: t.clock,
      handlers: copyDeliveryHandlers({ db: get().db, cipher, mailer }),
      random: () => 1,
    });
    humanId = await acceptedCase(t, 'contour', team, 'Request smuggling in ext_authz');
    const draft = await ok(team.request('POST', `/api/v1/cases/${humanId}/advisory`), 201);
    revision = (draft as { revision: number }).revision;
    document = {
      ...(draft.document as Record<string, unknown>),
      title: 'Request smuggling in the ext_authz filter',
      summary: 'Two Transfer-Encoding headers smuggle a request past ext_authz',
      description: DESCRIPTION(canary('description')),
      workarounds: WORKAROUNDS,
      affected: [
        {
          ecosystem: 'Go',
          package: 'github.com/projectcontour/contour',
          ranges: [
            { type: 'SEMVER', events: [{ introduced: '1.26.0' }, { fixed: '1.26.3' }] },
            { type: 'SEMVER', events: [{ introduced: '1.27.0' }, { fixed: '1.27.2' }] },
          ],
        },
      ],
      severity: { cvss: [{ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N' }] },
    };
    await revise();
    await ok(team.request('PUT', `/api/v1/cases/${humanId}/advisory/cve`, { cveId: CVE }));
    const acme = await addOrg('contour', 'Acme');
    const beta = await addOrg('contour', 'Beta');
    bob = await keyPair('Bob');
    await addPerson(acme, 'Alice');
    await addPerson(acme, 'Bob', { key: bob.publicKey });
    await addPerson(beta, 'Carol');
    await addPerson(beta, 'Dave', { accepted: false });
  });
  afterAll(async () => {
    mailer.close();
    await sink.close();
    await t.app.close();
  });

  describe('the notice', () => {
    it('says before sending who gets it encrypted, in clear, or not at all', async () => {
      const before = await log();
      expect(before.canSend).toBe(true);
      expect(before.blockers).toEqual([]);
      const by = Object.fromEntries(before.recipients.map((r) => [r.name, r]));
      expect(by.Alice).toMatchObject({ delivery: 'plain', key: { state: 'none' }, embargoAccepted: true });
      expect(by.Bob).toMatchObject({ delivery: 'encrypted', key: { state: 'ok', problem: null } });
      expect(by.Bob?.key.fingerprint).toMatch(/^[0-9A-F]{40}$/);
      expect(by.Dave).toMatchObject({ delivery: 'withheld', embargoAccepted: false });
      expect(before.sends).toEqual([]);
    });

    it('reaches three people through SMTP, one encrypted, each copy its own and none with the CVE id', async () => {
      sink.clear();
      const sent = (await ok(send({ advisoryRevision: revision }))) as unknown as Log & {
        sent: { copies: number; encrypted: number; leftOut: { personId: string; reason: string }[] };
      };
      expect(sent.sent).toMatchObject({ copies: 3, encrypted: 1 });
      expect(sent.sent.leftOut).toEqual([
        { personId: people.Dave?.personId, reason: 'embargo-not-accepted' },
      ]);
      // One job per copy, in the send's transaction; the case shared with both organisations.
      const jobs = await k()
        .selectFrom('jobs')
        .select('payload_json')
        .where('kind', '=', COPY_DELIVERY_JOB)
        .execute();
      expect(jobs).toHaveLength(3);
      const shares = await k().selectFrom('case_distributor_shares').select('org_id').execute();
      expect(shares.map((s) => s.org_id).sort()).toEqual([people.Alice?.orgId, people.Carol?.orgId].sort());

      expect(await runner.runDueJobsOnce()).toMatchObject({ ran: 3, succeeded: 3 });
      expect(sink.messages).toHaveLength(3);
      const after = await log();
      const copies = after.sends[0]?.copies ?? [];
      expect(copies.map((c) => c.name).sort()).toEqual(['Alice', 'Bob', 'Carol']);
      expect(new Set(copies.map((c) => c.referenceCode)).size).toBe(3);
      const bodies = new Set<string>();
      for (const copy of copies) {
        expect(copy).toMatchObject({ state: 'accepted', attempts: 1, lastError: null });
        expect(copy.smtpResponse).toMatch(/^250 .*Queued in the sink/);
        const person = people[copy.name];
        const mail = sink.messages.find((m) => m.envelope.to.includes(person?.email ?? '?'));
        if (!mail) throw new Error(`no mail to ${copy.name}`);
        expect(mail.subject).toContain(copy.referenceCode);
        expect(mail.messageId).toBe(`<early-disclosure.${copy.copyId}@vigil.test>`);
        const stored = await copyText(copy.copyId);
        let received: string;
        if (copy.name === 'Bob') {
          expect(copy.encrypted).toBe(true);
          expect(mail.subject).not.toContain('2026-12-08');
          expect(mail.text).not.toContain(canary('description'));
          const armored = mail.text.slice(mail.text.indexOf('-----BEGIN PGP MESSAGE-----'));
          const { data } = await openpgp.decrypt({
            message: await openpgp.readMessage({ armoredMessage: armored }),
            decryptionKeys: await openpgp.readPrivateKey({ armoredKey: bob.privateKey }),
          });
          received = String(data).replace(/\r\n/g, '\n');
          expect(received).toBe(`Subject: ${stored.subject}\n\n${stored.body}`);
        } else {
          expect(copy.encrypted).toBe(false);
          received = mail.text;
          expect(received.trim()).toBe(stored.body.trim());
          expect(mail.subject).toBe(stored.subject);
        }
        expect(received).toContain(canary('description'));
        expect(received).toContain(`Reference ${copy.referenceCode}.`);
        expect(stored.subject).toMatch(
          /^\[EMBARGOED\] Contour security release planned for 2026-12-08 #security \[ED-/,
        );
        expect(received).toMatch(/must not be made public/);
        bodies.add(stored.body.replace(/^Reference.*\n/, ''));
        for (const text of [mail.raw.toString('latin1'), received, stored.subject, stored.body]) {
          expect(text.toUpperCase()).not.toContain(CVE);
        }
      }
      // The same notice, worded a little differently in each copy.
      expect(bodies.size).toBe(3);
      const events = await audit('early_disclosure.sent');
      expect(events).toHaveLength(1);
      expect(JSON.parse(events[0]?.data_json ?? '{}')).toMatchObject({
        copies: 3,
        encrypted: 1,
        withheld: 1,
      });
      expect(await audit('early_disclosure.copy_accepted')).toHaveLength(3);
    });

    it('never sends a copy twice, and sends a revision once to each person', async () => {
      const copies = (await log()).sends[0]?.copies ?? [];
      await k()
        .transaction()
        .execute(async (trx) => {
          for (const c of copies) {
            await enqueueJob(trx, t.clock, { kind: COPY_DELIVERY_JOB, payload: { copyId: c.copyId } });
          }
        });
      expect(await runner.runDueJobsOnce()).toMatchObject({ ran: 3, succeeded: 3 });
      expect(sink.messages).toHaveLength(3);
      const again = await send();
      expect(again.statusCode).toBe(409);
      expect(again.json().detail).toMatch(/Nobody on the list can be sent this revision/);
      expect(
        (await log()).recipients
          .filter((r) => r.hasCurrentRevision)
          .map((r) => r.name)
          .sort(),
      ).toEqual(['Alice', 'Bob', 'Carol']);
    });

    it('records the portal opening and acknowledging a copy, the first time only', async () => {
      const carol = people.Carol;
      if (!carol) throw new Error('no Carol');
      const c = await k()
        .selectFrom('cases')
        .select('id')
        .where('human_id', '=', humanId)
        .executeTakeFirstOrThrow();
      const input = { caseId: c.id, userId: carol.userId };
      for (let i = 0; i < 2; i++) {
        await k()
          .transaction()
          .execute(async (trx) => {
            await markCopiesOpened(trx, t.clock, input);
            await markCopiesAcknowledged(trx, t.clock, input);
          });
      }
      const copy = (await log()).sends[0]?.copies.find((x) => x.name === 'Carol');
      expect(copy?.openedAt).toBe(t.clock.now().toISOString());
      expect(copy?.acknowledgedAt).toBe(t.clock.now().toISOString());
      expect(await audit('early_disclosure.copy_opened')).toHaveLength(1);
      expect(await audit('early_disclosure.copy_acknowledged')).toHaveLength(1);
    });
  });

  describe('keys that fail', () => {
    it('block the send, naming each person, until they are excluded; a new revision makes new copies', async () => {
      const gamma = await addOrg('contour', 'Gamma');
      const expired = await keyPair('Eve', { keyExpirationTime: 86_400 });
      const signOnly = await keyPair('George', { subkeys: [] });
      await addPerson(gamma, 'Eve', { key: expired.publicKey });
      await addPerson(gamma, 'Frank', {
        key: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----',
      });
      await addPerson(gamma, 'George', { key: signOnly.publicKey });
      await revise({ summary: 'Two Transfer-Encoding headers smuggle a request past the filter' });
      const pre = await log();
      const by = Object.fromEntries(pre.recipients.map((r) => [r.name, r]));
      expect(by.Eve).toMatchObject({ delivery: 'blocked', key: { state: 'expired' } });
      expect(by.Eve?.key.problem).toContain('expired on 2026-01-02');
      expect(by.Frank).toMatchObject({ delivery: 'blocked', key: { state: 'unparsable' } });
      expect(by.George).toMatchObject({ delivery: 'blocked', key: { state: 'cannot-encrypt' } });

      const countRows = async () => ({
        sends: (await k().selectFrom('early_disclosure_sends').select('id').execute()).length,
        jobs: (await k().selectFrom('jobs').select('id').where('kind', '=', COPY_DELIVERY_JOB).execute())
          .length,
      });
      const rowsBefore = await countRows();
      const refused = await send();
      expect(refused.statusCode).toBe(409);
      const problem = refused.json() as { detail: string; issues: { path: string; message: string }[] };
      expect(problem.detail).toMatch(/never sent in clear/);
      expect(problem.issues.map((i) => i.message).join('\n')).toMatch(
        new RegExp(`Eve \\(Gamma, person ${people.Eve?.personId}\\): The key expired`),
      );
      expect(problem.issues).toHaveLength(3);
      const stillOne = await send({ exclude: [people.Eve?.personId, people.George?.personId] });
      expect(stillOne.statusCode).toBe(409);
      expect((stillOne.json() as typeof problem).issues.map((i) => i.message)).toEqual([
        expect.stringMatching(
          /^Frank \(Gamma, person .*\): The stored key is not an armored OpenPGP public key/,
        ),
      ]);
      expect(await countRows()).toEqual(rowsBefore);

      const unknown = await send({ exclude: [randomUUID()] });
      expect(unknown.statusCode).toBe(422);

      sink.clear();
      const sent = (await ok(
        send({ exclude: [people.Eve?.personId, people.Frank?.personId, people.George?.personId] }),
      )) as unknown as { sent: { copies: number; leftOut: { personId: string; reason: string }[] } };
      expect(sent.sent.copies).toBe(3);
      expect(sent.sent.leftOut).toEqual(
        expect.arrayContaining([
          { personId: people.Eve?.personId, reason: 'excluded-key-expired' },
          { personId: people.Frank?.personId, reason: 'excluded-key-unparsable' },
          { personId: people.George?.personId, reason: 'excluded-key-cannot-encrypt' },
          { personId: people.Dave?.personId, reason: 'embargo-not-accepted' },
        ]),
      );
      await runner.runDueJobsOnce();
      expect(sink.messages.map((m) => m.envelope.to[0]).sort()).toEqual(
        [people.Alice?.email, people.Bob?.email, people.Carol?.email].sort(),
      );
      const sends = (await log()).sends;
      expect(sends.map((s) => s.advisoryRevision)).toEqual([revision, revision - 1]);
      const codes = sends.flatMap((s) => s.copies.map((c) => c.referenceCode));
      expect(new Set(codes).size).toBe(6);
      // Nothing ever reached the people whose key fails.
      for (const name of ['Eve', 'Frank', 'George', 'Dave']) {
        expect(sink.messages.some((m) => m.envelope.to.includes(people[name]?.email ?? '?'))).toBe(false);
      }
    });
  });

  describe('a refusing SMTP server', () => {
    it('is retried with backoff and reported in the delivery log; a 5xx fails the copy', async () => {
      await revise({ summary: 'Duplicate Transfer-Encoding headers smuggle a request past ext_authz' });
      const exclude = [people.Eve?.personId, people.Frank?.personId, people.George?.personId];
      await ok(send({ exclude }));
      sink.clear();
      sink.failNext(1, 451);
      expect(await runner.runDueJobsOnce()).toMatchObject({ ran: 3, succeeded: 2, retried: 1 });
      let copies = (await log()).sends[0]?.copies ?? [];
      const refused = copies.find((c) => c.state === 'queued');
      expect(refused).toMatchObject({ attempts: 1, acceptedAt: null });
      expect(refused?.lastError).toMatch(/451/);
      t.clock.advance(60 * 60_000);
      expect(await runner.runDueJobsOnce()).toMatchObject({ ran: 1, succeeded: 1 });
      copies = (await log()).sends[0]?.copies ?? [];
      expect(copies.find((c) => c.copyId === refused?.copyId)).toMatchObject({
        state: 'accepted',
        attempts: 2,
        lastError: null,
      });
      expect(sink.messages).toHaveLength(3);

      await revise({ summary: 'Duplicated Transfer-Encoding headers smuggle a request past ext_authz' });
      await ok(send({ exclude }));
      sink.failNext(1, 550);
      expect(await runner.runDueJobsOnce()).toMatchObject({ ran: 3, succeeded: 2, failed: 1 });
      const failed = (await log()).sends[0]?.copies.find((c) => c.state === 'failed');
      expect(failed?.lastError).toMatch(/550/);
      expect(await audit('early_disclosure.copy_failed')).toHaveLength(1);
      // A person whose copy failed may be sent this revision again; the others have it.
      const pre = await log();
      expect(
        pre.recipients
          .filter((r) => !r.hasCurrentRevision && r.delivery !== 'blocked')
          .map((r) => r.name)
          .sort(),
      ).toEqual([failed?.name, 'Dave'].sort());
    });
  });

  describe('refusals', () => {
    it('409 outside the fix phase, without a list in the policy, or without a draft; 422 with the CVE id in the text', async () => {
      const filed = await t.app.inject({
        method: 'POST',
        url: '/api/v1/projects/contour/reports',
        payload: { subject: 'Not accepted yet', reporter: { name: 'Ada' }, reproduction: 'steps' },
      });
      const received = filed.json().humanId as string;
      const notYet = await send({}, received);
      expect(notYet.statusCode).toBe(409);
      expect(notYet.json().detail).toMatch(/fix phase/);

      const noDraft = await acceptedCase(t, 'contour', team, 'No advisory yet');
      expect((await log(noDraft)).blockers.join(' ')).toMatch(/no advisory yet/);
      expect((await send({}, noDraft)).statusCode).toBe(409);

      const k8s = await projectWithTeam(t, 'k8spolicy', { preset: 'k8spolicy' });
      const single = await acceptedCase(t, 'k8spolicy', k8s.team, 'One maintainer');
      const view = (await ok(
        k8s.team.request('GET', `/api/v1/cases/${single}/early-disclosure`),
      )) as unknown as Log & {
        list: { enabled: boolean };
      };
      expect(view.list.enabled).toBe(false);
      expect(view.recipients).toEqual([]);
      const noList = await k8s.team.request('POST', `/api/v1/cases/${single}/early-disclosure`, {
        releaseAt: RELEASE_AT,
      });
      expect(noList.statusCode).toBe(409);
      expect(noList.json().detail).toMatch(/has no distributors list/);

      const exclude = [people.Eve?.personId, people.Frank?.personId, people.George?.personId];
      await revise({ workarounds: `${WORKAROUNDS} Tracked as ${CVE}.` });
      const withCve = await send({ exclude });
      expect(withCve.statusCode).toBe(422);
      expect(withCve.body).toContain('document.workarounds');
      await revise({ workarounds: WORKAROUNDS });
      const noDate = await team.request('POST', `/api/v1/cases/${humanId}/early-disclosure`, { exclude });
      expect(noDate.statusCode).toBe(422);
      expect(noDate.body).toContain('releaseAt');
      const past = await send({ exclude, releaseAt: '2026-11-01T16:00:00Z' });
      expect(past.statusCode).toBe(422);
      expect(past.body).toContain('has passed');
      // The other team sees nothing of it.
      const other = await projectWithTeam(t, 'sesame', { preset: 'sesame' });
      expect((await other.team.request('GET', `/api/v1/cases/${humanId}/early-disclosure`)).statusCode).toBe(
        404,
      );
      expect(
        (await other.team.request('POST', `/api/v1/cases/${humanId}/leak-trace`, { text: 'x' })).statusCode,
      ).toBe(404);
    });
  });

  describe('leak tracing', () => {
    let carolCopy: { copyId: string; referenceCode: string; body: string };

    beforeAll(async () => {
      const first = (await log()).sends.at(-1);
      const copy = first?.copies.find((c) => c.name === 'Carol');
      if (!copy) throw new Error('no copy of Carol');
      carolCopy = { ...copy, body: (await copyText(copy.copyId)).body };
    });
    const trace = async (text: string) =>
      (await ok(team.request('POST', `/api/v1/cases/${humanId}/leak-trace`, { text }))) as {
        verdict: string;
        method: string | null;
        summary: string;
        source: { personId: string; referenceCode: string } | null;
        candidates: {
          personId: string;
          matched: number;
          observed: number;
          pRandom: number;
          evidence: unknown[];
        }[];
        copiesCompared: number;
      };

    it('names the recipient of a reformatted middle part by its wording, with the evidence', async () => {
      const withoutReference = carolCopy.body.replace(/^Reference .*\n/, '');
      const whole = reformat(withoutReference);
      const part = whole.slice(Math.floor(whole.length * 0.25), Math.floor(whole.length * 0.75));
      expect(part).not.toContain(carolCopy.referenceCode);
      const r = await trace(`Found this on a forum:\n\n${part}\n\n${canary('leaked')}`);
      expect(r.verdict).toBe('identified');
      expect(r.method).toBe('wording');
      expect(r.source?.personId).toBe(people.Carol?.personId);
      expect(r.candidates[0]?.personId).toBe(people.Carol?.personId);
      expect(r.candidates[0]?.matched).toBe(r.candidates[0]?.observed);
      expect(r.candidates[0]?.pRandom).toBeLessThan(0.001);
      expect(r.candidates[0]?.evidence.length).toBeGreaterThanOrEqual(10);
      expect(r.copiesCompared).toBeGreaterThanOrEqual(9);
      expect(r.summary).toMatch(/^The text comes from the copy of Carol \(Beta, ED-/);
      const events = await audit('early_disclosure.leak_traced');
      expect(JSON.parse(events.at(-1)?.data_json ?? '{}')).toMatchObject({
        verdict: 'identified',
        method: 'wording',
      });
    });

    it('reads a reference code, or invisible marks, when the text keeps them', async () => {
      const byCode = await trace(`ref: ${carolCopy.referenceCode.toLowerCase()}\nsome words`);
      expect(byCode).toMatchObject({ verdict: 'identified', method: 'reference-code' });
      expect(byCode.source?.personId).toBe(people.Carol?.personId);
      const paragraph = carolCopy.body.split('\n\n').find((p) => /[\u200B\u200C]/.test(p)) ?? '';
      const byMarks = await trace(paragraph.replace(/^Reference .*$/m, ''));
      expect(byMarks.source?.personId).toBe(people.Carol?.personId);
      expect(['hidden-marks', 'wording']).toContain(byMarks.method);
    });

    it('says inconclusive when the text shows too little', async () => {
      const r = await trace('Someone said Contour has a request smuggling bug in ext_authz.');
      expect(r).toMatchObject({ verdict: 'inconclusive', method: null, source: null });
    });

    it('vigil leak trace FILE --case ID names the same recipient', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-leak-'));
      try {
        const file = join(dir, 'leak.txt');
        const whole = reformat(carolCopy.body.replace(/^Reference .*\n/, ''));
        writeFileSync(file, whole.slice(Math.floor(whole.length * 0.2), Math.floor(whole.length * 0.8)));
        const loc = get().location;
        const env = { DATABASE_URL: loc.databaseUrl ?? '', VIGIL_MASTER_KEY: MASTER_KEY };
        const data = loc.dataDir ? ['--data', loc.dataDir] : [];
        const r = await runCommand(['leak', 'trace', file, '--case', humanId, ...data], env);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^Case ${humanId}: identified \\(wording\\)\\n`));
        expect(r.stdout).toContain(
          `The text comes from the copy of Carol (Beta, ${carolCopy.referenceCode})`,
        );
        const json = await runCommand(['leak', 'trace', file, '--case', humanId, '--json', ...data], env);
        expect(JSON.parse(json.stdout)).toMatchObject({
          verdict: 'identified',
          source: { personId: people.Carol?.personId },
        });
        const missing = await runCommand(
          ['leak', 'trace', join(dir, 'none.txt'), '--case', humanId, ...data],
          env,
        );
        expect(missing.code).toBe(2);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('a queued copy', () => {
    it('is not sent once its person left the list or its case went public', async () => {
      const exclude = [people.Eve?.personId, people.Frank?.personId, people.George?.personId];
      await revise({ summary: 'Transfer-Encoding headers, twice, smuggle a request past ext_authz' });
      await ok(send({ exclude }));
      await k()
        .updateTable('distributor_people')
        .set({ state: 'removed' })
        .where('id', '=', people.Alice?.personId ?? '')
        .execute();
      sink.clear();
      expect(await runner.runDueJobsOnce()).toMatchObject({ ran: 3, succeeded: 3 });
      expect(sink.messages.map((m) => m.envelope.to[0]).sort()).toEqual(
        [people.Bob?.email, people.Carol?.email].sort(),
      );
      const alice = (await log()).sends[0]?.copies.find((c) => c.name === 'Alice');
      expect(alice).toMatchObject({
        state: 'cancelled',
        cancelledReason: 'recipient-left',
        acceptedAt: null,
      });
      await k()
        .updateTable('distributor_people')
        .set({ state: 'active' })
        .where('id', '=', people.Alice?.personId ?? '')
        .execute();

      await revise({ summary: 'Transfer-Encoding headers, doubled, smuggle a request past ext_authz' });
      await ok(send({ exclude }));
      await k().updateTable('cases').set({ state: 'published' }).where('human_id', '=', humanId).execute();
      sink.clear();
      try {
        expect(await runner.runDueJobsOnce()).toMatchObject({ ran: 3, succeeded: 3 });
        expect(sink.messages).toEqual([]);
        const copies = (await log()).sends[0]?.copies ?? [];
        expect(copies.map((c) => [c.state, c.cancelledReason])).toEqual(
          Array(3).fill(['cancelled', 'case-disclosed']),
        );
        expect(await audit('early_disclosure.copy_cancelled')).toHaveLength(4);
      } finally {
        await k().updateTable('cases').set({ state: 'accepted' }).where('human_id', '=', humanId).execute();
      }
    });

    it('is not sent once its person’s account was disabled or the embargo text they accepted is not the current one', async () => {
      const exclude = [people.Eve?.personId, people.Frank?.personId, people.George?.personId];
      await revise({ summary: 'Transfer-Encoding headers, thrice, smuggle a request past ext_authz' });
      await ok(send({ exclude }));
      const bob = await k()
        .selectFrom('distributor_people')
        .select(['user_id'])
        .where('id', '=', people.Bob?.personId ?? '')
        .executeTakeFirstOrThrow();
      const carol = await k()
        .selectFrom('distributor_people')
        .select(['embargo_hash'])
        .where('id', '=', people.Carol?.personId ?? '')
        .executeTakeFirstOrThrow();
      await k()
        .updateTable('users')
        .set({ disabled_at: t.clock.now().toISOString() })
        .where('id', '=', bob.user_id)
        .execute();
      // Carol accepted a text that is no longer the project's.
      await k()
        .updateTable('distributor_people')
        .set({ embargo_hash: 'a'.repeat(64) })
        .where('id', '=', people.Carol?.personId ?? '')
        .execute();
      sink.clear();
      try {
        expect(await runner.runDueJobsOnce()).toMatchObject({ ran: 3, succeeded: 3 });
        expect(sink.messages.map((m) => m.envelope.to[0])).toEqual([people.Alice?.email]);
        const copies = (await log()).sends[0]?.copies ?? [];
        const byName = Object.fromEntries(copies.map((c) => [c.name, [c.state, c.cancelledReason]]));
        expect(byName).toEqual({
          Alice: ['accepted', null],
          Bob: ['cancelled', 'account-disabled'],
          Carol: ['cancelled', 'embargo-not-current'],
        });
      } finally {
        await k().updateTable('users').set({ disabled_at: null }).where('id', '=', bob.user_id).execute();
        await k()
          .updateTable('distributor_people')
          .set({ embargo_hash: carol.embargo_hash })
          .where('id', '=', people.Carol?.personId ?? '')
          .execute();
      }
    });
  });

  it('keeps the copies, their seeds and the leaked text out of the database in clear', async () => {
    const dump = await dumpDatabase(get());
    expect(dump).not.toContain(canary('description'));
    expect(dump).not.toContain(canary('leaked'));
    expect(dump).not.toContain('ext_authz filter does not check');
    // The reference codes and the delivery log are not secret; they are there.
    expect(dump).toContain('Queued in the sink');
  });
});
