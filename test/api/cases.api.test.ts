import * as openpgp from 'openpgp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit.log.js';
import { MAX_ATTACHMENT_BYTES } from '../../src/modules/cases/cases.schemas.js';
import { getPresetYaml } from '../../src/modules/policy/policy.presets.js';
import { DEFAULT_SUBJECT_HINT } from '../../src/modules/policy/policy.schema.js';
import { describeEachDb } from '../support/db.js';
import {
  buildTestApp,
  createUser,
  OPERATOR,
  tokenClient,
  type Client,
  type TestApp,
  seedTeamMember,
} from '../support/app.js';

const SECRET = 'Heap overflow in the xDS parser via a crafted ClusterLoadAssignment';

describeEachDb('intake and triage API', (get) => {
  let t: TestApp;
  let team: Client;
  let admin: Client;
  let otherTeam: Client;
  const slug = 'contour';

  beforeAll(async () => {
    t = await buildTestApp(get().db);
    // Contour's commitments in New York with US holidays, so the clock crosses Christmas.
    const yaml = getPresetYaml('contour')
      .replace(/^timeZone: .*$/m, 'timeZone: America/New_York')
      .replace(/^holidays: .*$/m, 'holidays: US');
    await t.services.projects.createProject(OPERATOR, { slug, name: 'Contour', policyYaml: yaml });
    await t.services.projects.createProject(OPERATOR, { slug: 'other', name: 'Other', preset: 'emissary' });
    const m = await createUser(t);
    const o = await createUser(t);
    const a = await createUser(t, { isAdmin: true });
    await seedTeamMember(t.db, slug, m.email);
    await seedTeamMember(t.db, 'other', o.email);
    // Wednesday 23 December 2026, 11:00 in New York.
    t.clock.set('2026-12-23T16:00:00Z');
    team = await tokenClient(t, m.id);
    otherTeam = await tokenClient(t, o.id);
    admin = await tokenClient(t, a.id);
  });
  afterAll(async () => {
    await t.app.close();
  });

  let seq = 0;
  async function report(extra: Record<string, unknown> = {}) {
    seq += 1;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${slug}/reports`,
      remoteAddress: `10.0.0.${seq}`,
      payload: {
        subject: SECRET,
        reporter: { name: 'Ada', affiliation: 'Example Corp', email: 'ada@example.org' },
        reproduction: 'Send the attached <script>alert(1)</script> payload to the xDS port.',
        effects: 'Envoy crashes.',
        impact: 'Remote, unauthenticated.',
        ...extra,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as {
      id: string;
      humanId: string;
      reporterLink: string;
      firstResponseDueAt: string;
      firstResponseAsap: boolean;
    };
  }
  const tokenOf = (link: string) => link.split('/r/')[1] ?? '';

  it('files an anonymous report as a case with a human id and a first-response deadline', async () => {
    const r = await report();
    expect(r.humanId).toMatch(/^CTR-2026-\d{4}$/);
    // Three business days: Thu 24, (Fri 25 Christmas, weekend) Mon 28, Tue 29 at 11:00 New York.
    expect(r.firstResponseDueAt).toBe('2026-12-29T16:00:00.000Z');
    expect(r.reporterLink).toMatch(/^http:\/\/vigil\.test\/r\/vrt_[A-Za-z0-9_-]{43}$/);

    const inbox = (await team.request('GET', '/api/v1/cases')).json().cases;
    const c = inbox.find((x: { humanId: string }) => x.humanId === r.humanId);
    expect(c).toMatchObject({
      state: 'received',
      title: SECRET,
      clock: { status: 'running', dueAt: '2026-12-29T16:00:00.000Z' },
    });
    const byProject = await team.request('GET', `/api/v1/projects/${slug}/cases?state=received`);
    expect(byProject.json().cases.map((x: { humanId: string }) => x.humanId)).toContain(r.humanId);
  });

  it('hides cases from other teams and from admins who are not on the team (404)', async () => {
    const r = await report();
    for (const client of [otherTeam, admin]) {
      expect((await client.request('GET', `/api/v1/cases/${r.humanId}`)).statusCode).toBe(404);
      expect(
        (await client.request('GET', `/api/v1/cases`)).json().cases.map((x: { id: string }) => x.id),
      ).not.toContain(r.id);
    }
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/cases/${r.id}` })).statusCode).toBe(401);
  });

  it('turns overdue at the right business-day instant, and only a human message stops the clock', async () => {
    const r = await report();
    const clockAt = async (iso: string) => {
      t.clock.set(iso);
      return (await team.request('GET', `/api/v1/cases/${r.humanId}`)).json().clock.status as string;
    };
    expect(await clockAt('2026-12-29T15:59:59Z')).toBe('running');
    expect(await clockAt('2026-12-29T16:00:00Z')).toBe('overdue');
    // The automatic receipt is in the conversation but did not answer the clock.
    const detail = (await team.request('GET', `/api/v1/cases/${r.humanId}`)).json();
    expect(detail.messages[0]).toMatchObject({ automatic: true, author: { type: 'system' } });
    expect(detail.messages[0].body).toContain(
      'a member of the team will answer you here by Tuesday, 29 December 2026 at 11:00 (America/New_York).',
    );
    expect(detail.firstRespondedAt).toBeNull();
    // An internal note does not answer it either; a message to the reporter does.
    await team.request('POST', `/api/v1/cases/${r.humanId}/messages`, {
      body: 'Looks real, CVSS 9?',
      internal: true,
    });
    expect((await team.request('GET', `/api/v1/cases/${r.humanId}`)).json().clock.status).toBe('overdue');
    await team.request('POST', `/api/v1/cases/${r.humanId}/messages`, {
      body: 'Thanks, we are investigating; workaround: disable xDS.',
    });
    const after = (await team.request('GET', `/api/v1/cases/${r.humanId}`)).json();
    expect(after.clock.status).toBe('met');
    expect(after.firstRespondedAt).toBe('2026-12-29T16:00:00.000Z');
    t.clock.set('2026-12-23T16:00:00Z');
  });

  it('shows the reporter the conversation but never internal notes', async () => {
    const r = await report();
    await team.request('POST', `/api/v1/cases/${r.humanId}/messages`, {
      body: 'INTERNAL: reporter may be right',
      internal: true,
    });
    await team.request('POST', `/api/v1/cases/${r.humanId}/messages`, { body: 'We can reproduce it.' });
    const view = await t.app.inject({
      method: 'GET',
      url: `/api/v1/reporter/cases/${tokenOf(r.reporterLink)}`,
    });
    expect(view.statusCode).toBe(200);
    const body = view.json();
    expect(body).toMatchObject({ humanId: r.humanId, state: 'received', title: SECRET });
    expect(JSON.stringify(body)).not.toContain('INTERNAL');
    expect(body.messages.map((m: { body: string }) => m.body)).toContain('We can reproduce it.');
    expect(body.messages.find((m: { body: string }) => m.body === 'We can reproduce it.').author.name).toBe(
      'Contour security team',
    );

    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reporter/cases/${tokenOf(r.reporterLink)}/messages`,
      payload: {
        body: 'Here is a smaller PoC.',
        attachments: [
          {
            filename: 'poc.py',
            contentType: 'text/x-python',
            contentBase64: Buffer.from('print(1)').toString('base64'),
          },
        ],
      },
    });
    expect(reply.statusCode).toBe(201);
    const detail = (await team.request('GET', `/api/v1/cases/${r.humanId}`)).json();
    expect(detail.messages.at(-1)).toMatchObject({
      body: 'Here is a smaller PoC.',
      author: { type: 'reporter' },
    });
    expect(detail.attachments[0]).toMatchObject({
      filename: 'poc.py',
      sizeBytes: 8,
      flags: [],
    });
    const bad = await t.app.inject({ method: 'GET', url: `/api/v1/reporter/cases/vrt_${'x'.repeat(43)}` });
    expect(bad.statusCode).toBe(404);
  });

  it('serves attachments only as downloads, and keeps them encrypted at rest', async () => {
    const r = await report({
      attachments: [
        {
          filename: 'page.html',
          contentType: 'text/html',
          contentBase64: Buffer.from('<script>alert(1)</script>').toString('base64'),
        },
      ],
    });
    const detail = (await team.request('GET', `/api/v1/cases/${r.humanId}`)).json();
    const a = detail.attachments[0];
    const dl = await team.request('GET', `/api/v1/cases/${r.humanId}/attachments/${a.id}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-disposition']).toContain('attachment; filename="page.html"');
    expect(dl.headers['content-type']).toBe('application/octet-stream');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.body).toBe('<script>alert(1)</script>');
    const rows = await get().db.kysely.selectFrom('case_attachments').select('data_enc').execute();
    for (const row of rows) expect(Buffer.from(row.data_enc).toString('latin1')).not.toContain('alert(1)');
  });

  it('refuses attachments over the policy limit, naming the field, and writes nothing', async () => {
    const before = (await team.request('GET', '/api/v1/cases')).json().cases.length;
    // Two files of 13 MiB: each within the API's per-file bound, together over the policy's 25 MiB a case.
    const half = Buffer.alloc(13 * 1024 * 1024, 1).toString('base64');
    const file = (name: string) => ({
      filename: name,
      contentType: 'application/octet-stream',
      contentBase64: half,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${slug}/reports`,
      remoteAddress: '10.9.9.9',
      payload: { subject: 'Big', reproduction: 'x', attachments: [file('a.bin'), file('b.bin')] },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().issues[0].path).toBe('attachments.1');
    // One file over the API's bound is refused before it is read, naming the field.
    const huge = Buffer.alloc(MAX_ATTACHMENT_BYTES + 3000, 1).toString('base64');
    const over = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${slug}/reports`,
      remoteAddress: '10.9.9.8',
      payload: {
        subject: 'Huge',
        reproduction: 'x',
        attachments: [{ filename: 'h.bin', contentBase64: huge }],
      },
    });
    expect(over.statusCode).toBe(400);
    expect(over.json().issues[0].path).toBe('body.attachments.0.contentBase64');
    expect((await team.request('GET', '/api/v1/cases')).json().cases.length).toBe(before);
  });

  it('tells the public form the project’s name, limits and commitments', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/projects/${slug}/intake` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'Contour',
      firstResponseBusinessDays: 3,
      maxAttachmentBytesPerCase: 25 * 1024 * 1024,
      publicKeyUrl: 'http://vigil.test/p/contour/pgp-key.asc',
    });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/projects/nope/intake' })).statusCode).toBe(404);
  });

  it('gives each project’s form its own subject hint, and a neutral one when the policy names none', async () => {
    const hint = async (s: string) =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/projects/${s}/intake` })).json().subjectHint;
    expect(await hint(slug)).toContain('HTTPProxy');
    expect(await hint('other')).toContain('AuthService');
    for (const h of [await hint(slug), await hint('other')]) expect(h).not.toContain('xDS');
    const plain = getPresetYaml('emissary').replace(/^ {2}subjectHint: .*\n/m, '');
    await t.services.projects.createProject(OPERATOR, { slug: 'plain', name: 'Plain', policyYaml: plain });
    expect(await hint('plain')).toBe(DEFAULT_SUBJECT_HINT);
  });

  it('accepts a report encrypted to the published key, and refuses one for another key', async () => {
    const published = await t.app.inject({ method: 'GET', url: `/p/${slug}/pgp-key.asc` });
    const encryptionKeys = await openpgp.readKey({ armoredKey: published.body });
    // The fingerprint a careful reporter compares is published with the policy.
    const grouped = encryptionKeys
      .getFingerprint()
      .toUpperCase()
      .replace(/(.{4})(?!$)/g, '$1 ');
    const txt = await t.app.inject({ method: 'GET', url: `/p/${slug}/security.txt` });
    expect(txt.body).toContain(`# OpenPGP key fingerprint: ${grouped}`);
    expect(txt.body).toContain(`Encryption: http://vigil.test/p/${slug}/pgp-key.asc`);
    const md = await t.app.inject({ method: 'GET', url: `/p/${slug}/SECURITY.md` });
    expect(md.body).toContain(grouped);
    const plaintext = JSON.stringify({
      subject: 'Encrypted in the browser',
      reproduction: 'Only the team can read this.',
    });
    const encrypted = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: plaintext }),
      encryptionKeys,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${slug}/reports/encrypted`,
      remoteAddress: '10.8.0.1',
      payload: { encrypted },
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = (await team.request('GET', `/api/v1/cases/${res.json().humanId}`)).json();
    expect(c.title).toBe('Encrypted in the browser');
    expect(c.report.reproduction).toBe('Only the team can read this.');

    const other = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'x' }],
      format: 'object',
    });
    const wrong = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: plaintext }),
      encryptionKeys: other.publicKey,
    });
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${slug}/reports/encrypted`,
      remoteAddress: '10.8.0.2',
      payload: { encrypted: wrong },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().issues[0].path).toBe('encrypted');
    const badJson = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: '{"subject": 1}' }),
      encryptionKeys,
    });
    const invalid = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${slug}/reports/encrypted`,
      remoteAddress: '10.8.0.3',
      payload: { encrypted: badJson },
    });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().issues.map((i: { path: string }) => i.path)).toContain('encrypted.subject');
  });

  it('names the missing or malformed field of a bad submission', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${slug}/reports`,
      payload: { reproduction: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues.map((i: { path: string }) => i.path)).toContain('body.subject');
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/projects/nope/reports',
      payload: { subject: 'abc', reproduction: 'x' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('shows the reporter their report as sent, its files, and the progress in plain words', async () => {
    const file = (filename: string, content: string) => ({
      filename,
      contentType: 'application/octet-stream',
      contentBase64: Buffer.from(content).toString('base64'),
    });
    const r = await report({
      dependencies: 'Envoy 1.28',
      attachments: [file('poc.py', 'print(1)'), file('capture.pcap', 'PCAP')],
    });
    const token = tokenOf(r.reporterLink);
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/reporter/cases/${token}/messages`,
      payload: { body: 'And a log.', attachments: [file('server.log', 'log')] },
    });
    const view = (await t.app.inject({ method: 'GET', url: `/api/v1/reporter/cases/${token}` })).json();
    expect(view.title).toBe(SECRET);
    expect(view.report).toMatchObject({
      reproduction: 'Send the attached <script>alert(1)</script> payload to the xDS port.',
      effects: 'Envoy crashes.',
      impact: 'Remote, unauthenticated.',
      dependencies: 'Envoy 1.28',
      publicDetails: '',
    });
    // The files sent with the report, as expected types; the later one is among all their files.
    expect(
      view.report.attachments.map((a: { filename: string; flags: string[] }) => [a.filename, a.flags]),
    ).toEqual([
      ['poc.py', []],
      ['capture.pcap', []],
    ]);
    expect(view.attachments.map((a: { filename: string }) => a.filename).sort()).toEqual([
      'capture.pcap',
      'poc.py',
      'server.log',
    ]);
    const dl = await t.app.inject({
      method: 'GET',
      url: `/api/v1/reporter/cases/${token}/attachments/${view.report.attachments[0].id}`,
    });
    expect(dl.statusCode).toBe(200);
    expect(dl.body).toBe('print(1)');
    expect(dl.headers['content-disposition']).toContain('attachment; filename="poc.py"');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-type']).toBe('application/octet-stream');
    // Another case's link does not open this file.
    const other = tokenOf((await report()).reporterLink);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/reporter/cases/${other}/attachments/${view.report.attachments[0].id}`,
        })
      ).statusCode,
    ).toBe(404);
    // Three business days in New York: Tuesday 29 December 2026 at 11:00.
    expect(view.progress).toMatchObject({
      sentence:
        'Received: the security team has not answered yet; they aim to answer by Tuesday, 29 December 2026 at 11:00 (America/New_York).',
      step: 'received',
      firstResponse: { status: 'waiting', asap: false, dueAt: '2026-12-29T16:00:00.000Z', late: false },
    });
    expect(view.progress.steps.map((s: { status: string }) => s.status)).toEqual([
      'current',
      'upcoming',
      'upcoming',
      'upcoming',
      'upcoming',
    ]);
    const rejecting = await team.request('POST', `/api/v1/cases/${r.humanId}/transitions`, {
      to: 'rejected',
      reasonCategory: 'lack-of-safe-defaults',
      reason: 'A default setting.',
    });
    expect(rejecting.statusCode).toBe(200);
    const rejected = (await t.app.inject({ method: 'GET', url: `/api/v1/reporter/cases/${token}` })).json();
    expect(rejected.progress.sentence).toMatch(
      /^Rejected: the project does not treat a lack of safe defaults as a vulnerability\./,
    );
    expect(rejected.progress.steps.map((s: { status: string }) => s.status)).toEqual([
      'done',
      'current',
      'not-reached',
      'not-reached',
      'not-reached',
    ]);
  });

  it('rejects only with a category and a detailed reason, which reaches the reporter', async () => {
    const r = await report();
    const missing = await team.request('POST', `/api/v1/cases/${r.humanId}/transitions`, { to: 'rejected' });
    expect(missing.statusCode).toBe(422);
    expect(
      missing
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['reason', 'reasonCategory']);
    const ok = await team.request('POST', `/api/v1/cases/${r.humanId}/transitions`, {
      to: 'rejected',
      reasonCategory: 'lack-of-safe-defaults',
      reason: 'This concerns a default setting; see our statement on safe defaults.',
    });
    expect(ok.json()).toEqual({ state: 'rejected', from: 'received' });
    const view = (
      await t.app.inject({ method: 'GET', url: `/api/v1/reporter/cases/${tokenOf(r.reporterLink)}` })
    ).json();
    expect(view.state).toBe('rejected');
    expect(view.status).toContain('Not accepted');
    expect(view.messages.map((m: { body: string }) => m.body)).toContain(
      'This concerns a default setting; see our statement on safe defaults.',
    );
    const again = await team.request('POST', `/api/v1/cases/${r.humanId}/transitions`, { to: 'accepted' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('invalid_transition');
  });

  it('links a duplicate to its original, and redirects a non-security report with a public issue draft', async () => {
    const original = await report();
    const dup = await report();
    const res = await team.request('POST', `/api/v1/cases/${dup.humanId}/transitions`, {
      to: 'duplicate',
      duplicateOf: original.humanId,
    });
    expect(res.statusCode).toBe(200);
    expect((await team.request('GET', `/api/v1/cases/${dup.humanId}`)).json().duplicateOf).toBe(
      original.humanId,
    );

    const ns = await report();
    const draft = (await team.request('GET', `/api/v1/cases/${ns.humanId}/public-issue`)).json();
    expect(draft.title).toBe(SECRET);
    expect(draft.body).toContain('Envoy crashes.');
    expect(draft.body).not.toContain('Ada');
    expect(draft.body).not.toContain('Example Corp');
    const moved = await team.request('POST', `/api/v1/cases/${ns.humanId}/transitions`, {
      to: 'not-security',
      reason: `Not a vulnerability; we filed it publicly: ${draft.trackerUrl}`,
    });
    expect(moved.statusCode).toBe(200);
  });

  it('pauses the clock while waiting for the reporter, and resumes triage when they answer', async () => {
    const r = await report();
    const asked = await team.request('POST', `/api/v1/cases/${r.humanId}/transitions`, {
      to: 'needs-info',
      question: 'Which version?',
    });
    expect(asked.statusCode).toBe(200);
    expect((await team.request('GET', `/api/v1/cases/${r.humanId}`)).json().state).toBe('needs-info');
    t.clock.advance(24 * 3_600_000);
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/reporter/cases/${tokenOf(r.reporterLink)}/messages`,
      payload: { body: 'Version 1.28.2.' },
    });
    const detail = (await team.request('GET', `/api/v1/cases/${r.humanId}`)).json();
    expect(detail.state).toBe('triage');
    const row = await get()
      .db.kysely.selectFrom('cases')
      .select(['paused_ms', 'clock_paused_at'])
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ paused_ms: 24 * 3_600_000, clock_paused_at: null });
    t.clock.set('2026-12-23T16:00:00Z');
  });

  it('makes every clock "as soon as possible" for a public report and asks whether it can stay private', async () => {
    const r = await report({ publiclyKnown: true, publicDetails: 'Posted on a forum yesterday.' });
    expect(r.firstResponseDueAt).toBe('2026-12-23T16:00:00.000Z');
    // The confirmation says "as soon as possible", not "by" the instant the report arrived.
    expect(r).toMatchObject({ firstResponseAsap: true });
    expect((await report()).firstResponseAsap).toBe(false);
    const c = (await team.request('GET', `/api/v1/cases/${r.humanId}`)).json();
    expect(c.clock.status).toBe('asap');
    const token = tokenOf(r.reporterLink);
    const progressAt = async (iso: string) => {
      t.clock.set(iso);
      return (await t.app.inject({ method: 'GET', url: `/api/v1/reporter/cases/${token}` })).json().progress;
    };
    expect(await progressAt('2026-12-23T16:30:00Z')).toMatchObject({
      firstResponse: { asap: true, dueAt: null, late: false },
    });
    const late = await progressAt('2026-12-23T18:00:00Z');
    expect(late.firstResponse.late).toBe(true);
    expect(late.sentence).toContain('as soon as possible, and it is late');
    t.clock.set('2026-12-23T16:00:00Z');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/reporter/cases/${token}` })).json()
        .askPrivateHandling,
    ).toBe(true);
    const answer = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/reporter/cases/${token}/private-handling`,
      payload: { answer: 'possible' },
    });
    expect(answer.statusCode).toBe(204);
    const other = await report();
    expect(
      (await team.request('PUT', `/api/v1/cases/${other.humanId}/publicly-known`, { publiclyKnown: true }))
        .statusCode,
    ).toBe(204);
    expect((await team.request('GET', `/api/v1/cases/${other.humanId}`)).json().clock.status).toBe('asap');
  });

  it('takes the needs-info question as reason too, as the transitions interface names it', async () => {
    const r = await report();
    const res = await team.request('POST', `/api/v1/cases/${r.humanId}/transitions`, {
      to: 'needs-info',
      reason: 'Which version runs?',
    });
    expect(res.statusCode).toBe(200);
    const view = (
      await t.app.inject({ method: 'GET', url: `/api/v1/reporter/cases/${tokenOf(r.reporterLink)}` })
    ).json();
    expect(view.messages.map((m: { body: string }) => m.body)).toContain('Which version runs?');
    const none = await report();
    const missing = await team.request('POST', `/api/v1/cases/${none.humanId}/transitions`, {
      to: 'needs-info',
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().issues[0].path).toBe('question');
  });

  it('lets the reporter choose how to be credited', async () => {
    const r = await report();
    const token = tokenOf(r.reporterLink);
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/reporter/cases/${token}/credit`,
      payload: { anonymous: true },
    });
    expect(res.statusCode).toBe(204);
    expect((await team.request('GET', `/api/v1/cases/${r.humanId}`)).json().reporter.credit).toEqual({
      anonymous: true,
    });
  });

  it('rate-limits the form per address and says when to retry', async () => {
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/projects/${slug}/reports`,
        remoteAddress: '10.7.7.7',
        payload: { subject: 'Spam?', reproduction: 'x' },
      });
    for (let i = 0; i < 10; i++) expect((await send()).statusCode).toBe(201);
    const limited = await send();
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().detail).toMatch(/Keep your text and send it again in \d+ minutes/);
  });

  it('keeps report text out of the database in the clear, and every step in the audit chain', async () => {
    const db = get().db;
    for (const table of ['cases', 'case_messages'] as const) {
      const rows = await db.kysely.selectFrom(table).selectAll().execute();
      const dump = JSON.stringify(rows);
      expect(dump, table).not.toContain('ClusterLoadAssignment');
      expect(dump, table).not.toContain('disable xDS');
      expect(dump, table).not.toContain('ada@example.org');
    }
    const jobs = await db.kysely.selectFrom('jobs').select(['kind', 'payload_json']).execute();
    expect(jobs.map((j) => j.kind)).toEqual(
      expect.arrayContaining(['case.mail', 'case.first-response-reminder']),
    );
    expect(JSON.stringify(jobs)).not.toContain('xDS');
    const actions = (await db.kysely.selectFrom('audit_events').select('action').execute()).map(
      (e) => e.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'case.received',
        'case.rejected',
        'case.marked_duplicate',
        'case.info_requested',
        'case.info_received',
        'case.first_responded',
      ]),
    );
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('reports response metrics for the project', async () => {
    const res = await team.request('GET', `/api/v1/projects/${slug}/metrics/response`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ windowDays: 90, firstResponse: { answered: expect.any(Number) } });
    expect((await otherTeam.request('GET', `/api/v1/projects/${slug}/metrics/response`)).statusCode).toBe(
      404,
    );
  });
});
