/**
 * The inbox at scale (issue 12): keyset pages in urgency and received order that neither repeat nor
 * skip a case while new ones arrive, every filter, the encrypted-title search (keyed word hashes:
 * no word of a title in the database), and the refusals of a bad cursor or page size.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reportInput } from '../../src/modules/cases/cases.schemas.js';
import { describeEachDb } from '../support/db.js';
import { dumpDatabase } from '../support/db-dump.js';
import {
  buildTestApp,
  createUser,
  OPERATOR,
  seedTeamMember,
  tokenClient,
  type Client,
  type TestApp,
} from '../support/app.js';

interface Summary {
  id: string;
  humanId: string;
  title: string;
  state: string;
  channel: string;
  severity: string | null;
  publiclyKnown: boolean;
  receivedAt: string;
  flags: string[];
  clock: { status: string; dueAt: string | null };
  fixLead: { userId: string } | null;
  held: unknown;
  project: { slug: string };
}
interface Page {
  cases: Summary[];
  nextCursor: string | null;
  total: number;
  totalIsEstimate: boolean;
  heldCount: number;
}

/** The urgency order the API promises, over what it answers (ties by id). */
function urgencyCompare(a: Summary, b: Summary): number {
  const bucket = (s: Summary) =>
    ({ overdue: 0, asap: 0, running: 0, paused: 1, none: 2, met: 3, missed: 3 })[s.clock.status] ?? 9;
  const [ba, bb] = [bucket(a), bucket(b)];
  if (ba !== bb) return ba - bb;
  if (ba === 0 && a.clock.dueAt !== b.clock.dueAt)
    return (a.clock.dueAt ?? '') < (b.clock.dueAt ?? '') ? -1 : 1;
  if (ba !== 0 && a.receivedAt !== b.receivedAt) return a.receivedAt > b.receivedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
function receivedCompare(a: Summary, b: Summary): number {
  if (a.receivedAt !== b.receivedAt) return a.receivedAt > b.receivedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const TITLE_WORD = 'Zwiebelkuchenüberlauf';

describeEachDb('the inbox: pages, filters, search', (get) => {
  let t: TestApp;
  let team: Client;
  let outsider: Client;
  let teamUserId: string;
  const ids: { id: string; humanId: string }[] = [];

  async function file(
    subject: string,
    extra: Record<string, unknown> = {},
    channel: 'web' | 'email' = 'email',
  ) {
    t.clock.set(new Date(t.clock.now().getTime() + 60_000));
    const r = await t.services.intake.submitReport(
      'alpha',
      reportInput.parse({ subject, reproduction: 'Steps.', ...extra }),
      { channel },
    );
    return r;
  }
  const k = () => get().db.kysely;
  async function page(client: Client, url: string): Promise<Page> {
    const res = await client.request('GET', url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  }
  async function all(client: Client, url: string, onFirst?: () => Promise<void>): Promise<Summary[]> {
    const out: Summary[] = [];
    let cursor: string | null = null;
    let n = 0;
    do {
      const sep = url.includes('?') ? '&' : '?';
      const p = await page(client, cursor ? `${url}${sep}cursor=${encodeURIComponent(cursor)}` : url);
      out.push(...p.cases);
      cursor = p.nextCursor;
      if (n++ === 0 && onFirst) await onFirst();
    } while (cursor);
    return out;
  }

  beforeAll(async () => {
    t = await buildTestApp(get().db);
    await t.services.projects.createProject(OPERATOR, { slug: 'alpha', name: 'Alpha', preset: 'contour' });
    await t.services.projects.createProject(OPERATOR, { slug: 'beta', name: 'Beta', preset: 'emissary' });
    const m = await createUser(t);
    const o = await createUser(t);
    teamUserId = m.id;
    await seedTeamMember(t.db, 'alpha', m.email);
    await seedTeamMember(t.db, 'beta', o.email);
    t.clock.set('2026-12-01T10:00:00Z');
    team = await tokenClient(t, m.id);
    outsider = await tokenClient(t, o.id);
    for (let i = 0; i < 120; i++) {
      const r = await file(`Report number ${i} about the parser`, { publiclyKnown: i % 30 === 10 });
      ids.push({ id: r.id, humanId: r.humanId });
    }
    // Every bucket of the urgency order: answered, paused, no deadline, overdue, running.
    for (const [i, { id }] of ids.entries()) {
      const patch =
        i % 6 === 0
          ? { first_responded_at: '2026-12-01T12:00:00.000Z' }
          : i % 6 === 1
            ? { clock_paused_at: '2026-12-01T12:00:00.000Z' }
            : i % 6 === 2
              ? { first_response_due_at: null }
              : i % 6 === 3
                ? { first_response_due_at: `2026-11-${String(10 + (i % 17)).padStart(2, '0')}T00:00:00.000Z` }
                : {};
      if (Object.keys(patch).length > 0)
        await k().updateTable('cases').set(patch).where('id', '=', id).execute();
    }
    t.clock.set('2026-12-03T10:00:00Z');
  });
  afterAll(async () => {
    await t.app.close();
  });

  it.each(['urgency', 'received'] as const)(
    'pages through 120 cases in %s order, each once, while a new one arrives',
    async (sort) => {
      let arrived: string | undefined;
      const seen = await all(team, `/api/v1/cases?sort=${sort}&limit=50`, async () => {
        arrived = (await file(`A late ${sort} arrival`)).id;
      });
      const got = seen.map((c) => c.id);
      expect(new Set(got).size).toBe(got.length);
      for (const { id } of ids) expect(got.filter((x) => x === id)).toHaveLength(1);
      // The order is the promised one (the new case may or may not be seen: it came in behind).
      const original = seen.filter((c) => c.id !== arrived);
      expect(original.map((c) => c.id)).toEqual(
        [...original].sort(sort === 'urgency' ? urgencyCompare : receivedCompare).map((c) => c.id),
      );
      expect(new Set(original.map((c) => c.clock.status))).toEqual(
        sort === 'urgency'
          ? new Set(['met', 'paused', 'none', 'overdue', 'running', 'asap'])
          : expect.anything(),
      );
      const first = await page(team, `/api/v1/projects/alpha/cases?sort=${sort}`);
      expect(first.cases).toHaveLength(50);
      expect(first.total).toBe(ids.length + (sort === 'urgency' ? 1 : 2));
      expect(first.totalIsEstimate).toBe(false);
    },
  );

  it('filters by state, clock, channel, severity, flag, assignee, project and held', async () => {
    const [a, b, c, d] = ids.map((x) => x.id).slice(20, 24) as [string, string, string, string];
    const e = ids[29]?.id ?? ''; // its clock runs (29 % 6 = 5)
    await k()
      .updateTable('cases')
      .set({ state: 'triage', severity: 'critical' })
      .where('id', '=', a)
      .execute();
    await k()
      .updateTable('cases')
      .set({ severity: 'low', fix_lead_user_id: teamUserId })
      .where('id', '=', b)
      .execute();
    await k()
      .updateTable('cases')
      .set({ flags_json: '["undecryptable","unverified-sender"]' })
      .where('id', '=', c)
      .execute();
    await k()
      .updateTable('cases')
      .set({ held_at: '2026-12-02T00:00:00.000Z', held_reason: 'project-quota' })
      .where('id', '=', d)
      .execute();
    const webCase = await file('Came by the form', {}, 'web');
    const q = async (query: string) => (await all(team, `/api/v1/cases?limit=500&${query}`)).map((x) => x.id);

    expect(await q('state=triage')).toEqual([a]);
    expect(await q('severity=critical,low')).toEqual(expect.arrayContaining([a, b]));
    expect(await q('severity=critical,low')).toHaveLength(2);
    expect((await q('severity=unscored')).length).toBeGreaterThan(100);
    expect(await q('flag=undecryptable')).toEqual([c]);
    expect(await q('flag=undecryptable,unverified-sender')).toEqual([c]);
    const publicOnes = await all(team, '/api/v1/cases?limit=500&flag=publicly-known');
    expect(publicOnes.length).toBeGreaterThan(0);
    expect(publicOnes.every((x) => x.publiclyKnown)).toBe(true);
    expect(await q('assignee=me')).toEqual([b]);
    expect(await q('assigned=me')).toEqual([b]);
    expect(await q('channel=web')).toEqual([webCase.id]);
    expect(await q('held=true')).toEqual([d]);
    expect(await q('')).not.toContain(d);
    expect((await page(team, '/api/v1/cases?held=true')).heldCount).toBe(1);
    expect(await q('project=alpha&state=triage')).toEqual([a]);
    expect((await team.request('GET', '/api/v1/cases?project=beta')).statusCode).toBe(404);

    // Clock: overdue (past due, or publicly known), due within 24 h (after now, before now + 24 h).
    const overdue = await all(team, '/api/v1/cases?limit=500&clock=overdue');
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.every((x) => ['overdue', 'asap'].includes(x.clock.status))).toBe(true);
    const everything = await all(team, '/api/v1/cases?limit=500');
    expect(overdue).toHaveLength(
      everything.filter((x) => ['overdue', 'asap'].includes(x.clock.status)).length,
    );
    await k()
      .updateTable('cases')
      .set({ first_response_due_at: '2026-12-04T09:00:00.000Z' })
      .where('id', '=', e)
      .execute();
    const soon = await q('clock=due-24h');
    expect(soon).toContain(e);
    for (const x of everything.filter((s) => soon.includes(s.id))) {
      expect(x.clock.status === 'running' || x.id === e).toBe(true);
    }
    // Filters combine (AND) and the total counts them.
    expect((await page(team, '/api/v1/cases?state=triage&severity=critical')).total).toBe(1);
    expect((await page(team, '/api/v1/cases?state=triage&severity=low')).total).toBe(0);
    for (const bad of [
      'state=nope',
      'clock=later',
      'channel=fax',
      'severity=huge',
      'flag=odd',
      'assignee=you',
      'sort=title',
    ]) {
      const res = await team.request('GET', `/api/v1/cases?${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.body).toContain(`querystring.${bad.split('=')[0]}`);
    }
  });

  it('finds a case by a word of its title, whatever its case and accents, and by its human id', async () => {
    const r = await file(`Crash in the ${TITLE_WORD} decoder`);
    const search = async (q: string) =>
      (await page(team, `/api/v1/cases?q=${encodeURIComponent(q)}`)).cases.map((c) => c.id);
    expect(await search(TITLE_WORD)).toEqual([r.id]);
    expect(await search(TITLE_WORD.toUpperCase())).toEqual([r.id]);
    expect(await search('zwiebelkuchenuberlauf')).toEqual([r.id]);
    expect(await search(`decoder ${TITLE_WORD.toLowerCase()}`)).toEqual([r.id]);
    expect(await search('Zwiebelkuchen')).toEqual([]); // not a word of the title: words, not prefixes
    expect(await search(`${TITLE_WORD} kangaroo`)).toEqual([]); // every word must be there
    expect(await search(r.humanId.toLowerCase())).toEqual([r.id]);
    expect((await page(team, `/api/v1/projects/alpha/cases?q=${TITLE_WORD}`)).total).toBe(1);
    expect(await search('parser')).toHaveLength(50);
    // All 120 but the one held (the filters' test held it): held reports are not in the inbox.
    expect((await page(team, '/api/v1/cases?q=parser')).total).toBe(119);
    expect((await page(team, '/api/v1/cases?q=parser&held=true')).total).toBe(1);
    // Stop words only, or 10,000 characters: empty, at once.
    for (const q of ['the of and', 'a'.repeat(10_000), 'x', ' ']) {
      const p = await page(team, `/api/v1/cases?q=${encodeURIComponent(q)}`);
      expect(p).toMatchObject({ cases: [], nextCursor: null, total: 0 });
    }
    const many = Array.from({ length: 1500 }, (_, i) => `w${i}`).join(' ');
    expect(many.length).toBeLessThanOrEqual(10_000);
    expect((await page(team, `/api/v1/cases?q=${encodeURIComponent(many)}`)).cases).toEqual([]);
    const long = await team.request('GET', `/api/v1/cases?q=${'a'.repeat(10_001)}`);
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('querystring.q');
    // Another team finds nothing, not even by the human id.
    expect((await page(outsider, `/api/v1/cases?q=${TITLE_WORD}`)).cases).toEqual([]);
    expect((await page(outsider, `/api/v1/cases?q=${r.humanId}`)).cases).toEqual([]);
  });

  it('refuses a tampered cursor, one of other filters and a page over 500, naming the field', async () => {
    const first = await page(team, '/api/v1/cases?limit=10&sort=received');
    const cursor = first.nextCursor ?? '';
    expect(cursor).not.toBe('');
    const [body, mac] = cursor.split('.');
    const tampered = `${body?.slice(0, -2)}${body?.endsWith('A') ? 'B' : 'A'}A.${mac}`;
    for (const [url, field] of [
      [`/api/v1/cases?limit=10&sort=received&cursor=${encodeURIComponent(tampered)}`, 'querystring.cursor'],
      [`/api/v1/cases?limit=10&sort=received&cursor=x${encodeURIComponent(cursor)}`, 'querystring.cursor'],
      [`/api/v1/cases?limit=10&sort=urgency&cursor=${encodeURIComponent(cursor)}`, 'querystring.cursor'],
      [
        `/api/v1/cases?limit=10&sort=received&state=triage&cursor=${encodeURIComponent(cursor)}`,
        'querystring.cursor',
      ],
      [
        `/api/v1/projects/alpha/cases?limit=10&sort=received&cursor=${encodeURIComponent(cursor)}`,
        'querystring.cursor',
      ],
      ['/api/v1/cases?limit=501', 'querystring.limit'],
      ['/api/v1/cases?limit=0', 'querystring.limit'],
    ] as const) {
      const res = await team.request('GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(res.body, url).toContain(field);
    }
    // The same filters with another page size continue (the size is not part of the filter).
    expect(
      (await page(team, `/api/v1/cases?limit=20&sort=received&cursor=${encodeURIComponent(cursor)}`)).cases,
    ).toHaveLength(20);
  });

  it('shows a non-member nothing, and their project route answers 404', async () => {
    const p = await page(outsider, '/api/v1/cases');
    expect(p).toMatchObject({ cases: [], total: 0, nextCursor: null });
    expect((await outsider.request('GET', '/api/v1/projects/alpha/cases')).statusCode).toBe(404);
    expect((await outsider.request('GET', '/api/v1/cases?project=alpha')).statusCode).toBe(404);
  });

  it('stores no word of a title in clear: the terms are keyed hashes', async () => {
    const word = 'Quokkaspritzenbruch';
    const r = await file(`Leak through the ${word} cache`);
    const terms = await k()
      .selectFrom('case_search_terms')
      .select('term')
      .where('case_id', '=', r.id)
      .execute();
    expect(terms.length).toBe(3); // leak, quokkaspritzenbruch, cache ("through", "the": stop words)
    for (const { term } of terms) {
      expect(term).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(term.toLowerCase()).not.toContain('quokka');
    }
    const parts: string[] = [];
    const location = get().location;
    if (get().db.dialect === 'sqlite') {
      const wal = join(location.dataDir ?? '', 'vigil.sqlite-wal');
      if (existsSync(wal)) parts.push(readFileSync(wal).toString('latin1'));
    }
    parts.push(await dumpDatabase(get()));
    const stored = parts.join('\n').toLowerCase();
    expect(stored).toContain('case_search_terms'); // the dump holds the table
    expect(stored).not.toContain(word.toLowerCase());
    expect(stored).not.toContain(TITLE_WORD.toLowerCase());
    expect(stored).not.toContain('zwiebelkuchenuberlauf');
  });
});
