/**
 * The Fix Lead and per-case access (PROCESS.md §1, §6, §7, §8), through the API on both databases:
 * the rotation across cases skipping whoever is away, a change by hand with a reason, invitations
 * by email (an account and a sign-in link for a new address), the embargo terms accepted by their
 * hash before anything shows, the member view that leaves out the team's own content, removal, the
 * end of everyone's access when the case is published, and the invitation mail.
 */
import { fieldAad } from '../../src/lib/crypto/encrypted-fields.js';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit.log.js';
import { createJobRunner } from '../../src/jobs/job.runner.js';
import { createKeyring } from '../../src/lib/crypto/keyring.js';
import { createMailer } from '../../src/mail/outbound/mailer.js';
import { findCaseByRef, updateCase } from '../../src/modules/cases/cases.repo.js';
import { memberInvitationHandlers } from '../../src/modules/fix/team/member-invitation.job.js';
import { endCaseAccess } from '../../src/modules/fix/team/members.steps.js';
import { describeEachDb } from '../support/db.js';
import { insertDistributorOrg, insertDistributorPerson } from '../support/distributors.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import {
  buildTestApp,
  createUser,
  OPERATOR,
  PASSWORD,
  PUBLIC_URL,
  tokenClient,
  uniqueEmail,
  type Client,
  type TestApp,
  seedTeamMember,
} from '../support/app.js';

const SUBJECT = 'Header smuggling in the ext_authz filter (marker-subject-5521)';
const REPORT = 'Send two Transfer-Encoding headers (marker-report-7734).';
const REPORTER_EMAIL = 'marker-reporter-9123@example.net';
const MESSAGE = 'We reproduced it (marker-message-3307).';
const NOTE = 'Internal: likely the codec (marker-note-6640).';
const ADVISORY_TITLE = 'Request smuggling in ext_authz';

type Member = { memberId: string; userId: string; role: string; invitationUrl: string; newAccount: boolean };
type Invitation = { memberId: string; caseHumanId: string; terms: { text: string; hash: string } };

