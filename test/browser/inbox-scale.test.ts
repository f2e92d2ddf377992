/**
 * A browser journey through the inbox in a flood (issue 12, item 3) with the real binaries:
 * `vigil serve` on a fresh SQLite data directory, project `flood` whose policy lifts the report
 * rate limits (`intake.rateLimits`: a million an hour per address and per project), TEAM_MEMBER on
 * its team, and 1,200 reports filed through the public report route (the real intake: sealed
 * titles, search terms, audit events, receipts), sixteen at a time. The server has no clock to set,
 * so 150 of them are then made overdue the only way there is from outside: their
 * `first_response_due_at` set into the past in the SQLite file (the row the intake wrote; the
 * urgency order is derived from that column). Some titles carry the XSS payloads, one a word no
 * other has. In Chromium:
 *
 * - the inbox pages through all 1,200 (24 pages of 50: every page different, every case seen
 *   once, the count right, Next disabled on the last page, the last step taken by keyboard and
 *   focus then on the new page's table); Previous, reload and Back keep the page;
 * - the "Overdue" filter: 150, every row overdue, over three pages;
 * - the search box finds the one case by a word of its title, and the hostile titles as text; a
 *   channel filter (a fieldset's checkbox) finds none; the order switch;
 * - bulk triage: 50 cases selected with "select all" on one page and 10 on the next, rejected with
 *   one reason category and reason in one action; the inbox then counts 60 rejected. Rejecting
 *   them again is refused and listed by case; with 10 refused among 50, one click leaves them out
 *   of the selection; a duplicate of no case is named at its field; then
 *   two cases are marked duplicates of one.
 *
 * Needs `npm run build` and Chromium at /usr/bin/chromium. Any console error, dialog (but the
 * announced confirmation) or CSP violation fails it; every page photographed is checked with
 * axe-core; screenshots go to test-results/inbox-scale-*.png.
 */
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addTeamMember,
  apiFromPage,
  createProjectWithPolicy,
  noInjectedMarkup,
  openJourneyPage,
  setPasswordFromLink,
  TEAM_MEMBER,
  useJourney,
  XSS,
} from './support.js';

const PASSWORD = 'correct horse battery staple';
const TOTAL = 1200;
const PAGE_SIZE = 50;
const PAGES = TOTAL / PAGE_SIZE;
/** Every eighth report is made overdue: 150. */
const OVERDUE_EVERY = 8;
const OVERDUE = TOTAL / OVERDUE_EVERY;
/** The one title with this word. */
const NEEDLE = 'quokka';
const NEEDLE_AT = 777;
/** Every 100th title carries a hostile payload and the word "payload". */
const HOSTILE_EVERY = 100;
const HOSTILE = Object.values(XSS);
const COMPONENTS = ['header parser', 'TLS handshake', 'cookie jar', 'proxy cache', 'URL decoder'];
const REASON = 'This is one of a flood of generated reports: it names no real flaw in our code.';

function titleOf(n: number): string {
  if (n === NEEDLE_AT) return `Heap overflow in the ${NEEDLE} decoder`;
  if (n % HOSTILE_EVERY === 0) return `Report ${n} payload ${HOSTILE[(n / HOSTILE_EVERY) % HOSTILE.length]}`;
  return `Report ${n}: crash in the ${COMPONENTS[n % COMPONENTS.length]}`;
}

const whole = new Intl.NumberFormat('en');
const range = (first: number, last: number, of: number) =>
  `${whole.format(first)}–${whole.format(last)} of ${whole.format(of)} ${of === 1 ? 'case' : 'cases'}`;

/** Files the reports through the public route, `concurrency` at a time; their human ids by number. */
async function fileReports(baseUrl: string, count: number, concurrency: number): Promise<string[]> {
  const ids: string[] = new Array<string>(count);
  let next = 0;
  async function worker() {
    while (next < count) {
      const n = next++;
      const res = await fetch(`${baseUrl}/api/v1/projects/flood/reports`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          subject: titleOf(n),
          reproduction: `Send request number ${n} and watch the worker crash.`,
          reporter: { email: `flood-${n}@reporter.example` },
        }),
      });
      if (res.status !== 201) throw new Error(`report ${n} answered ${res.status}: ${await res.text()}`);
      ids[n] = ((await res.json()) as { humanId: string }).humanId;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

