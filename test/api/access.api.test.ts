/**
 * Reading is accountable (issue 11, item 2), through the API on both databases. The review's
 * reproducer: an instance admin who is not on a team asks to join it (a request, not a role: they
 * still cannot read a report), a current member approves, the admin reads the case, and the team
 * sees that read in the case's access log; the team got mail for the request and for the change.
 * Then the rules of approval (not the requester, not the person; decline; an empty team seeded;
 * the sole member), removal announced, and the access log's deduplication, parts, paging, access
 * and failing closed.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit.log.js';
import { newId } from '../../src/lib/ids.js';
import { createJobRunner, type JobRunner } from '../../src/jobs/job.runner.js';
import { createMailer } from '../../src/mail/outbound/mailer.js';
import { membersMailHandlers } from '../../src/modules/projects/members-mail.job.js';
import { describeEachDb } from '../support/db.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import {
  buildTestApp,
  createUser,
  OPERATOR,
  PUBLIC_URL,
  seedTeamMember,
  tokenClient,
  type Client,
  type TestApp,
} from '../support/app.js';

type Json = Record<string, unknown>;
type User = { id: string; email: string };

describeEachDb('reading is accountable: the access log and team approval', (get) => {
  let t: TestApp;
  let sink: SmtpSink;
  let runner: JobRunner;
  let m1: User & { client: Client };
  let m2: User & { client: Client };
  let admin: User & { client: Client };
  let outsider: User & { client: Client };
  let humanId = '';
  let attachmentId = '';
  const slug = 'contour';
  const REPORT = 'The xDS parser overflows on a crafted ClusterLoadAssignment';

  async function person(isAdmin = false): Promise<User & { client: Client }> {
    const u = await createUser(t, { isAdmin });
    return { id: u.id, email: u.email, client: await tokenClient(t, u.id) };
  }

  /** Runs the membership mail jobs; the messages sent, by recipient. */
  async function mailsSent() {
    sink.clear();
    expect(await runner.runDueJobsOnce()).toMatchObject({ failed: 0 });
    return sink.messages.map((m) => ({ to: m.envelope.to, subject: m.subject, text: m.text }));
  }

  async function auditOf(action: string): Promise<Json[]> {
    const rows = await get()
      .db.kysely.selectFrom('audit_events')
      .select('data_json')
      .where('action', '=', action)
      .execute();
    return rows.map((r) => JSON.parse(r.data_json) as Json);
  }

  beforeAll(async () => {
    t = await buildTestApp(get().db);
    await t.services.projects.createProject(OPERATOR, { slug, name: 'Contour', preset: 'contour' });
    [m1, m2, admin, outsider] = [await person(), await person(), await person(true), await person()];
    await seedTeamMember(t.db, slug, m1.email);
    await seedTeamMember(t.db, slug, m2.email);
    sink = await startSmtpSink();
    const mailer = createMailer({
      smtpUrl: sink.url,
      from: 'Vigil <vigil@vigil.test>',
      replyDomain: 'vigil.test',
      publicUrl: PUBLIC_URL,
      clock: t.clock,
    });
    runner = createJobRunner({
      db: get().db,
      clock: t.clock,
      handlers: membersMailHandlers({ db: get().db, mailer }),
    });
    const filed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${slug}/reports`,
      payload: {
        subject: 'Heap overflow in the xDS parser',
        reproduction: REPORT,
        reporter: { name: 'Ada', email: 'ada@example.org' },
        attachments: [
          { filename: 'poc.txt', contentBase64: Buffer.from('proof of concept').toString('base64') },
        ],
      },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    humanId = filed.json().humanId;
    const c = await m1.client.request('GET', `/api/v1/cases/${humanId}`);
    attachmentId = c.json().attachments[0].id;
  });

  afterAll(async () => {
    await t.app.close();
    await sink.close();
  });

  it("the review's reproducer: the admin's joining waits for a member, and their reading is in the log", async () => {
    // The admin asks to join a team that has members: a request, announced to the team.
    const asked = await admin.client.request('POST', `/api/v1/projects/${slug}/members`, {
      email: admin.email,
      role: 'security-team',
    });
    expect(asked.statusCode, asked.body).toBe(202);
    expect(asked.json()).toMatchObject({ status: 'pending', added: false, userId: admin.id });
    const requestId: string = asked.json().requestId;
    const requested = await mailsSent();
    expect(requested).toHaveLength(1);
    expect(requested[0]?.to.sort()).toEqual([m1.email, m2.email].sort());
    expect(requested[0]?.subject).toBe('[Vigil] [Contour] a request to join the security team');
    expect(requested[0]?.text).toContain(`${PUBLIC_URL}/projects/${slug}#team-heading`);
    expect(requested[0]?.text).not.toContain(admin.email);

    // Pending: still no role, so no report; the admin cannot approve (nor decline) it either.
    expect((await admin.client.request('GET', `/api/v1/cases/${humanId}`)).statusCode).toBe(404);
    const selfApproval = await admin.client.request(
      'POST',
      `/api/v1/projects/${slug}/members/requests/${requestId}/approve`,
    );
    expect(selfApproval.statusCode).toBe(404);
    // The team sees the request on the project.
    const project = (await m1.client.request('GET', `/api/v1/projects/${slug}`)).json();
    expect(project.memberRequests).toEqual([
      expect.objectContaining({
        id: requestId,
        userId: admin.id,
        requestedBy: expect.objectContaining({ id: admin.id }),
      }),
    ]);
    expect(project.members.map((m: { userId: string }) => m.userId)).not.toContain(admin.id);

    // A current member approves: the role exists now, and the team (the newcomer too) is told.
    const approved = await m1.client.request(
      'POST',
      `/api/v1/projects/${slug}/members/requests/${requestId}/approve`,
    );
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ state: 'approved', userId: admin.id });
    const added = await mailsSent();
    expect(added).toHaveLength(1);
    expect(added[0]?.to.sort()).toEqual([m1.email, m2.email, admin.email].sort());
    expect(added[0]?.subject).toBe('[Vigil] [Contour] a member joined the security team');

    // The admin reads the report; the team sees who read it, as what, and that they are an admin.
    const read = await admin.client.request('GET', `/api/v1/cases/${humanId}`);
    expect(read.statusCode).toBe(200);
    expect(read.body).toContain(REPORT);
    const log = await m2.client.request('GET', `/api/v1/cases/${humanId}/access-log`);
    expect(log.statusCode, log.body).toBe(200);
    const adminReads = (log.json().entries as Json[]).filter((e) => (e.reader as Json).userId === admin.id);
    expect(adminReads).toEqual([
      expect.objectContaining({
        what: 'case',
        via: 'security-team',
        admin: true,
        reader: expect.objectContaining({ kind: 'user', email: admin.email }),
      }),
    ]);

    expect(await auditOf('project.member_requested')).toContainEqual(
      expect.objectContaining({ requestId, userId: admin.id }),
    );
    expect(await auditOf('project.member_added')).toContainEqual(
      expect.objectContaining({ userId: admin.id, how: 'approved', requestId }),
    );
    expect(await verifyAuditChain(get().db)).toMatchObject({ ok: true });

    // A decided request is decided: approving or declining it again answers 409.
    const again = await m2.client.request(
      'POST',
      `/api/v1/projects/${slug}/members/requests/${requestId}/decline`,
    );
    expect(again.statusCode).toBe(409);
  });

  it('needs another member: not the one who asked; a decline adds nobody', async () => {
    const u = await person();
    const asked = await m1.client.request('POST', `/api/v1/projects/${slug}/members`, {
      email: u.email,
      role: 'security-team',
    });
    expect(asked.statusCode).toBe(202);
    const requestId: string = asked.json().requestId;
    // Asking twice is the same request, and no second mail.
    const twice = await m1.client.request('POST', `/api/v1/projects/${slug}/members`, {
      email: u.email,
      role: 'security-team',
    });
    expect(twice.json()).toMatchObject({ status: 'pending', requestId });
    await mailsSent();
    const byRequester = await m1.client.request(
      'POST',
      `/api/v1/projects/${slug}/members/requests/${requestId}/approve`,
    );
    expect(byRequester.statusCode).toBe(409);
    expect(byRequester.json().detail).toContain('another member');
    // The person to be added is no member: the request does not exist for them.
    expect(
      (await u.client.request('POST', `/api/v1/projects/${slug}/members/requests/${requestId}/approve`))
        .statusCode,
    ).toBe(404);
    // An outsider and an unknown request look the same.
    const foreign = await outsider.client.request(
      'POST',
      `/api/v1/projects/${slug}/members/requests/${requestId}/approve`,
    );
    expect(foreign.statusCode).toBe(404);
    const declined = await m2.client.request(
      'POST',
      `/api/v1/projects/${slug}/members/requests/${requestId}/decline`,
    );
    expect(declined.statusCode).toBe(200);
    expect(declined.json()).toMatchObject({ state: 'declined' });
    const mail = await mailsSent();
    expect(mail.map((m) => m.subject)).toEqual([
      '[Vigil] [Contour] a request to join the security team was declined',
    ]);
    expect((await u.client.request('GET', `/api/v1/cases/${humanId}`)).statusCode).toBe(404);
    const members = (await m1.client.request('GET', `/api/v1/projects/${slug}`)).json().members as Json[];
    expect(members.map((m) => m.userId)).not.toContain(u.id);
    expect(await auditOf('project.member_request_declined')).toContainEqual(
      expect.objectContaining({ requestId, userId: u.id }),
    );
  });

  it('lets an admin seed an empty team, and the only member add someone; then it is a request again', async () => {
    await t.services.projects.createProject(OPERATOR, { slug: 'empty', name: 'Empty', preset: 'contour' });
    const first = await person();
    const seeded = await admin.client.request('POST', '/api/v1/projects/empty/members', {
      email: first.email,
      role: 'security-team',
    });
    expect(seeded.statusCode, seeded.body).toBe(201);
    expect(seeded.json()).toMatchObject({ status: 'added', added: true, requestId: null });
    // The sole member adds someone: nobody else could approve, so it is done (and announced).
    const second = await person();
    const bySole = await first.client.request('POST', '/api/v1/projects/empty/members', {
      email: second.email,
      role: 'security-team',
    });
    expect(bySole.statusCode).toBe(201);
    expect(bySole.json()).toMatchObject({ status: 'added' });
    // Two members now: the admin's addition of a third is a request.
    const third = await person();
    const byAdmin = await admin.client.request('POST', '/api/v1/projects/empty/members', {
      email: third.email,
      role: 'security-team',
    });
    expect(byAdmin.statusCode).toBe(202);
    const again = await admin.client.request('POST', '/api/v1/projects/empty/members', {
      email: first.email,
      role: 'security-team',
    });
    expect(again.json()).toMatchObject({ status: 'already-member', added: false });
    const hows = (await auditOf('project.member_added')).map((d) => d.how);
    expect(hows).toEqual(expect.arrayContaining(['seeded', 'sole-member']));
    // The operator at the server's shell (who holds the database anyway) adds directly, audited.
    const fourth = await person();
    const byOperator = await t.services.projects.addMember(OPERATOR, 'empty', {
      email: fourth.email,
      role: 'security-team',
    });
    expect(byOperator).toMatchObject({ status: 'added' });
    expect((await auditOf('project.member_added')).map((d) => d.how)).toContain('operator');
    const mail = await mailsSent();
    expect(mail.map((m) => m.subject).sort()).toEqual(
      [
        '[Vigil] [Empty] a member joined the security team',
        '[Vigil] [Empty] a member joined the security team',
        '[Vigil] [Empty] a member joined the security team',
        '[Vigil] [Empty] a request to join the security team',
      ].sort(),
    );
  });

  it('announces a removal to the team and to the person removed', async () => {
    const leaving = await person();
    await seedTeamMember(t.db, slug, leaving.email);
    const url = `/api/v1/projects/${slug}/members/${leaving.id}?role=security-team`;
    // Removing is an admin's (who need not be on the team); a member may not.
    expect((await m1.client.request('DELETE', url)).statusCode).toBe(404);
    const anAdmin = await person(true);
    const removed = await anAdmin.client.request('DELETE', url);
    expect(removed.statusCode).toBe(204);
    const mail = await mailsSent();
    expect(mail).toHaveLength(1);
    expect(mail[0]?.subject).toBe('[Vigil] [Contour] a member left the security team');
    expect(mail[0]?.to).toContain(leaving.email);
    expect(mail[0]?.to).toContain(m2.email);
    expect(await auditOf('project.member_removed')).toContainEqual({
      userId: leaving.id,
      role: 'security-team',
    });
    // Removing again: nobody to remove (404), nothing audited, nobody told.
    const before = (await auditOf('project.member_removed')).length;
    expect((await anAdmin.client.request('DELETE', url)).statusCode).toBe(404);
    expect(await auditOf('project.member_removed')).toHaveLength(before);
    expect(await mailsSent()).toEqual([]);
    expect((await leaving.client.request('GET', `/api/v1/cases/${humanId}`)).statusCode).toBe(404);
  });

  it('logs one row per reader, part and ten minutes; attachments and drafts by name; newest first, paged', async () => {
    const reader = await person();
    await seedTeamMember(t.db, slug, reader.email);
    const readerRows = async () =>
      (
        (await m1.client.request('GET', `/api/v1/cases/${humanId}/access-log?limit=200`)).json()
          .entries as Json[]
      ).filter((e) => (e.reader as Json).userId === reader.id);
    for (let i = 0; i < 3; i++)
      expect((await reader.client.request('GET', `/api/v1/cases/${humanId}`)).statusCode).toBe(200);
    expect(await readerRows()).toHaveLength(1);
    const dl = await reader.client.request('GET', `/api/v1/cases/${humanId}/attachments/${attachmentId}`);
    expect(dl.statusCode).toBe(200);
    expect((await reader.client.request('GET', `/api/v1/cases/${humanId}/public-issue`)).statusCode).toBe(
      200,
    );
    t.clock.advance(11 * 60_000);
    expect((await reader.client.request('GET', `/api/v1/cases/${humanId}`)).statusCode).toBe(200);
    const rows = await readerRows();
    expect(rows.map((r) => r.what)).toEqual(['case', 'public-issue', `attachment:${attachmentId}`, 'case']);
    expect(rows.every((r) => r.via === 'security-team' && r.admin === false)).toBe(true);

    // Paging: newest first, a cursor to the next page, the last page without one.
    const all = (await m1.client.request('GET', `/api/v1/cases/${humanId}/access-log?limit=200`)).json()
      .entries as Json[];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/cases/${humanId}/access-log?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await m1.client.request('GET', url)).json() as {
        entries: Json[];
        nextCursor: string | null;
      };
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries.map((e) => String(e.id)));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => String(e.id)));
    expect(seen.length).toBeGreaterThan(4);
  });

  it('logs the reads of a CI run log and of the retrospective (confidential too)', async () => {
    const reader = await person();
    await seedTeamMember(t.db, slug, reader.email);
    const c = await get()
      .db.kysely.selectFrom('cases')
      .select(['id', 'received_at'])
      .where('human_id', '=', humanId)
      .executeTakeFirstOrThrow();
    const runId = newId();
    await get()
      .db.kysely.insertInto('ci_runs')
      .values({
        id: runId,
        case_id: c.id,
        branch: 'fix',
        commit_sha: 'a'.repeat(40),
        state: 'passed',
        runner_id: null,
        lease_until: null,
        attempts: 1,
        exit_code: 0,
        timed_out: 0,
        log_enc: null,
        created_at: c.received_at,
        started_at: c.received_at,
        finished_at: c.received_at,
      })
      .execute();
    expect(
      (await reader.client.request('GET', `/api/v1/cases/${humanId}/ci/runs/${runId}/log`)).statusCode,
    ).toBe(200);
    expect((await reader.client.request('GET', `/api/v1/cases/${humanId}/retrospective`)).statusCode).toBe(
      200,
    );
    const entries = (await m1.client.request('GET', `/api/v1/cases/${humanId}/access-log?limit=200`)).json()
      .entries as Json[];
    const parts = entries.filter((e) => (e.reader as Json).userId === reader.id).map((e) => e.what);
    expect(parts).toEqual(['retrospective', 'ci-log']);
  });

  it('shows the log to the team alone, and refuses a read it cannot log', async () => {
    for (const c of [outsider.client]) {
      const res = await c.request('GET', `/api/v1/cases/${humanId}/access-log`);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain(m1.email);
    }
    const admin2 = await person(true);
    expect((await admin2.client.request('GET', `/api/v1/cases/${humanId}/access-log`)).statusCode).toBe(404);
    expect(
      (await m1.client.request('GET', `/api/v1/cases/${humanId}/access-log?cursor=not-a-cursor`)).statusCode,
    ).toBe(400);

    // Fail closed: when the log cannot be written, the report is not served.
    const k = get().db.kysely;
    await sql`alter table case_access_log rename to case_access_log_away`.execute(k);
    try {
      const t2 = t.clock.now().getTime();
      t.clock.set(new Date(t2 + 11 * 60_000).toISOString());
      const res = await m2.client.request('GET', `/api/v1/cases/${humanId}`);
      expect(res.statusCode).toBeGreaterThanOrEqual(500);
      expect(res.body).not.toContain(REPORT);
    } finally {
      await sql`alter table case_access_log_away rename to case_access_log`.execute(k);
    }
    expect((await m2.client.request('GET', `/api/v1/cases/${humanId}`)).statusCode).toBe(200);
  });
});