describeEachDb('Fix Lead and per-case access', (get) => {
  let t: TestApp;
  const cipher = createKeyring({ current: randomBytes(32) });
  const slug = 'emst';
  let team: { id: string; email: string; client: Client }[];
  let lead: Client;
  let otherTeam: Client;
  let outsider: { id: string; email: string };

  beforeAll(async () => {
    t = await buildTestApp(get().db, cipher);
    await t.services.projects.createProject(OPERATOR, { slug, name: 'Emissary', preset: 'emissary' });
    await t.services.projects.createProject(OPERATOR, { slug: 'other', name: 'Other', preset: 'contour' });
    team = [];
    for (let i = 0; i < 3; i++) {
      const u = await createUser(t);
      await seedTeamMember(t.db, slug, u.email);
      team.push({ id: u.id, email: u.email, client: await tokenClient(t, u.id) });
    }
    // The rotation goes by user id: list the team in that order.
    team.sort((a, b) => (a.id < b.id ? -1 : 1));
    lead = (team[0] as (typeof team)[number]).client;
    const o = await createUser(t);
    await seedTeamMember(t.db, 'other', o.email);
    otherTeam = await tokenClient(t, o.id);
    outsider = await createUser(t);
  });
  afterAll(async () => {
    await t.app.close();
  });

  const member = (i: number) => team[i] as (typeof team)[number];
  const db = () => get().db.kysely;

  let seq = 0;
  /** Files a report with the planted strings; accepted unless told otherwise. */
  async function file(accept = true, projectSlug = slug, by = lead): Promise<string> {
    seq += 1;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/projects/${projectSlug}/reports`,
      remoteAddress: `10.9.0.${seq}`,
      payload: { subject: SUBJECT, reporter: { name: 'Ada', email: REPORTER_EMAIL }, reproduction: REPORT },
    });
    expect(res.statusCode, res.body).toBe(201);
    const humanId = (res.json() as { humanId: string }).humanId;
    if (accept) await ok(by.request('POST', `/api/v1/cases/${humanId}/transitions`, { to: 'accepted' }));
    return humanId;
  }

  async function ok(res: Promise<{ statusCode: number; body: string }>, status = 200) {
    const r = await res;
    expect(r.statusCode, r.body).toBe(status);
    return r.body ? (JSON.parse(r.body) as Record<string, unknown>) : {};
  }

  const fixLeadOf = async (humanId: string) =>
    ((await ok(lead.request('GET', `/api/v1/cases/${humanId}`))).fixLead as { userId: string } | null)
      ?.userId ?? null;

  const audit = (action: string) =>
    db()
      .selectFrom('audit_events')
      .select(['action', 'actor_id', 'subject_id', 'data_json'])
      .where('action', '=', action)
      .orderBy('seq')
      .execute();

  /** A fully planted accepted case: a message to the reporter, an internal note, an advisory draft. */
  async function plantedCase(): Promise<string> {
    const id = await file();
    await ok(lead.request('POST', `/api/v1/cases/${id}/messages`, { body: MESSAGE }), 201);
    await ok(lead.request('POST', `/api/v1/cases/${id}/messages`, { body: NOTE, internal: true }), 201);
    const draft = await ok(lead.request('POST', `/api/v1/cases/${id}/advisory`), 201);
    const document = { ...(draft.document as object), title: ADVISORY_TITLE };
    await ok(lead.request('PUT', `/api/v1/cases/${id}/advisory`, { document, baseRevision: 1 }));
    return id;
  }

  async function invite(humanId: string, email: string, role = 'fix-team', by = lead): Promise<Member> {
    return (await ok(by.request('POST', `/api/v1/cases/${humanId}/members`, { email, role }), 201)) as Member;
  }

  /** Redeems a sign-in link as the invitee would: sets a password, and a browser session. */
  async function redeem(link: string): Promise<Client> {
    const token = new URL(link).hash.replace('#token=', '');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in-link',
      payload: { token, password: PASSWORD },
    });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = `vigil_session=${res.cookies.find((c) => c.name === 'vigil_session')?.value ?? ''}`;
    const csrf = (res.json() as { csrfToken: string }).csrfToken;
    return {
      cookie,
      csrf,
      request: (method, url, body) =>
        t.app.inject({
          method: method as 'GET',
          url,
          headers: { cookie, 'x-csrf-token': csrf },
          ...(body !== undefined && { payload: body as object }),
        }),
    };
  }

  const invitationsOf = async (client: Client) =>
    (await ok(client.request('GET', '/api/v1/me/invitations'))).invitations as Invitation[];

  async function accept(client: Client, memberId: string): Promise<void> {
    const invitation = (await invitationsOf(client)).find((i) => i.memberId === memberId);
    expect(invitation).toBeDefined();
    await ok(
      client.request('POST', `/api/v1/me/invitations/${memberId}/accept`, {
        termsHash: invitation?.terms.hash,
      }),
    );
  }

  /** Marks the case published as the transition would: everyone's access ends, then the state. */
  async function publish(humanId: string): Promise<void> {
    await db()
      .transaction()
      .execute(async (trx) => {
        const c = await findCaseByRef(trx, humanId);
        if (!c) throw new Error(`no case ${humanId}`);
        await endCaseAccess(trx, t.clock, c, { type: 'system', id: 'test' });
        const now = t.clock.now().toISOString();
        await updateCase(trx, c.id, { state: 'published', released_at: now, updated_at: now });
      });
  }

  describe('the Fix Lead', () => {
    it('takes each member of the security team in turn, across cases', async () => {
      const ids = [await file(), await file(), await file(), await file()];
      const leads = await Promise.all(ids.map(fixLeadOf));
      // Whoever is first depends on the project's last lead; from there, in turn and around.
      const start = team.findIndex((m) => m.id === leads[0]);
      expect(start).toBeGreaterThanOrEqual(0);
      expect(leads).toEqual([0, 1, 2, 3].map((i) => member((start + i) % 3).id));
      expect(new Set(leads.slice(0, 3)).size).toBe(3);

      const detail = await ok(lead.request('GET', `/api/v1/cases/${ids[0]}`));
      expect(detail.fixLead).toEqual({
        userId: member(start).id,
        name: member(start).email.split('@')[0],
        email: member(start).email,
      });
      const inbox = (await ok(lead.request('GET', '/api/v1/cases'))).cases as {
        humanId: string;
        fixLead: { userId: string; name: string } | null;
      }[];
      for (const [i, id] of ids.entries()) {
        const row = inbox.find((c) => c.humanId === id);
        expect(row?.fixLead).toEqual({
          userId: leads[i],
          name: team.find((m) => m.id === leads[i])?.email.split('@')[0],
        });
      }
      const rotations = await audit('case.fix_lead_assigned');
      expect(rotations.slice(-4).map((e) => JSON.parse(e.data_json).method)).toEqual([
        'rotation',
        'rotation',
        'rotation',
        'rotation',
      ]);
    });

    it('lists the cases the caller leads with assigned=me', async () => {
      const mine = (await ok(member(1).client.request('GET', '/api/v1/cases?assigned=me'))).cases as {
        fixLead: { userId: string } | null;
      }[];
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((c) => c.fixLead?.userId === member(1).id)).toBe(true);
      const all = (await ok(member(1).client.request('GET', '/api/v1/cases'))).cases as unknown[];
      expect(all.length).toBeGreaterThan(mine.length);
      expect((await member(1).client.request('GET', '/api/v1/cases?assigned=someone')).statusCode).toBe(400);
    });

    it('skips a member who marked themselves unavailable, and shows it on their account', async () => {
      const away = member(1).client;
      const now = t.clock.now().getTime();
      const window = {
        unavailableFrom: new Date(now - 86_400_000).toISOString(),
        unavailableUntil: new Date(now + 7 * 86_400_000).toISOString(),
      };
      expect(await ok(away.request('PUT', '/api/v1/me/availability', window))).toEqual(window);
      expect(await ok(away.request('GET', '/api/v1/me'))).toMatchObject({ id: member(1).id, ...window });
      const set = await audit('user.availability_set');
      expect(set.at(-1)).toMatchObject({ actor_id: member(1).id, subject_id: member(1).id });

      const leads = [];
      for (let i = 0; i < 4; i++) leads.push(await fixLeadOf(await file()));
      expect(leads).not.toContain(member(1).id);
      expect(new Set(leads)).toEqual(new Set([member(0).id, member(2).id]));
      // Alternating between the two who are there.
      expect(leads[0]).not.toBe(leads[1]);
      expect(leads[1]).not.toBe(leads[2]);

      await ok(
        away.request('PUT', '/api/v1/me/availability', { unavailableFrom: null, unavailableUntil: null }),
      );
      expect(await ok(away.request('GET', '/api/v1/me'))).toMatchObject({
        unavailableFrom: null,
        unavailableUntil: null,
      });
      const next = [];
      for (let i = 0; i < 3; i++) next.push(await fixLeadOf(await file()));
      expect(new Set(next).size).toBe(3);
    });

    it('refuses an absence that ends before it starts or lies more than two years ahead', async () => {
      const c = member(2).client;
      const bad = await c.request('PUT', '/api/v1/me/availability', {
        unavailableFrom: '2026-12-10T00:00:00Z',
        unavailableUntil: '2026-12-01T00:00:00Z',
      });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().issues).toEqual([
        { path: 'unavailableUntil', message: 'must be after unavailableFrom' },
      ]);
      const far = await c.request('PUT', '/api/v1/me/availability', {
        unavailableFrom: null,
        unavailableUntil: '2030-01-01T00:00:00Z',
      });
      expect(far.statusCode).toBe(422);
      expect(
        (await c.request('PUT', '/api/v1/me/availability', { unavailableFrom: 'soon' })).statusCode,
      ).toBe(400);
      expect(await ok(c.request('GET', '/api/v1/me'))).toMatchObject({
        unavailableFrom: null,
        unavailableUntil: null,
      });
    });

    it('changes by hand only to a member of the security team, with a reason kept encrypted (never in the audit log)', async () => {
      const id = await file();
      const before = await fixLeadOf(id);
      const target = team.find((m) => m.id !== before) ?? member(0);
      const url = `/api/v1/cases/${id}/fix-lead`;
      expect((await lead.request('PUT', url, { userId: target.id })).statusCode).toBe(400);
      expect((await lead.request('PUT', url, { userId: target.id, reason: '  ' })).statusCode).toBe(400);
      const notTeam = await lead.request('PUT', url, { userId: outsider.id, reason: 'Knows the codec.' });
      expect(notTeam.statusCode).toBe(422);
      expect(notTeam.json().issues[0].path).toBe('userId');
      // Another project's team, and an outsider, do not see the case at all.
      expect((await otherTeam.request('PUT', url, { userId: target.id, reason: 'x' })).statusCode).toBe(404);

      const changed = await ok(
        lead.request('PUT', url, { userId: target.id, reason: 'Knows the codec best.' }),
      );
      expect(changed).toEqual({
        fixLead: { userId: target.id, name: target.email.split('@')[0], email: target.email },
        changed: true,
      });
      expect(await fixLeadOf(id)).toBe(target.id);
      const event = (await audit('case.fix_lead_assigned')).at(-1);
      expect(JSON.parse(event?.data_json ?? '{}')).toEqual({
        userId: target.id,
        previousUserId: before,
        method: 'manual',
      });
      // The reason is the team's words: kept encrypted with the case, never in the audit log.
      const sealed = await get()
        .db.kysely.selectFrom('cases')
        .select(['id', 'fix_lead_reason_enc'])
        .where('human_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(
        cipher.decryptField(
          sealed.fix_lead_reason_enc ?? '',
          fieldAad('cases', 'fix_lead_reason_enc', sealed.id),
        ),
      ).toBe('Knows the codec best.');
      const recorded = (await audit('case.fix_lead_assigned')).length;
      const again = await ok(lead.request('PUT', url, { userId: target.id, reason: 'Still them.' }));
      expect(again.changed).toBe(false);
      expect((await audit('case.fix_lead_assigned')).length).toBe(recorded);

      const received = await file(false);
      const early = await lead.request('PUT', `/api/v1/cases/${received}/fix-lead`, {
        userId: target.id,
        reason: 'Too early.',
      });
      expect(early.statusCode).toBe(409);
    });

    it('is assigned by hand when the rotation found nobody, and only then may the fix start', async () => {
      await t.services.projects.createProject(OPERATOR, { slug: 'solo', name: 'Solo', preset: 'k8spolicy' });
      const solo = await createUser(t);
      await seedTeamMember(t.db, 'solo', solo.email);
      const c = await tokenClient(t, solo.id);
      await ok(
        c.request('PUT', '/api/v1/me/availability', {
          unavailableFrom: null,
          unavailableUntil: '2026-12-24T00:00:00Z',
        }),
      );
      const id = await file(true, 'solo', c);
      expect((await ok(c.request('GET', `/api/v1/cases/${id}`))).fixLead).toBeNull();
      expect(JSON.parse((await audit('case.fix_lead_unassignable')).at(-1)?.data_json ?? '{}')).toEqual({
        reason: 'every member is unavailable',
      });
      const blocked = await c.request('POST', `/api/v1/cases/${id}/transitions`, { to: 'fixing' });
      expect(blocked.statusCode).toBe(409);

      await ok(c.request('PUT', `/api/v1/cases/${id}/fix-lead`, { userId: solo.id, reason: 'Back early.' }));
      expect(JSON.parse((await audit('case.fix_lead_assigned')).at(-1)?.data_json ?? '{}')).toMatchObject({
        previousUserId: null,
        method: 'manual',
      });
      await ok(c.request('POST', `/api/v1/cases/${id}/transitions`, { to: 'fixing' }));
    });
  });

  describe('per-case access', () => {
    let caseId: string;
    let otherCaseId: string;
    let engineer: Client;
    let engineerMember: Member;
    let engineerEmail: string;

    beforeAll(async () => {
      caseId = await plantedCase();
      otherCaseId = await plantedCase();
    });

    it('invites a new address: an account without a password and a one-time sign-in link', async () => {
      engineerEmail = uniqueEmail('engineer');
      engineerMember = await invite(caseId, engineerEmail.toUpperCase());
      expect(engineerMember).toMatchObject({ role: 'fix-team', newAccount: true });
      expect(engineerMember.invitationUrl).toMatch(/^http:\/\/vigil\.test\/sign-in\/link#token=sil_/);
      const user = await db()
        .selectFrom('users')
        .select(['id', 'email', 'password_hash', 'is_admin'])
        .where('email', '=', engineerEmail)
        .executeTakeFirstOrThrow();
      expect(user).toEqual({
        id: engineerMember.userId,
        email: engineerEmail,
        password_hash: null,
        is_admin: 0,
      });
      const invited = (await audit('case.member_invited')).at(-1);
      expect(JSON.parse(invited?.data_json ?? '{}')).toEqual({
        userId: engineerMember.userId,
        role: 'fix-team',
        newAccount: true,
      });
      engineer = await redeem(engineerMember.invitationUrl);
    });

    it('shows the invitee nothing of the case before they accept the terms', async () => {
      for (const url of [
        `/api/v1/cases/${caseId}`,
        `/api/v1/cases/${caseId}/advisory`,
        `/api/v1/cases/${caseId}/members`,
        `/api/v1/projects/${slug}`,
      ]) {
        expect((await engineer.request('GET', url)).statusCode, url).toBe(404);
      }
      expect((await ok(engineer.request('GET', '/api/v1/cases'))).cases).toEqual([]);

      const invitations = await invitationsOf(engineer);
      expect(invitations).toEqual([
        {
          memberId: engineerMember.memberId,
          project: { slug, name: 'Emissary' },
          caseHumanId: caseId,
          role: 'fix-team',
          invitedAt: expect.any(String),
          terms: {
            text: expect.stringContaining('embargo terms'),
            hash: expect.stringMatching(/^[0-9a-f]{64}$/),
          },
        },
      ]);
      const text = JSON.stringify(invitations);
      for (const s of ['marker-', ADVISORY_TITLE]) expect(text).not.toContain(s);
    });

    it('refuses terms that are not the current text, changing nothing', async () => {
      const wrong = await engineer.request(
        'POST',
        `/api/v1/me/invitations/${engineerMember.memberId}/accept`,
        {
          termsHash: 'a'.repeat(64),
        },
      );
      expect(wrong.statusCode).toBe(409);
      expect(wrong.json().detail).toContain('terms changed');
      expect(await invitationsOf(engineer)).toHaveLength(1);
      expect((await engineer.request('GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(404);
      // Someone else's invitation does not exist for the caller.
      const stranger = await tokenClient(t, outsider.id);
      const hash = (await invitationsOf(engineer))[0]?.terms.hash;
      const res = await stranger.request('POST', `/api/v1/me/invitations/${engineerMember.memberId}/accept`, {
        termsHash: hash,
      });
      expect(res.statusCode).toBe(404);
    });

    it('after accepting, shows the member view of that case and its advisory, nothing else', async () => {
      const [invitation] = await invitationsOf(engineer);
      const accepted = await ok(
        engineer.request('POST', `/api/v1/me/invitations/${engineerMember.memberId}/accept`, {
          termsHash: invitation?.terms.hash.toUpperCase(),
        }),
      );
      expect(accepted).toMatchObject({
        memberId: engineerMember.memberId,
        caseHumanId: caseId,
        role: 'fix-team',
      });
      const event = (await audit('case.member_terms_accepted')).at(-1);
      expect(event?.actor_id).toBe(engineerMember.userId);
      expect(JSON.parse(event?.data_json ?? '{}')).toEqual({
        userId: engineerMember.userId,
        role: 'fix-team',
        termsHash: invitation?.terms.hash,
      });
      expect(await invitationsOf(engineer)).toEqual([]);

      const res = await engineer.request('GET', `/api/v1/cases/${caseId}`);
      expect(res.statusCode, res.body).toBe(200);
      const view = res.json();
      expect(view).toMatchObject({
        humanId: caseId,
        title: SUBJECT,
        state: 'accepted',
        report: { reproduction: REPORT },
        reporter: { email: null, credit: { anonymous: true } },
        messages: [],
        attachments: [],
        nextStates: [],
        advisory: { state: 'draft' },
        abilities: {
          'case.read': false,
          'case.triage': false,
          'advisory.read': true,
          'advisory.edit': true,
          'case.repository.push': true,
          'case.members.manage': false,
        },
      });
      expect(view.fixLead).toMatchObject({ userId: expect.any(String), email: expect.any(String) });
      for (const s of [REPORTER_EMAIL, 'marker-message', 'marker-note', 'Ada'])
        expect(res.body).not.toContain(s);

      const advisory = await engineer.request('GET', `/api/v1/cases/${caseId}/advisory`);
      expect(advisory.statusCode, advisory.body).toBe(200);
      expect(advisory.json().document.title).toBe(ADVISORY_TITLE);
      expect(advisory.json().abilities).toEqual({ 'advisory.read': true, 'advisory.edit': true });

      const members = (await ok(engineer.request('GET', `/api/v1/cases/${caseId}/members`))).members;
      expect(members).toEqual([
        expect.objectContaining({
          memberId: engineerMember.memberId,
          status: 'active',
          email: engineerEmail,
        }),
      ]);

      const inbox = (await ok(engineer.request('GET', '/api/v1/cases'))).cases as { humanId: string }[];
      expect(inbox.map((c) => c.humanId)).toEqual([caseId]);
      for (const [method, url] of [
        ['GET', `/api/v1/cases/${otherCaseId}`],
        ['GET', `/api/v1/cases/${otherCaseId}/advisory`],
        ['GET', `/api/v1/projects/${slug}`],
        ['GET', `/api/v1/projects/${slug}/cases`],
        ['GET', `/api/v1/cases?project=${slug}`],
        ['GET', `/api/v1/cases/${caseId}/public-issue`],
        ['POST', `/api/v1/cases/${caseId}/messages`],
        ['POST', `/api/v1/cases/${caseId}/transitions`],
        ['POST', `/api/v1/cases/${caseId}/members`],
        ['PUT', `/api/v1/cases/${caseId}/fix-lead`],
      ] as const) {
        const body =
          method === 'GET'
            ? undefined
            : {
                body: 'x',
                to: 'fixing',
                email: 'a@b.example',
                role: 'fix-team',
                userId: engineerMember.userId,
                reason: 'x',
              };
        expect((await engineer.request(method, url, body)).statusCode, `${method} ${url}`).toBe(404);
      }
    });

    it('mails no one-time sign-in link to a passwordless account that is a distributors-list person', async () => {
      // The link would be handed on with the account; the account also opens the person's list.
      const person = await createUser(t);
      await db().updateTable('users').set({ password_hash: null }).where('id', '=', person.id).execute();
      const { project_id: projectId } = await db()
        .selectFrom('cases')
        .select('project_id')
        .where('human_id', '=', caseId)
        .executeTakeFirstOrThrow();
      const now = new Date().toISOString();
      const orgId = await insertDistributorOrg(db(), {
        projectId,
        name: `Distro ${randomBytes(3).toString('hex')}`,
        contactAlias: uniqueEmail('distro'),
        now,
      });
      await insertDistributorPerson(db(), {
        orgId,
        projectId,
        userId: person.id,
        name: 'P',
        now,
        embargoHash: null,
      });
      const invited = await invite(caseId, person.email, 'collaborator');
      expect(invited).toMatchObject({ newAccount: false, invitationUrl: `${PUBLIC_URL}/invitations` });
    });

    it('re-invites a pending member in place, and refuses the pointless', async () => {
      const colleague = await createUser(t);
      const first = await invite(caseId, colleague.email, 'collaborator');
      // An existing account signs in as usual: the link is the invitations page, never a sign-in link.
      expect(first).toMatchObject({ newAccount: false, invitationUrl: `${PUBLIC_URL}/invitations` });
      const again = await invite(caseId, colleague.email, 'fix-team');
      expect(again.memberId).toBe(first.memberId);
      const listed = (
        (await ok(lead.request('GET', `/api/v1/cases/${caseId}/members`))).members as Record<
          string,
          unknown
        >[]
      ).find((m) => m.memberId === first.memberId);
      expect(listed).toMatchObject({ role: 'fix-team', status: 'pending', termsAcceptedAt: null });

      const refused = async (email: string, id = caseId, status = 409, by = lead) =>
        expect(
          (await by.request('POST', `/api/v1/cases/${id}/members`, { email, role: 'fix-team' })).statusCode,
        ).toBe(status);
      await refused(member(1).email); // the security team sees every case already
      await refused(engineerEmail); // already on the case
      await refused(uniqueEmail('early'), await file(false)); // not accepted yet
      await refused(uniqueEmail('stranger'), caseId, 404, otherTeam);
      expect(
        (
          await lead.request('POST', `/api/v1/cases/${caseId}/members`, {
            email: 'x@example.org',
            role: 'security-team',
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (
          await lead.request('POST', `/api/v1/cases/${caseId}/members`, {
            email: 'not an address',
            role: 'fix-team',
          })
        ).statusCode,
      ).toBe(400);
    });

    it('lets the reporter, invited as such, see the case and the draft but not push nor edit', async () => {
      const reporter = await invite(caseId, REPORTER_EMAIL, 'reporter');
      expect(reporter.newAccount).toBe(true);
      const client = await redeem(reporter.invitationUrl);
      await accept(client, reporter.memberId);
      const view = await ok(client.request('GET', `/api/v1/cases/${caseId}`));
      expect(view.abilities).toMatchObject({
        'case.repository.read': true,
        'case.repository.push': false,
        'advisory.read': true,
        'advisory.edit': false,
      });
      expect((await client.request('GET', `/api/v1/cases/${caseId}/advisory`)).statusCode).toBe(200);
      const draft = await ok(client.request('GET', `/api/v1/cases/${caseId}/advisory`));
      const edit = await client.request('PUT', `/api/v1/cases/${caseId}/advisory`, {
        document: draft.document,
        baseRevision: draft.revision,
      });
      expect(edit.statusCode).toBe(404);

      // The members see "The reporter" on the list, never who it is; the team sees them.
      const asEngineer = await engineer.request('GET', `/api/v1/cases/${caseId}/members`);
      expect(asEngineer.statusCode, asEngineer.body).toBe(200);
      expect(
        (asEngineer.json() as { members: { memberId: string }[] }).members.find(
          (m) => m.memberId === reporter.memberId,
        ),
      ).toMatchObject({ role: 'reporter', name: 'The reporter', email: null });
      for (const s of [REPORTER_EMAIL, REPORTER_EMAIL.split('@')[0] as string])
        expect(asEngineer.body).not.toContain(s);
      const asReporter = await client.request('GET', `/api/v1/cases/${caseId}/members`);
      expect(asReporter.body).not.toContain(REPORTER_EMAIL);
      const asTeam = (await ok(lead.request('GET', `/api/v1/cases/${caseId}/members`))).members as {
        memberId: string;
      }[];
      expect(asTeam.find((m) => m.memberId === reporter.memberId)).toMatchObject({
        name: REPORTER_EMAIL.split('@')[0],
        email: REPORTER_EMAIL,
      });
    });

    it('ends access on removal, with the reason kept encrypted, and asks for the terms again on a new invitation', async () => {
      const colleagueEmail = uniqueEmail('colleague');
      const invited = await invite(caseId, colleagueEmail, 'collaborator');
      const colleague = await redeem(invited.invitationUrl);
      await accept(colleague, invited.memberId);
      expect((await colleague.request('GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(200);

      const url = `/api/v1/cases/${caseId}/members/${invited.memberId}`;
      expect((await lead.request('DELETE', url, {})).statusCode).toBe(400);
      expect((await engineer.request('DELETE', url, { reason: 'x' })).statusCode).toBe(404);
      expect(
        (
          await lead.request('DELETE', `/api/v1/cases/${otherCaseId}/members/${invited.memberId}`, {
            reason: 'x',
          })
        ).statusCode,
      ).toBe(404);
      await ok(lead.request('DELETE', url, { reason: 'Not needed any more.' }), 204);
      expect((await colleague.request('GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(404);
      expect((await ok(colleague.request('GET', '/api/v1/cases'))).cases).toEqual([]);
      expect((await lead.request('DELETE', url, { reason: 'Again.' })).statusCode).toBe(409);
      const removed = (await audit('case.member_removed')).at(-1);
      expect(JSON.parse(removed?.data_json ?? '{}')).toEqual({
        userId: invited.userId,
        role: 'collaborator',
      });
      // The words given stay with the member, encrypted.
      const note = await get()
        .db.kysely.selectFrom('case_members')
        .select(['id', 'ended_note_enc'])
        .where('user_id', '=', invited.userId)
        .executeTakeFirstOrThrow();
      expect(
        cipher.decryptField(note.ended_note_enc ?? '', fieldAad('case_members', 'ended_note_enc', note.id)),
      ).toBe('Not needed any more.');
      const listed = (
        (await ok(lead.request('GET', `/api/v1/cases/${caseId}/members`))).members as Record<
          string,
          unknown
        >[]
      ).find((m) => m.memberId === invited.memberId);
      expect(listed).toMatchObject({ status: 'ended', endedReason: 'removed', endedAt: expect.any(String) });

      const back = await invite(caseId, colleagueEmail, 'collaborator');
      expect(back).toMatchObject({ memberId: invited.memberId, newAccount: false });
      // The account has a password now and nothing else: the invitations page, behind its own sign-in.
      expect(back.invitationUrl).toBe(`${PUBLIC_URL}/invitations`);
      expect((await colleague.request('GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(404);
      await accept(colleague, invited.memberId);
      expect((await colleague.request('GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(200);
    });

    it('ends everyone’s access when the case is published, and refuses a later acceptance', async () => {
      const pendingEmail = uniqueEmail('late');
      const pending = await invite(caseId, pendingEmail, 'fix-team');
      const late = await redeem(pending.invitationUrl);
      const [invitation] = await invitationsOf(late);
      const open = (
        (await ok(lead.request('GET', `/api/v1/cases/${caseId}/members`))).members as {
          memberId: string;
          userId: string;
          status: string;
        }[]
      ).filter((m) => m.status !== 'ended');
      expect(open.length).toBeGreaterThanOrEqual(3);

      const endedBefore = (await audit('case.member_access_ended')).length;
      await publish(caseId);
      const ended = (await audit('case.member_access_ended')).slice(endedBefore);
      expect(
        ended.map((e) => JSON.parse(e.data_json)).sort((a, b) => (a.userId < b.userId ? -1 : 1)),
      ).toEqual(
        open
          .map((m) => ({ userId: m.userId, role: expect.any(String), because: 'published' }))
          .sort((a, b) => (a.userId < b.userId ? -1 : 1)),
      );
      const caseUuid = (await ok(lead.request('GET', `/api/v1/cases/${caseId}`))).id;
      expect(ended.every((e) => e.subject_id === caseUuid)).toBe(true);

      expect((await engineer.request('GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(404);
      expect((await engineer.request('GET', `/api/v1/cases/${caseId}/advisory`)).statusCode).toBe(404);
      expect((await ok(engineer.request('GET', '/api/v1/cases'))).cases).toEqual([]);
      const members = (await ok(lead.request('GET', `/api/v1/cases/${caseId}/members`))).members as {
        status: string;
        endedReason: string | null;
      }[];
      expect(members.every((m) => m.status === 'ended')).toBe(true);
      expect(members.filter((m) => m.endedReason === 'published')).toHaveLength(open.length);

      // The late invitee accepts the terms they read before: refused, nothing changed.
      expect(await invitationsOf(late)).toEqual([]);
      const auditBefore = await db()
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const res = await late.request('POST', `/api/v1/me/invitations/${pending.memberId}/accept`, {
        termsHash: invitation?.terms.hash,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().detail).toMatch(/^Refused: case .* was published/);
      const row = await db()
        .selectFrom('case_members')
        .select(['terms_hash', 'terms_accepted_at', 'ended_reason'])
        .where('id', '=', pending.memberId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ terms_hash: null, terms_accepted_at: null, ended_reason: 'published' });
      const auditAfter = await db()
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(auditAfter.n)).toBe(Number(auditBefore.n));
      expect((await late.request('GET', `/api/v1/cases/${caseId}`)).statusCode).toBe(404);
      // And no new invitation to a published case.
      expect(
        (
          await lead.request('POST', `/api/v1/cases/${caseId}/members`, {
            email: pendingEmail,
            role: 'fix-team',
          })
        ).statusCode,
      ).toBe(409);
      expect(await verifyAuditChain(get().db)).toMatchObject({ ok: true });
    });
  });

  it('mails the invitee the project and the link, nothing of the case', async () => {
    const sink = await startSmtpSink();
    const mailer = createMailer({
      smtpUrl: sink.url,
      from: 'Vigil <vigil@vigil.test>',
      replyDomain: 'vigil.test',
      publicUrl: PUBLIC_URL,
      clock: t.clock,
    });
    try {
      const runner = createJobRunner({
        db: get().db,
        clock: t.clock,
        handlers: memberInvitationHandlers({ db: get().db, cipher, mailer }),
      });
      await runner.runDueJobsOnce(); // the invitations of the tests above
      sink.clear();
      const id = await plantedCase();
      const email = uniqueEmail('mailed');
      const invited = await invite(id, email);
      expect(await runner.runDueJobsOnce()).toMatchObject({ failed: 0 });
      const mail = await sink.waitFor((m) => m.envelope.to.includes(email));
      expect(mail.subject).toBe('[Vigil] [Emissary] You are invited to help with a security issue');
      expect(mail.text).toContain(invited.invitationUrl);
      const raw = mail.raw.toString('utf8');
      for (const s of [id, 'marker-', ADVISORY_TITLE, REPORTER_EMAIL]) {
        expect(mail.subject).not.toContain(s);
        expect(raw).not.toContain(s);
      }
      // The job row holds the link encrypted, never the token itself.
      const token = new URL(invited.invitationUrl).hash.replace('#token=', '');
      const jobs = await db()
        .selectFrom('jobs')
        .select('payload_json')
        .where('kind', '=', 'case.member-invitation')
        .execute();
      expect(JSON.stringify(jobs)).not.toContain(token);
    } finally {
      mailer.close();
      await sink.close();
    }
  });

  describe('invitations and publication', () => {
    const membersOf = (caseUuid: string) =>
      db()
        .selectFrom('case_members')
        .select(['id', 'ended_at', 'ended_reason'])
        .where('case_id', '=', caseUuid)
        .execute();

    it('refuses an invitation that commits after the publication it raced, leaving no pending row', async () => {
      const id = await file();
      const c = await findCaseByRef(db(), id);
      if (!c) throw new Error(`no case ${id}`);
      let invited: Promise<{ statusCode: number; body: string }> | undefined;
      await db()
        .transaction()
        .execute(async (trx) => {
          // Publication as the engine does it: the state first, then everyone's access ends.
          const now = t.clock.now().toISOString();
          await updateCase(trx, c.id, { state: 'published', released_at: now, updated_at: now });
          await endCaseAccess(trx, t.clock, c, { type: 'system', id: 'test' });
          // The invitation starts while publication has not committed yet.
          invited = lead.request('POST', `/api/v1/cases/${id}/members`, {
            email: uniqueEmail('racer'),
            role: 'fix-team',
          });
          await new Promise((r) => setTimeout(r, 300));
        });
      const res = await (invited as NonNullable<typeof invited>);
      expect(res.statusCode, res.body).toBe(409);
      expect(await membersOf(c.id)).toEqual([]);
    });

    it('never opens again an access that publication ended', async () => {
      const id = await file();
      const c = await findCaseByRef(db(), id);
      if (!c) throw new Error(`no case ${id}`);
      const email = uniqueEmail('ended');
      const m = await invite(id, email);
      await db()
        .updateTable('case_members')
        .set({ ended_at: t.clock.now().toISOString(), ended_reason: 'published' })
        .where('id', '=', m.memberId)
        .execute();
      const res = await lead.request('POST', `/api/v1/cases/${id}/members`, { email, role: 'fix-team' });
      expect(res.statusCode, res.body).toBe(409);
      expect(await membersOf(c.id)).toEqual([
        { id: m.memberId, ended_at: expect.any(String), ended_reason: 'published' },
      ]);
    });

    it('mails nothing for an invitation whose case was published before the mail went', async () => {
      const sink = await startSmtpSink();
      const mailer = createMailer({
        smtpUrl: sink.url,
        from: 'Vigil <vigil@vigil.test>',
        replyDomain: 'vigil.test',
        publicUrl: PUBLIC_URL,
        clock: t.clock,
      });
      try {
        const runner = createJobRunner({
          db: get().db,
          clock: t.clock,
          handlers: memberInvitationHandlers({ db: get().db, cipher, mailer }),
        });
        await runner.runDueJobsOnce();
        sink.clear();
        const id = await file();
        const email = uniqueEmail('unsent');
        await invite(id, email);
        const c = await findCaseByRef(db(), id);
        if (!c) throw new Error(`no case ${id}`);
        // The case is published with the invitation still pending (as a lost race would leave it).
        await db().updateTable('cases').set({ state: 'published' }).where('id', '=', c.id).execute();
        expect(await runner.runDueJobsOnce()).toMatchObject({ failed: 0 });
        await new Promise((r) => setTimeout(r, 200));
        expect(sink.messages.filter((m) => m.envelope.to.includes(email))).toEqual([]);
      } finally {
        mailer.close();
        await sink.close();
      }
    });
  });
});