/** The inbox's rows' case ids, in order. */
async function rowIds(page: Page): Promise<string[]> {
  return page.getByTestId('cases').locator('tbody tr td:nth-child(2)').allInnerTexts();
}

async function waitForCount(page: Page, text: string): Promise<void> {
  await expect.poll(() => page.getByTestId('inbox-count').innerText(), { timeout: 15_000 }).toBe(text);
}

describe('browser journey: the inbox in a flood', () => {
  const journey = useJourney('vigil-inbox-scale-');
  let teamLink = '';
  let ids: string[] = [];
  let overdueIds: string[] = [];

  beforeAll(async () => {
    const j = journey();
    await createProjectWithPolicy(j, 'flood', 'Flood Project', 'contour', (yaml) => {
      const limits =
        '\nintake:\n  rateLimits:\n' +
        '    perAddress: { count: 1000000, windowSeconds: 3600 }\n' +
        '    perProject: { count: 1000000, windowSeconds: 3600 }\n';
      expect(yaml).toContain('\nintake:\n');
      return yaml.replace('\nintake:\n', limits);
    });
    teamLink = await addTeamMember(j, 'flood', TEAM_MEMBER);
    const started = Date.now();
    ids = await fileReports(j.baseUrl, TOTAL, 16);
    console.warn(`inbox-scale: ${TOTAL} reports filed in ${Date.now() - started} ms`);

    // Overdue: due 1..150 hours ago (the most overdue first in the urgency order).
    overdueIds = ids.filter((_, n) => n % OVERDUE_EVERY === 0);
    const db = new BetterSqlite3(join(j.dataDir, 'vigil.sqlite'));
    try {
      db.pragma('busy_timeout = 10000');
      const setDue = db.prepare('UPDATE cases SET first_response_due_at = ? WHERE human_id = ?');
      const now = Date.now();
      db.transaction(() => {
        overdueIds.forEach((humanId, i) => {
          const changed = setDue.run(new Date(now - (i + 1) * 3_600_000).toISOString(), humanId).changes;
          if (changed !== 1) throw new Error(`no case ${humanId}`);
        });
      })();
    } finally {
      db.close();
    }
  }, 300_000);

  it('pages through 1,200 cases, filters the overdue ones, finds one by a word, rejects 60 at once', async () => {
    const { browser, baseUrl } = journey();
    const team = await openJourneyPage(browser, 'inbox-scale');
    const { page, shot } = team;
    await setPasswordFromLink(page, teamLink, PASSWORD);

    // 1. The first page: 50 of 1,200, most urgent (the most overdue) first.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
    await page.waitForURL(`${baseUrl}/cases`);
    await waitForCount(page, range(1, 50, TOTAL));
    await expect(page.getByTestId('pager-where').innerText()).resolves.toBe(`Page 1 of ${PAGES}`);
    const first = await rowIds(page);
    expect(first).toHaveLength(PAGE_SIZE);
    expect(first[0]).toBe(overdueIds.at(-1));
    await expect(page.getByRole('button', { name: 'Previous page' }).isDisabled()).resolves.toBe(true);
    await noInjectedMarkup(page);
    await shot('01-first-page');

    // 2. Every page through Next: each different, every case once, Next disabled at the end.
    const seen = new Set<string>(first);
    const firsts = [first[0]];
    for (let p = 2; p <= PAGES; p++) {
      // The last step by keyboard: Next is then disabled, and focus goes to the new page's table.
      if (p < PAGES) await page.getByRole('button', { name: 'Next page' }).click();
      else {
        await page.getByRole('button', { name: 'Next page' }).focus();
        await page.keyboard.press('Enter');
      }
      const last = Math.min(p * PAGE_SIZE, TOTAL);
      await waitForCount(page, range((p - 1) * PAGE_SIZE + 1, last, TOTAL));
      const rows = await rowIds(page);
      expect(rows).toHaveLength(last - (p - 1) * PAGE_SIZE);
      expect(firsts).not.toContain(rows[0]);
      firsts.push(rows[0]);
      for (const id of rows) {
        expect(seen.has(id), `${id} was on an earlier page`).toBe(false);
        seen.add(id);
      }
      await noInjectedMarkup(page);
    }
    expect(seen.size).toBe(TOTAL);
    expect([...seen].sort()).toEqual([...ids].sort());
    await expect(page.getByRole('button', { name: 'Next page' }).isDisabled()).resolves.toBe(true);
    await expect(page.getByTestId('pager-where').innerText()).resolves.toBe(`Page ${PAGES} of ${PAGES}`);
    expect(new URL(page.url()).searchParams.get('page')).toBe(String(PAGES));
    await expect
      .poll(() => page.evaluate('document.activeElement && document.activeElement.dataset.testid'))
      .toBe('cases');
    await shot('02-last-page');

    // Previous, a reload (the page is in the URL, the way back in the tab) and Back.
    await page.getByRole('button', { name: 'Previous page' }).click();
    await waitForCount(page, range(1101, 1150, TOTAL));
    await page.reload();
    await waitForCount(page, range(1101, 1150, TOTAL));
    await page.getByRole('button', { name: 'Previous page' }).click();
    await waitForCount(page, range(1051, 1100, TOTAL));
    await page.goBack();
    await waitForCount(page, range(1101, 1150, TOTAL));

    // A page link whose cursor was altered: the server refuses it (400), the inbox offers page 1.
    team.expected.push({ path: '/api/v1/cases', status: 400 });
    const altered = new URL(page.url());
    altered.searchParams.set('cursor', `${altered.searchParams.get('cursor') ?? ''}x`);
    await page.goto(altered.toString());
    await page.getByTestId('stale-page').getByText('This page of the list can no longer be shown').waitFor();
    await page.getByRole('link', { name: 'Go to the first page' }).click();
    await page.waitForURL(`${baseUrl}/cases`);
    await waitForCount(page, range(1, 50, TOTAL));

    // 3. The overdue ones: 150 over three pages, every clock overdue.
    await page.goto(`${baseUrl}/cases`);
    await waitForCount(page, range(1, 50, TOTAL));
    await page.getByLabel('First response').selectOption('overdue');
    await page.waitForURL(`${baseUrl}/cases?clock=overdue`);
    await waitForCount(page, range(1, 50, OVERDUE));
    await shot('03-overdue');
    const overdueSeen: string[] = [];
    for (let p = 1; p <= OVERDUE / PAGE_SIZE; p++) {
      if (p > 1) {
        await page.getByRole('button', { name: 'Next page' }).click();
        await waitForCount(page, range((p - 1) * PAGE_SIZE + 1, p * PAGE_SIZE, OVERDUE));
      }
      const clocks = await page.getByTestId('cases').getByTestId('clock').allInnerTexts();
      expect(clocks).toHaveLength(PAGE_SIZE);
      for (const clock of clocks) expect(clock).toMatch(/^overdue by /);
      overdueSeen.push(...(await rowIds(page)));
    }
    await expect(page.getByRole('button', { name: 'Next page' }).isDisabled()).resolves.toBe(true);
    expect([...overdueSeen].sort()).toEqual([...overdueIds].sort());
    // The watchdog counts them too, and links to the filter.
    await expect(page.getByTestId('watchdog').locator('h2 .badge').innerText()).resolves.toBe(
      String(OVERDUE),
    );

    // 4. The search box: one case by a word of its title; the hostile titles shown as text.
    await page.goto(`${baseUrl}/cases`);
    await waitForCount(page, range(1, 50, TOTAL));
    await page.getByLabel('Search titles').fill(NEEDLE);
    await page.getByLabel('Search titles').press('Enter');
    await page.waitForURL(`${baseUrl}/cases?q=${NEEDLE}`);
    await waitForCount(page, range(1, 1, 1));
    await expect(rowIds(page)).resolves.toEqual([ids[NEEDLE_AT]]);
    await expect(page.getByTestId('row-title').innerText()).resolves.toBe(titleOf(NEEDLE_AT));
    await shot('04-search');
    // A case id finds its case too.
    await page.getByLabel('Search titles').fill(ids[5] ?? '');
    await page.getByLabel('Search titles').press('Enter');
    await waitForCount(page, range(1, 1, 1));
    await expect(rowIds(page)).resolves.toEqual([ids[5]]);
    await page.getByLabel('Search titles').fill('payload');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const hostile = ids.filter((_, n) => n % HOSTILE_EVERY === 0 && n !== NEEDLE_AT);
    await waitForCount(page, range(1, hostile.length, hostile.length));
    const titles = await page.getByTestId('row-title').allInnerTexts();
    expect(titles.sort()).toEqual(
      Array.from({ length: TOTAL / HOSTILE_EVERY }, (_, i) => titleOf(i * HOSTILE_EVERY)).sort(),
    );
    await noInjectedMarkup(page);
    await shot('05-search-hostile');
    await page.getByLabel('Search titles').fill('no such words anywhere');
    await page.getByLabel('Search titles').press('Enter');
    await page.getByText('No case title has all the words “no such words anywhere”.').waitFor();
    await waitForCount(page, '0 cases');

    // A filter of a fieldset: no report came by mail.
    await page.goto(`${baseUrl}/cases`);
    await waitForCount(page, range(1, 50, TOTAL));
    await page.getByRole('group', { name: 'Channel' }).getByLabel('Mail').check();
    await page.waitForURL(`${baseUrl}/cases?channel=email`);
    await page.getByText('No case matches these filters.').waitFor();
    await waitForCount(page, '0 cases');
    await page.getByRole('link', { name: 'Clear the filters and the search' }).click();
    await page.waitForURL(`${baseUrl}/cases`);

    // 5. Bulk triage: the newest 50 (select all on the page) and 10 of the next page, rejected at once.
    await waitForCount(page, range(1, 50, TOTAL));
    await page.getByLabel('Order').selectOption('received');
    await page.waitForURL(`${baseUrl}/cases?sort=received`);
    await waitForCount(page, range(1, 50, TOTAL));
    await expect(rowIds(page)).resolves.not.toEqual(first);
    const chosen = await rowIds(page);
    await page.getByLabel('Select all 50 cases on this page').check();
    await page.getByRole('heading', { name: 'Selected: 50 cases' }).waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await waitForCount(page, range(51, 100, TOTAL));
    const next = (await rowIds(page)).slice(0, 10);
    for (const id of next) await page.getByLabel(`Select ${id}`, { exact: true }).check();
    chosen.push(...next);
    const bulk = page.getByTestId('bulk');
    await bulk.getByRole('heading', { name: 'Selected: 60 cases' }).waitFor();
    await bulk.getByRole('button', { name: 'Reject selected…' }).click();
    await bulk.getByLabel('Reason category').selectOption('not-a-vulnerability');
    await bulk.getByLabel('Reason, sent to each reporter').fill(REASON);
    await shot('06-bulk-reject');
    team.confirms.push(/^Reject 60 cases\?/);
    await bulk.getByRole('button', { name: 'Reject 60 cases and tell the reporters' }).click();
    await page.getByText(/^Rejected 60 cases: /).waitFor({ timeout: 30_000 });
    expect(team.confirms).toEqual([]);
    await expect(bulk.count()).resolves.toBe(0);
    await shot('07-bulk-rejected');

    await page.getByLabel('State').selectOption('rejected');
    await waitForCount(page, range(1, 50, 60));
    const rejected = new Set(await rowIds(page));
    await page.getByRole('button', { name: 'Next page' }).click();
    await waitForCount(page, range(51, 60, 60));
    for (const id of await rowIds(page)) rejected.add(id);
    expect([...rejected].sort()).toEqual([...chosen].sort());
    await shot('08-rejected');
    // One audited transition per case, each reporter told (the API's own view of one of them).
    const one = await apiFromPage<{ state: string }>(page, 'GET', `/cases/${chosen[0]}`);
    expect(one.json.state).toBe('rejected');

    // 6. What the server refuses, shown by case and by field; nothing moves.
    team.expected.push(
      { path: '/api/v1/cases/bulk-transitions', status: 409 },
      { path: '/api/v1/cases/bulk-transitions', status: 422 },
    );
    await page.goto(`${baseUrl}/cases?state=rejected`);
    await waitForCount(page, range(1, 50, 60));
    const again = await rowIds(page);
    await page.getByLabel('Select all 50 cases on this page').check();
    await bulk.getByRole('button', { name: 'Reject selected…' }).click();
    await bulk.getByLabel('Reason category').selectOption('not-a-vulnerability');
    await bulk.getByLabel('Reason, sent to each reporter').fill(REASON);
    team.confirms.push(/^Reject 50 cases\?/);
    await bulk.getByRole('button', { name: 'Reject 50 cases and tell the reporters' }).click();
    const refused = bulk.getByRole('alert');
    await refused.getByText('None of the 50 cases was moved: some cannot move that way now').waitFor();
    await refused
      .getByText(`${again[0]}: Case ${again[0]} cannot go from rejected to rejected.`, { exact: true })
      .waitFor();
    await expect(refused.innerText()).resolves.not.toContain('body.ids');
    await shot('09-bulk-refused');
    await bulk.getByRole('button', { name: 'Clear the selection' }).click();

    // Some refused among many: one click leaves them out of the selection.
    await page.goto(`${baseUrl}/cases?sort=received`);
    await waitForCount(page, range(1, 50, TOTAL));
    await page.getByRole('button', { name: 'Next page' }).click();
    await waitForCount(page, range(51, 100, TOTAL));
    await page.getByLabel('Select all 50 cases on this page').check();
    await bulk.getByRole('button', { name: 'Reject selected…' }).click();
    await bulk.getByLabel('Reason category').selectOption('not-a-vulnerability');
    await bulk.getByLabel('Reason, sent to each reporter').fill(REASON);
    team.confirms.push(/^Reject 50 cases\?/);
    await bulk.getByRole('button', { name: 'Reject 50 cases and tell the reporters' }).click();
    await bulk
      .getByRole('alert')
      .getByText('10 of 50 cases cannot go to rejected', { exact: false })
      .waitFor();
    await bulk.getByRole('button', { name: 'Leave the 10 refused cases out of the selection' }).click();
    await bulk.getByRole('heading', { name: 'Selected: 40 cases' }).waitFor();
    await expect(bulk.getByRole('alert').count()).resolves.toBe(0);
    for (const id of next) {
      await expect(page.getByLabel(`Select ${id}`, { exact: true }).isChecked()).resolves.toBe(false);
    }
    await bulk.getByRole('button', { name: 'Clear the selection' }).click();

    await page.goto(`${baseUrl}/cases?state=received&sort=received`);
    await waitForCount(page, range(1, 50, TOTAL - 60));
    const pair = (await rowIds(page)).slice(0, 2);
    for (const id of pair) await page.getByLabel(`Select ${id}`, { exact: true }).check();
    await bulk.getByRole('button', { name: 'Mark as duplicates of…' }).click();
    await bulk.getByLabel('Original case').fill('CTR-2026-9999');
    team.confirms.push(/^Mark 2 cases as duplicates of CTR-2026-9999\?/);
    await bulk.getByRole('button', { name: 'Mark 2 cases as duplicates' }).click();
    await bulk
      .getByText('The original must name another case of the same project (got "CTR-2026-9999")')
      .waitFor();
    await expect(bulk.getByLabel('Original case').getAttribute('aria-invalid')).resolves.toBe('true');
    await shot('10-bulk-field-error');
    await bulk.getByLabel('Original case').fill(ids[NEEDLE_AT] ?? '');
    team.confirms.push(/^Mark 2 cases as duplicates of /);
    await bulk.getByRole('button', { name: 'Mark 2 cases as duplicates' }).click();
    await page.getByText(`Marked 2 cases as duplicates of ${ids[NEEDLE_AT]}: `).waitFor();
    await waitForCount(page, range(1, 50, TOTAL - 62));
    expect(team.confirms).toEqual([]);

    await team.context.close();
    expect(team.problems).toEqual([]);
  }, 300_000);
});
