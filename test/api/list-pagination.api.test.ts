/**
 * Keyset pagination of the lists other than the inbox (issue 12), on both databases: for each list,
 * more rows than a page (limit=2 over at least 5), paged through to the end, every row exactly
 * once and in the list's order; a cursor that was altered, one from another list or another
 * filter (another case, webhook or project), and a page over 500 are each a 400 naming the field.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { newSortableId } from '../../src/lib/ids.js';
import { insertAccessLog } from '../../src/modules/embargo/portal/portal.repo.js';
import { insertDelivery } from '../../src/modules/webhooks/webhooks.repo.js';
import {
  acceptedCase,
  buildTestApp,
  createUser,
  projectWithTeam,
  seedTeamMember,
  tokenClient,
  type Client,
  type TestApp,
} from '../support/app.js';
import { describeEachDb } from '../support/db.js';
import { addDistributor } from '../support/distributors.js';

type Json = Record<string, unknown>;

/** Every page of `url` at `limit` rows (the rows under `field`), with the number of pages. */
async function pageThrough(client: Client, url: string, field: string, limit = 2) {
  const rows: Json[] = [];
  let cursor: string | null = null;
  let pages = 0;
  const sep = url.includes('?') ? '&' : '?';
  do {
    const res = await client.request(
      'GET',
      `${url}${sep}limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Json;
    const page = body[field] as Json[];
    expect(page.length).toBeLessThanOrEqual(limit);
    rows.push(...page);
    cursor = body.nextCursor as string | null;
    pages++;
    // A page is full unless it is the last one.
    if (cursor !== null) expect(page).toHaveLength(limit);
    expect(pages).toBeLessThan(100);
  } while (cursor !== null);
  return { rows, pages };
}

/** The first page's cursor of `url` at limit=1. */
async function firstCursor(client: Client, url: string): Promise<string> {
  const sep = url.includes('?') ? '&' : '?';
  const res = await client.request('GET', `${url}${sep}limit=1`);
  expect(res.statusCode, res.body).toBe(200);
  const cursor = (res.json() as Json).nextCursor;
  expect(typeof cursor).toBe('string');
  return cursor as string;
}

/** `GET url` answers 400 naming `field`. */
async function refused(client: Client, url: string, field: string) {
  const res = await client.request('GET', url);
  expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
  expect((res.json() as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(field);
}

/** The same cursor with one character of its signed body changed. */
function tampered(cursor: string): string {
  const i = 5;
  const c = cursor[i] === 'A' ? 'B' : 'A';
  return cursor.slice(0, i) + c + cursor.slice(i + 1);
}

/** The bad-input checks every paginated list passes; `other` is a cursor of another list or filter. */
async function refusesBadPages(client: Client, url: string, other: string) {
  const sep = url.includes('?') ? '&' : '?';
  const good = await firstCursor(client, url);
  await refused(client, `${url}${sep}cursor=${encodeURIComponent(tampered(good))}`, 'querystring.cursor');
  await refused(client, `${url}${sep}cursor=${encodeURIComponent(other)}`, 'querystring.cursor');
  await refused(client, `${url}${sep}cursor=not-a-cursor`, 'querystring.cursor');
  await refused(client, `${url}${sep}limit=501`, 'querystring.limit');
  await refused(client, `${url}${sep}limit=0`, 'querystring.limit');
  // 500 is the largest page, and is served.
  expect((await client.request('GET', `${url}${sep}limit=500`)).statusCode).toBe(200);
}

const byId = (rows: Json[]) => rows.map((r) => r.id);

describeEachDb('list pagination', (get) => {
  let t: TestApp;
  let team: Client;
  let memberId: string;
  const slug = 'pages';
  const other = 'pages-other';
  /** Accepted cases of `slug`: the first is the one whose lists are paged. */
  const cases: string[] = [];
  let otherCase: string;

  beforeAll(async () => {
    t = await buildTestApp(get().db, undefined, { allowLocalWebhooks: true });
    const seeded = await projectWithTeam(t, slug);
    team = seeded.team;
    memberId = seeded.member.id;
    await projectWithTeam(t, other);
    // The other project's team is this member too, for the cross-list cursors.
    await seedTeamMember(t.db, other, seeded.member.email);
    for (let i = 0; i < 5; i++) cases.push(await acceptedCase(t, slug, team, `Paged case ${i}`));
    otherCase = await acceptedCase(t, other, team, 'The other case');
  });

  it("pages a case's conversation oldest first, each message once", async () => {
    const humanId = cases[0] as string;
    for (let i = 0; i < 5; i++) {
      const res = await team.request('POST', `/api/v1/cases/${humanId}/messages`, {
        body: `Note ${i}`,
        internal: i % 2 === 0,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const whole = (await team.request('GET', `/api/v1/cases/${humanId}`)).json().messages as Json[];
    expect(whole.length).toBeGreaterThanOrEqual(6);
    const url = `/api/v1/cases/${humanId}/messages`;
    const { rows, pages } = await pageThrough(team, url, 'messages');
    expect(rows).toEqual(whole);
    expect(pages).toBe(Math.ceil(whole.length / 2));
    // A cursor of another case's conversation, and one of another list (the access log).
    await team.request('POST', `/api/v1/cases/${otherCase}/messages`, { body: 'a', internal: true });
    await team.request('POST', `/api/v1/cases/${otherCase}/messages`, { body: 'b', internal: true });
    await refusesBadPages(team, url, await firstCursor(team, `/api/v1/cases/${otherCase}/messages`));
    const accessLogCursor = await (async () => {
      for (let i = 0; i < 2; i++) {
        await team.request('GET', `/api/v1/cases/${humanId}`);
        t.clock.advance(11 * 60_000);
      }
      return firstCursor(team, `/api/v1/cases/${humanId}/access-log`);
    })();
    await refused(team, `${url}?cursor=${encodeURIComponent(accessLogCursor)}`, 'querystring.cursor');
    // Someone who is not on the team: 404, as for the case.
    const stranger = await tokenClient(t, (await createUser(t)).id);
    expect((await stranger.request('GET', url)).statusCode).toBe(404);
  });

  it("pages a case's access log newest first, each read once", async () => {
    const humanId = cases[1] as string;
    for (let i = 0; i < 5; i++) {
      expect((await team.request('GET', `/api/v1/cases/${humanId}`)).statusCode).toBe(200);
      t.clock.advance(11 * 60_000);
    }
    const url = `/api/v1/cases/${humanId}/access-log`;
    const { rows } = await pageThrough(team, url, 'entries');
    expect(rows.length).toBeGreaterThanOrEqual(5);
    const ids = byId(rows) as string[];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort().reverse());
    const whole = (await team.request('GET', `${url}?limit=500`)).json().entries as Json[];
    expect(rows).toEqual(whole);
    await refusesBadPages(team, url, await firstCursor(team, `/api/v1/cases/${cases[0]}/access-log`));
  });

  it("pages an advisory's revisions oldest first", async () => {
    const humanId = cases[2] as string;
    const created = await team.request('POST', `/api/v1/cases/${humanId}/advisory`);
    expect(created.statusCode, created.body).toBe(201);
    let advisory = created.json() as { document: Json; revision: number };
    for (let i = 0; i < 4; i++) {
      const saved = await team.request('PUT', `/api/v1/cases/${humanId}/advisory`, {
        document: {
          ...advisory.document,
          summary: `Revision ${i + 2}`,
          affected: [
            {
              ecosystem: 'Go',
              package: 'github.com/projectcontour/contour',
              ranges: [{ type: 'SEMVER', events: [{ introduced: '1.26.0' }, { fixed: '1.26.3' }] }],
            },
          ],
        },
        baseRevision: advisory.revision,
      });
      expect(saved.statusCode, saved.body).toBe(200);
      advisory = saved.json();
    }
    const url = `/api/v1/cases/${humanId}/advisory/revisions`;
    const { rows } = await pageThrough(team, url, 'revisions');
    expect(rows.map((r) => r.revision)).toEqual([1, 2, 3, 4, 5]);
    // Another advisory's cursor.
    const second = cases[3] as string;
    const draft = (await team.request('POST', `/api/v1/cases/${second}/advisory`)).json() as {
      document: Json;
      revision: number;
    };
    await team.request('PUT', `/api/v1/cases/${second}/advisory`, {
      document: { ...draft.document, summary: 'again' },
      baseRevision: draft.revision,
    });
    await refusesBadPages(team, url, await firstCursor(team, `/api/v1/cases/${second}/advisory/revisions`));
    // The CSAF export still lists every revision.
    const csaf = await team.request('GET', `/api/v1/cases/${humanId}/advisory/export?format=csaf`);
    expect(csaf.statusCode, csaf.body).toBe(200);
    const tracking = (csaf.json() as { document: { tracking: { revision_history: unknown[] } } }).document
      .tracking;
    expect(tracking.revision_history).toHaveLength(5);
  });

  it("pages the portal's access log of a case newest first, ties by id", async () => {
    const humanId = cases[0] as string;
    const c = await t.db.kysely
      .selectFrom('cases')
      .select(['id', 'project_id'])
      .where('human_id', '=', humanId)
      .executeTakeFirstOrThrow();
    const other_ = await t.db.kysely
      .selectFrom('cases')
      .select(['id', 'project_id'])
      .where('human_id', '=', otherCase)
      .executeTakeFirstOrThrow();
    // Two entries share an instant: the id breaks the tie.
    const at = (i: number) => new Date(Date.UTC(2026, 10, 1, 12, i < 2 ? 0 : i)).toISOString();
    for (const [target, n] of [
      [c, 5],
      [other_, 2],
    ] as const) {
      for (let i = 0; i < n; i++) {
        await insertAccessLog(t.db.kysely, {
          id: newSortableId(),
          case_id: target.id,
          project_id: target.project_id,
          user_id: memberId,
          org_id: null,
          what: 'case',
          detail: `entry ${i}`,
          at: at(i),
        });
      }
    }
    const url = `/api/v1/cases/${humanId}/portal-log`;
    const { rows } = await pageThrough(team, url, 'entries');
    // Newest first; the two at the same instant by id, descending (ids grow in insertion order).
    expect(rows.map((r) => r.detail)).toEqual(['entry 4', 'entry 3', 'entry 2', 'entry 1', 'entry 0']);
    const first = (await team.request('GET', `${url}?limit=2`)).json() as Json;
    expect(first).toHaveProperty('acknowledgements');
    expect(first).toHaveProperty('feedback');
    await refusesBadPages(team, url, await firstCursor(team, `/api/v1/cases/${otherCase}/portal-log`));
  });

  it("pages a webhook's deliveries newest first", async () => {
    const hook = async (label: string) => {
      const res = await team.request('POST', `/api/v1/projects/${slug}/webhooks`, {
        url: 'http://127.0.0.1:9/hook',
        label,
        kind: 'json',
      });
      expect(res.statusCode, res.body).toBe(201);
      return (
        (res.json() as { webhook?: { id: string }; id?: string }).webhook?.id ??
        (res.json() as { id: string }).id
      );
    };
    const [first, second] = [await hook('first'), await hook('second')];
    const projectId = (
      await t.db.kysely.selectFrom('projects').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
    ).id;
    const caseIds = await t.db.kysely
      .selectFrom('cases')
      .select('id')
      .where('project_id', '=', projectId)
      .execute();
    await t.db.kysely.transaction().execute(async (trx) => {
      for (const [webhookId, n] of [
        [first, caseIds.length],
        [second, 2],
      ] as const) {
        for (let i = 0; i < n; i++) {
          const created = new Date(Date.UTC(2026, 10, 2, 9, i < 2 ? 0 : i)).toISOString();
          await insertDelivery(trx, {
            id: randomUUID(),
            webhook_id: webhookId,
            project_id: projectId,
            case_id: (caseIds[i] as { id: string }).id,
            event: 'advisory.published',
            occurrence: '',
            detail: null,
            state: 'queued',
            attempts: 0,
            status_code: null,
            last_error: null,
            delivered_at: null,
            created_at: created,
            updated_at: created,
          });
        }
      }
    });
    expect(caseIds.length).toBeGreaterThanOrEqual(5);
    const url = `/api/v1/projects/${slug}/webhooks/${first}/deliveries`;
    const { rows } = await pageThrough(team, url, 'deliveries');
    expect(rows).toHaveLength(caseIds.length);
    const whole = (await team.request('GET', `${url}?limit=500`)).json().deliveries as Json[];
    expect(rows).toEqual(whole);
    const keys = rows.map((r) => `${r.createdAt as string} ${r.id as string}`);
    expect(keys).toEqual([...keys].sort().reverse());
    await refusesBadPages(
      team,
      url,
      await firstCursor(team, `/api/v1/projects/${slug}/webhooks/${second}/deliveries`),
    );
  });

  it("pages a project's audit events newest first, each once", async () => {
    const url = `/api/v1/projects/${slug}/audit-events`;
    const { rows } = await pageThrough(team, url, 'events', 3);
    // Five reports filed and accepted, the notes and drafts of the tests above: well over a page.
    expect(rows.length).toBeGreaterThan(10);
    const seqs = rows.map((r) => r.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seqs).size).toBe(seqs.length);
    const stored = await t.db.kysely
      .selectFrom('audit_events')
      .innerJoin('projects', 'projects.id', 'audit_events.project_id')
      .select('audit_events.seq')
      .where('projects.slug', '=', slug)
      .orderBy('audit_events.seq', 'desc')
      .execute();
    expect(seqs).toEqual(stored.map((r) => r.seq));
    expect(rows.some((r) => r.action === 'case.received' || r.action === 'case.transitioned')).toBe(true);
    await refusesBadPages(team, url, await firstCursor(team, `/api/v1/projects/${other}/audit-events`));
    // Not on the team and not an admin: 404, as for the project; an admin reads it.
    const stranger = await tokenClient(t, (await createUser(t)).id);
    expect((await stranger.request('GET', url)).statusCode).toBe(404);
    const admin = await tokenClient(t, (await createUser(t, { isAdmin: true })).id);
    expect((await admin.request('GET', url)).statusCode).toBe(200);
  });

  it("pages a project's distributor applications newest first", async () => {
    let address = 0;
    const publicCall = (method: string, url: string, payload?: unknown) =>
      t.app.inject({
        method: method as 'GET',
        url,
        remoteAddress: `10.77.0.${++address}`,
        ...(payload !== undefined && { payload: payload as object }),
      });
    const applyTo = async (project: string, n: number) => {
      const voucher = await addDistributor(t, t.db, project, `Vouching Linux ${project}`);
      const info = (await publicCall('GET', `/api/v1/projects/${project}/distributors/apply`)).json() as {
        criteria: unknown[];
        embargo: { hash: string };
      };
      for (let i = 0; i < n; i++) {
        const res = await publicCall('POST', `/api/v1/projects/${project}/distributors/applications`, {
          orgName: `Applicant ${project} ${i}`,
          contactAlias: `security-${i}@applicant-${project}.example`,
          applicantName: `Applicant ${i}`,
          applicantEmail: `applicant-${i}@applicant-${project}.example`,
          answers: info.criteria.map((_c, j) => `We meet criterion ${j + 1}.`),
          embargoHash: info.embargo.hash,
          vouchEmail: voucher.user.email,
        });
        expect(res.statusCode, res.body).toBe(201);
        // Two applications in the same millisecond now and then: the id breaks the tie.
        if (i % 2 === 1) t.clock.advance(1000);
      }
    };
    await applyTo(slug, 5);
    await applyTo(other, 2);
    const url = `/api/v1/projects/${slug}/distributors/applications`;
    const { rows } = await pageThrough(team, url, 'applications');
    expect(rows.map((r) => r.orgName).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `Applicant ${slug} ${i}`));
    const whole = (await team.request('GET', `${url}?limit=500`)).json().applications as Json[];
    expect(rows).toEqual(whole);
    expect(rows).toHaveLength(5);
    const keys = rows.map((r) => `${r.createdAt as string} ${r.id as string}`);
    expect(keys).toEqual([...keys].sort().reverse());
    await refusesBadPages(
      team,
      url,
      await firstCursor(team, `/api/v1/projects/${other}/distributors/applications`),
    );
  });

  it("pages a project's leak reports newest first (incidents whole on each page)", async () => {
    const report = async (project: string, i: number) => {
      const res = await team.request('POST', `/api/v1/projects/${project}/distributors/leaks`, {
        what: `Leak ${i}`,
        toWhom: 'a mailing list',
        when: 'yesterday',
      });
      expect(res.statusCode, res.body).toBe(201);
      if (i % 2 === 1) t.clock.advance(1000);
    };
    for (let i = 0; i < 5; i++) await report(slug, i);
    for (let i = 0; i < 2; i++) await report(other, i);
    const url = `/api/v1/projects/${slug}/distributors/leaks`;
    const { rows } = await pageThrough(team, url, 'reports');
    expect(rows.map((r) => r.what).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `Leak ${i}`));
    const keys = rows.map((r) => `${r.createdAt as string} ${r.id as string}`);
    expect(keys).toEqual([...keys].sort().reverse());
    const first = (await team.request('GET', `${url}?limit=2`)).json() as Json;
    expect(first).toHaveProperty('incidents');
    await refusesBadPages(team, url, await firstCursor(team, `/api/v1/projects/${other}/distributors/leaks`));
  });

  it("pages a project's policy versions newest first", async () => {
    for (let i = 0; i < 5; i++) {
      const current = (await team.request('GET', `/api/v1/projects/${other}`)).json() as {
        policy: { yaml: string };
        policyVersion: number;
      };
      const yaml =
        i % 2 === 0
          ? current.policy.yaml.replace('businessDays: 3', 'businessDays: 4')
          : current.policy.yaml.replace('businessDays: 4', 'businessDays: 3');
      const saved = await team.request('PUT', `/api/v1/projects/${other}/policy`, {
        yaml,
        baseVersion: current.policyVersion,
      });
      expect(saved.statusCode, saved.body).toBe(200);
    }
    const url = `/api/v1/projects/${other}/policy/versions`;
    const { rows } = await pageThrough(team, url, 'versions');
    expect(rows.map((r) => r.version)).toEqual([6, 5, 4, 3, 2, 1]);
    await refusesBadPages(team, url, await firstCursor(team, `/api/v1/projects/${other}/audit-events`));
  });

  it("pages the instance's users by email (admins only)", async () => {
    for (let i = 0; i < 5; i++) await createUser(t);
    const admin = await tokenClient(t, (await createUser(t, { isAdmin: true })).id);
    const url = '/api/v1/users';
    const { rows } = await pageThrough(admin, url, 'users');
    const emails = rows.map((r) => r.email as string);
    const stored = await t.db.kysely.selectFrom('users').select('email').orderBy('email').execute();
    expect(emails).toEqual(stored.map((r) => r.email));
    expect(emails.length).toBeGreaterThan(5);
    // The cursor names the user, not the address.
    const cursor = await firstCursor(admin, url);
    expect(Buffer.from(cursor.split('.')[0] ?? '', 'base64url').toString()).not.toContain('@');
    await refusesBadPages(admin, url, await firstCursor(team, `/api/v1/projects/${slug}/audit-events`));
    expect((await team.request('GET', url)).statusCode).toBe(404);
  });

  it('pages the public JSON indexes of advisories newest first', async () => {
    const records = Array.from({ length: 5 }, (_, i) => ({
      id: `PAGE-2024-${i}`,
      modified: `2024-0${i + 1}-01T00:00:00Z`,
      published: `2024-0${i + 1}-01T00:00:00Z`,
      summary: `Imported ${i}`,
    }));
    const imported = await team.request('POST', `/api/v1/projects/${slug}/advisories/import`, { records });
    expect(imported.statusCode, imported.body).toBe(200);
    expect((imported.json() as { imported: unknown[] }).imported).toHaveLength(5);
    const more = await team.request('POST', `/api/v1/projects/${other}/advisories/import`, {
      records: records.slice(0, 2).map((r) => ({ ...r, id: `OTHER-${r.id}` })),
    });
    expect(more.statusCode, more.body).toBe(200);
    const anonymous: Client = {
      cookie: '',
      csrf: '',
      request: (method, url) => t.app.inject({ method: method as 'GET', url }),
    };
    for (const url of [`/p/${slug}/advisories.json`, '/advisories.json']) {
      const { rows } = await pageThrough(anonymous, url, 'advisories');
      const whole = (await anonymous.request('GET', `${url}?limit=500`)).json() as Json;
      expect(whole.total).toBe(rows.length);
      expect(whole.truncated).toBe(false);
      expect(rows).toEqual(whole.advisories);
      expect(rows.length).toBe(url === '/advisories.json' ? 7 : 5);
      const page = (await anonymous.request('GET', `${url}?limit=2`)).json() as Json;
      expect(page.truncated).toBe(true);
    }
    // Newest first: the import's modified instants, latest first.
    const mine = (await pageThrough(anonymous, `/p/${slug}/advisories.json`, 'advisories')).rows;
    expect(mine.map((a) => a.aliases)).toEqual(
      [4, 3, 2, 1, 0].map((i) => expect.arrayContaining([`PAGE-2024-${i}`])),
    );
    await refusesBadPages(
      anonymous,
      `/p/${slug}/advisories.json`,
      await firstCursor(anonymous, `/p/${other}/advisories.json`),
    );
    await refused(
      anonymous,
      `/advisories.json?cursor=${encodeURIComponent(await firstCursor(anonymous, `/p/${slug}/advisories.json`))}`,
      'querystring.cursor',
    );
  });
});

describe('list pagination helpers', () => {
  it('tampering changes a cursor', () => {
    expect(tampered('abcdefgh.ijk')).not.toBe('abcdefgh.ijk');
  });
});
